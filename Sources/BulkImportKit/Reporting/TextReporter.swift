/// `file:line:column: error[code]: message`, then the source line with a caret, the fix and the
/// notes; a one-line summary at the end. Colour only when asked (on a terminal).
public struct TextReporter: DiagnosticReporter {
    public var colors: Bool
    public var sources: SourceCache?

    public init(colors: Bool = false, sources: SourceCache? = nil) {
        self.colors = colors
        self.sources = sources
    }

    public func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput {
        var out = ""
        for d in diagnostics {
            let color = d.severity == .error ? "31" : d.severity == .warning ? "33" : "36"
            out += paint("\(d.location): ", "1")
            out += paint("\(d.severity.rawValue)[\(d.code.rawValue)]", "1;\(color)")
            out += paint(": \(d.message)", "1")
            out += "\n"
            // No excerpt where there is no source to show (a folder, an empty file): a blank line
            // with a caret under nothing helps no one.
            if let line = sources?.line(d.location.line, of: d.location.file), line.contains(where: { !$0.isWhitespace }) {
                let expanded = line.replacing("\t", with: " ")
                let width =
                    d.location.endLine == d.location.line
                    ? max(1, d.location.endColumn - d.location.column) : max(1, expanded.count - d.location.column + 1)
                let (excerpt, caretColumn) = Self.excerpt(expanded, column: d.location.column)
                // A control character from the file (a terminal escape) is shown as '�', one for one.
                let shown = String(
                    String.UnicodeScalarView(
                        excerpt.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "\u{FFFD}" : $0 }))
                out += "    \(shown)\n"
                out += "    " + String(repeating: " ", count: max(0, caretColumn - 1))
                out += paint(String(repeating: "^", count: min(width, Self.excerptWidth - caretColumn + 1)), color) + "\n"
            }
            if let fix = d.fix { out += "  " + paint("help:", "1;36") + " \(fix)\n" }
            for note in d.notes {
                out += "  " + paint("note:", "1") + " \(note.message)"
                if let location = note.location { out += " (\(location))" }
                out += "\n"
            }
        }
        out += summaryLine(summary) + "\n"
        return ReportOutput(stderr: out)
    }

    /// Source lines are shown at most this wide.
    static let excerptWidth = 120

    /// The part of a long line around `column` (a 1 MB key, 100,000 brackets), with "…" where it
    /// was cut, and the column of the caret in it.
    static func excerpt(_ line: String, column: Int) -> (String, column: Int) {
        guard line.count > excerptWidth else { return (line, column) }
        let start = max(0, min(column - 1 - 40, line.count - excerptWidth + 1))
        let body = line.dropFirst(start).prefix(excerptWidth - 2)
        let cutEnd = start + body.count < line.count
        return ((start > 0 ? "…" : "") + body + (cutEnd ? "…" : ""), column - start + (start > 0 ? 1 : 0))
    }

    func summaryLine(_ s: ReportSummary) -> String {
        let counts = "\(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s")"
        let scope = "\(s.jobs) job\(s.jobs == 1 ? "" : "s") in \(s.files) file\(s.files == 1 ? "" : "s")"
        return s.failed ? paint("invalid: \(counts) (\(scope))", "1;31") : paint("valid: \(scope), \(counts)", "1;32")
    }

    private func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
