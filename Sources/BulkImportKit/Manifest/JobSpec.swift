import LibYAML

/// One file group as written: a bare string (a group of one) or a list of paths.
public struct FileGroupSpec: Sendable {
    public var paths: [Located<StringTemplate>]
    public var span: YAMLSpan

    public init(paths: [Located<StringTemplate>], span: YAMLSpan) {
        self.paths = paths
        self.span = span
    }
}

/// One import option as written. Every value is sent as a string.
public struct OptionSpec: Sendable {
    public var key: Located<String>
    public var value: Located<StringTemplate>

    public init(key: Located<String>, value: Located<StringTemplate>) {
        self.key = key
        self.value = value
    }
}

/// The fields a job (or `defaults`) may set, each optional at this stage.
public struct JobFields: Sendable {
    public var target: TargetReference?
    public var collectionName: Located<StringTemplate>?
    public var partitionName: Located<StringTemplate>?
    public var dbName: Located<StringTemplate>?
    public var files: Located<[FileGroupSpec]>?
    public var objectURL: Located<StringTemplate>?
    public var accessKey: Located<StringTemplate>?
    public var secretKey: Located<StringTemplate>?
    public var token: Located<StringTemplate>?
    public var options: Located<[OptionSpec]>?
    /// Zilliz Cloud v2: the volume to import from (instead of object urls), and the paths in it.
    public var volumeName: Located<StringTemplate>?
    /// `volume_name`'s older name (pymilvus 2.6.0-2.6.4 sent `stageName`), kept apart to warn.
    public var stageName: Located<StringTemplate>?
    public var dataPaths: Located<[FileGroupSpec]>?
    /// The keys written, valid or not: a field given with a bad value is not also "missing".
    public var present = FieldNameSet()

    public init() {}

    /// The field names a job takes besides `name`, as the manifest spells them.
    public static let fieldNames = [
        "target", "collection_name", "partition_name", "db_name", "files", "object_url",
        "access_key", "secret_key", "token", "options", "volume_name", "stage_name", "data_paths",
    ]

    /// These fields with every field this one leaves unset taken from `defaults`. Options merge by
    /// key, the job's own value winning.
    public func overlaying(_ defaults: JobFields) -> JobFields {
        var merged = self
        merged.overlay(defaults)
        return merged
    }

    /// Takes from `defaults` every field this one leaves unset, in place (a copy of every field
    /// of every job, and an assignment to each, was a twentieth of `validate`). Options merge by
    /// key, the job's own value winning.
    public mutating func overlay(_ defaults: JobFields) {
        present.formUnion(defaults.present)
        func fill<Value>(_ field: inout Value?, _ inherited: Value?) {
            if field == nil, let inherited { field = inherited }
        }
        fill(&target, defaults.target)
        fill(&collectionName, defaults.collectionName)
        fill(&partitionName, defaults.partitionName)
        fill(&dbName, defaults.dbName)
        fill(&files, defaults.files)
        fill(&objectURL, defaults.objectURL)
        fill(&accessKey, defaults.accessKey)
        fill(&secretKey, defaults.secretKey)
        fill(&token, defaults.token)
        fill(&volumeName, defaults.volumeName)
        fill(&stageName, defaults.stageName)
        fill(&dataPaths, defaults.dataPaths)
        guard let inherited = defaults.options else { return }
        guard let own = options else {
            options = inherited
            return
        }
        // A few keys each, as a rule: compared in place rather than hashed into a set for every
        // job; many (a hostile manifest) are hashed.
        var merged: [OptionSpec]
        if own.value.count * inherited.value.count <= 64 {
            merged = inherited.value.filter { option in !own.value.contains { $0.key.value == option.key.value } }
        } else {
            let ownKeys = Set(own.value.map(\.key.value))
            merged = inherited.value.filter { !ownKeys.contains($0.key.value) }
        }
        merged.append(contentsOf: own.value)
        options = Located(merged, at: own.span)
    }
}

/// A job as written in a manifest.
public struct JobSpec: Sendable {
    public var name: Located<String>
    public var fields: JobFields
    /// The span of the job's mapping.
    public var span: YAMLSpan
    /// Its position in `jobs`.
    public var index: Int
    /// Some of its fields could not be read (a `<<` merge of something that is not a mapping):
    /// that problem is reported, and fields that seem missing are not reported again.
    public var incomplete = false

    public init(name: Located<String>, fields: JobFields, span: YAMLSpan, index: Int) {
        self.name = name
        self.fields = fields
        self.span = span
        self.index = index
    }
}
