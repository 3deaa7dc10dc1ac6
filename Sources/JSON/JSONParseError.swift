/// Why bytes are not the JSON expected: what was wrong and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `expected ',' or '}'`.
    public var message: String
    /// The 0-based byte offset of the problem, counted from the start of what was parsed.
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at offset \(offset)" }
}
