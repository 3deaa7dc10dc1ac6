/// A position in a YAML source: 1-based line and column, counted in characters as libyaml does.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, in characters.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The extent of a node or token: where it starts and where it ends (exclusive).
public struct Span: Sendable, Hashable, CustomStringConvertible {
    public var start: Mark
    public var end: Mark

    public init(start: Mark, end: Mark) {
        self.start = start
        self.end = end
    }

    /// A zero-width span at `mark`.
    public init(at mark: Mark) {
        self.init(start: mark, end: mark)
    }

    public var description: String { "\(start)-\(end)" }
}
