import LibYAML

/// Where a decoded job is written, and its name: what is kept of a job once it is validated as it
/// is read (the checks across jobs, and the paths of diagnostics, need no more).
public struct JobPlace: Sendable {
    public var name: String
    /// Where the name is written.
    public var nameSpan: YAMLSpan
    /// The span of the job's mapping.
    public var span: YAMLSpan
    /// Its position in `jobs`.
    public var index: Int

    public init(_ job: borrowing JobSpec) {
        name = job.name.value
        nameSpan = job.name.span
        span = job.span
        index = job.index
    }
}
