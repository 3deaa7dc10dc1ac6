/// A position in a YAML source: 1-based line and column, counted in characters as libyaml does.
public struct YAMLMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Stored narrow: a manifest holds millions of marks.
    private var storedLine: UInt32
    private var storedColumn: UInt32

    /// The 1-based line.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }

    /// The 1-based column, in characters.
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    public static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The extent of a node or token: where it starts and where it ends (exclusive).
public struct YAMLSpan: Sendable, Hashable, CustomStringConvertible {
    public var start: YAMLMark
    public var end: YAMLMark

    public init(start: YAMLMark, end: YAMLMark) {
        self.start = start
        self.end = end
    }

    /// A zero-width span at `mark`.
    public init(at mark: YAMLMark) {
        self.init(start: mark, end: mark)
    }

    public var description: String { "\(start)-\(end)" }
}
