import LibYAML

/// A place in a manifest: the file and the span of the value the diagnostic is about.
public struct ManifestLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    public init(file: String, span: YAMLSpan) {
        self.file = file
        line = span.start.line
        column = span.start.column
        endLine = span.end.line
        endColumn = span.end.column
    }

    public init(file: String, line: Int = 1, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        endLine = line
        endColumn = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
