import Platform

/// `file:line:column: error[code]: message`, then the source line with a caret, the fix and the
/// notes; a one-line summary at the end. Colour only when asked (on a terminal).
public struct TextReporter: DiagnosticReporter {
    public var colors: Bool
    public var sources: SourceCache?
    /// Masks the secrets in the source lines quoted under diagnostics (a plain-text token).
    public var redactor: Redactor

    public init(colors: Bool = false, sources: SourceCache? = nil, redactor: Redactor = Redactor()) {
        self.colors = colors
        self.sources = sources
        self.redactor = redactor
    }

    public func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput {
        var out = ""
        let (shown, notShown) = diagnostics.shownInReport()
        for d in shown {
            let color = d.severity == .error ? "31" : d.severity == .warning ? "33" : "36"
            out += paint("\(d.location): ", "1")
            out += paint("\(d.severity.rawValue)[\(d.code.rawValue)]", "1;\(color)")
            out += paint(": \(d.message)", "1")
            out += "\n"
            // No excerpt where there is no source to show (a folder, an empty file): a blank line
            // with a caret under nothing helps no one.
            if let line = sources?.line(d.location.line, of: d.location.file), line.contains(where: { !$0.isWhitespace }) {
                let sameLine = d.location.endLine == d.location.line
                let (expanded, column, endColumn) = Self.masked(
                    Self.untabbed(line), column: d.location.column, endColumn: sameLine ? d.location.endColumn : nil,
                    redactor: redactor)
                let width = endColumn.map { max(1, $0 - column) } ?? max(1, expanded.count - column + 1)
                let (excerpt, caretColumn) = Self.excerpt(expanded, column: column)
                // A control character from the file (a terminal escape) is shown as '\u{FFFD}', one for one.
                let shown = String(
                    String.UnicodeScalarView(
                        excerpt.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "\u{FFFD}" : $0 }))
                out += "    \(shown)\n"
                out += "    " + String(repeating: " ", count: max(0, caretColumn - 1))
                out += paint(String(repeating: "^", count: max(1, min(width, Self.excerptWidth - caretColumn + 1))), color) + "\n"
            }
            if let fix = d.fix { out += "  " + paint("help:", "1;36") + " \(fix)\n" }
            for note in d.notes {
                out += "  " + paint("note:", "1") + " \(note.message)"
                if let location = note.location { out += " (\(location))" }
                out += "\n"
            }
        }
        if notShown > 0 { out += "… \(Plural.count(notShown, "more diagnostic")) not shown (the counts below include them)\n" }
        out += summaryLine(summary) + "\n"
        return ReportOutput(stderr: out)
    }

    /// `line` with each tab a space, byte for byte: `replacing("\t", with: " ")` searches by
    /// Character and took seconds on a hostile 60 MB line. A tab is always a Character of its own.
    static func untabbed(_ line: String) -> String {
        guard line.containsUTF8Byte(UInt8(ascii: "\t")) else { return line }
        return String(decoding: line.utf8.map { $0 == UInt8(ascii: "\t") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// Source lines are shown at most this wide.
    static let excerptWidth = 120

    /// The part of a long line around `column` (a 1 MB key, 100,000 brackets), with "…" where it
    /// was cut, and the column of the caret in it.
    static func excerpt(_ line: String, column: Int) -> (String, column: Int) {
        // Characters are walked only as far as needed: counting a 60 MB line's Characters was a
        // fifth of reporting it, twice over.
        guard line.utf8.count > excerptWidth, hasCharacters(line, moreThan: excerptWidth) else { return (line, column) }
        let wanted = column - 1 - 40
        let start = wanted <= 0 || hasCharacters(line, moreThan: wanted + excerptWidth - 2) ? max(0, wanted) : line.count - excerptWidth + 1
        let body = line.dropFirst(start).prefix(excerptWidth - 2)
        let cutEnd = body.endIndex != line.endIndex
        return ((start > 0 ? "…" : "") + body + (cutEnd ? "…" : ""), column - start + (start > 0 ? 1 : 0))
    }

    /// Whether `line` has more than `count` Characters, walking no further than that.
    private static func hasCharacters(_ line: String, moreThan count: Int) -> Bool {
        line.index(line.startIndex, offsetBy: count, limitedBy: line.endIndex).map { $0 != line.endIndex } ?? false
    }

    /// `line` with its secrets masked, and the caret's columns moved to match: the parts before,
    /// under and after the caret are masked apart, so a placeholder longer or shorter than the
    /// secret does not shift the caret (a secret across the caret's edge masks the whole line).
    static func masked(_ line: String, column: Int, endColumn: Int?, redactor: Redactor) -> (String, Int, Int?) {
        guard !redactor.isEmpty, redactor.redact(line) != line else { return (line, column, endColumn) }
        let characters = Array(line)
        let start = min(max(0, column - 1), characters.count)
        let end = min(max(start, (endColumn ?? column) - 1), characters.count)
        let before = redactor.redact(String(characters[..<start]))
        let under = redactor.redact(String(characters[start..<end]))
        let after = redactor.redact(String(characters[end...]))
        let joined = before + under + after
        if redactor.redact(joined) != joined { return (redactor.redact(line), column, endColumn) }
        let newColumn = before.count + 1
        return (joined, newColumn, endColumn.map { _ in newColumn + under.count })
    }

    func summaryLine(_ s: ReportSummary) -> String {
        let counts = "\(Plural.count(s.errors, "error")), \(Plural.count(s.warnings, "warning"))"
        let scope = "\(Plural.count(s.jobs, "job")) in \(Plural.count(s.files, "file"))"
        return s.failed ? paint("invalid: \(counts) (\(scope))", "1;31") : paint("valid: \(scope), \(counts)", "1;32")
    }

    private func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
