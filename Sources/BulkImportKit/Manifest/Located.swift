import LibYAML

/// A value from a manifest with the span it was written at.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var span: YAMLSpan
    /// Where it was written in the manifest's structure, from the root (`defaults.secret_key`,
    /// `targets.cloud.zilliz.api_key`), for a value that belongs to no job; the `path` of its
    /// diagnostics. A job's values have none: their path is the job's (`jobs[2]`) and the field.
    public var path: String?

    public init(_ value: Value, at span: YAMLSpan, path: String? = nil) {
        self.value = value
        self.span = span
        self.path = path
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
