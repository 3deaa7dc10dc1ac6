import LibYAML

/// A value from a manifest with the span it was written at.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var span: Span

    public init(_ value: Value, at span: Span) {
        self.value = value
        self.span = span
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
