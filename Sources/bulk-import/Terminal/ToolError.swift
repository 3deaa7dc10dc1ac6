/// A failure of the tool itself, printed as `Error: ...` with exit 1.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
