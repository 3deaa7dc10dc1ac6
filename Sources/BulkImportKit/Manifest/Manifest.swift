import LibYAML

/// A decoded manifest file: what it declares, with the location of every value, not yet validated
/// against the APIs' rules nor resolved against the environment.
public struct Manifest: Sendable {
    /// The path the manifest was read from, as given.
    public var file: String
    public var version: Int
    /// The named targets, in document order.
    public var targets: [(name: Located<String>, spec: TargetSpec)]
    public var defaults: JobFields
    /// The decoded jobs, when they are kept; a manifest validated as it is read keeps
    /// ``jobPlaces`` instead.
    public var jobs: [JobSpec]
    /// Where each decoded job of a manifest validated as it is read is written, in order (see
    /// ``places``); empty when ``jobs`` are kept.
    public var jobPlaces: [JobPlace] = []
    /// How many entries `jobs:` has, those that could not be decoded (a bad name) included: what
    /// the summaries count.
    public var declaredJobs = 0
    /// Where `defaults:` is written, to tell a value a job inherits from one it sets itself.
    public var defaultsSpan: YAMLSpan?
    /// Where the jobs' state is kept (top-level `state:`): a path resolved against the manifest's
    /// folder, or a `postgres://` URL; nil for the default file beside the manifest.
    public var state: Located<StringTemplate>?
    /// `atomic: true`: the manifest's jobs are one atomic group, all visible or none (see
    /// `AtomicGroupRunner`); nil when not written.
    public var atomic: Located<Bool>?
    /// Targets that are defined but could not be read (reported where they are): jobs that name
    /// them are not told the target is undefined.
    public var invalidTargetNames: Set<String> = []
    /// The kind each of them names, where it names one: their jobs are still checked by kind.
    public var invalidTargetKinds: [String: TargetKind] = [:]
    /// `targets` was given but is not a mapping (reported): no job's target is called undefined.
    public var targetsUnreadable = false
    /// `defaults` was given but could not be read whole (reported): fields jobs seem to lack are
    /// not reported as missing, since the defaults may have been meant to give them.
    public var defaultsIncomplete = false

    public init(
        file: String, version: Int = 1, targets: [(name: Located<String>, spec: TargetSpec)] = [], defaults: JobFields = JobFields(),
        jobs: [JobSpec] = []
    ) {
        self.file = file
        self.version = version
        self.targets = targets
        self.defaults = defaults
        self.jobs = jobs
    }

    /// Where each decoded job is written, in order, whether the jobs are kept or not.
    public var places: [JobPlace] { jobs.isEmpty ? jobPlaces : jobs.map(JobPlace.init) }

    /// The manifest format versions this tool reads.
    public static let supportedVersions = [1]
    /// The top-level field names. Keys that start with ``extensionPrefix`` are allowed besides.
    public static let fieldNames = ["version", "state", "atomic", "targets", "defaults", "jobs"]
    /// Top-level keys that start with `x-` are ignored (the Compose convention): a place for
    /// anchored blocks that jobs merge (`x-common: &common {...}`).
    public static let extensionPrefix = "x-"
    /// The pattern job and target names follow.
    public static let namePattern = "^[A-Za-z0-9._-]+$"

    /// The longest job or target name: names are quoted in every report and keyed in the state,
    /// so a hostile 60 MB name stops here, at once.
    public static let maxNameLength = 255

    /// Whether `name` follows ``namePattern`` and is at most ``maxNameLength`` characters long.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameLength
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            }
    }
}
