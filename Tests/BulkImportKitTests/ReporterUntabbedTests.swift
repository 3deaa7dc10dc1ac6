import Testing

@testable import BulkImportKit

/// Tabs in a quoted source line become spaces byte for byte, as the Character search did.
@Suite("Reporting: tabs in source lines")
struct ReporterUntabbedTests {
    @Test(arguments: ["", "no tabs", "\ta\tb\t", "\t\u{301}x", "é\tè", "\t\t", "a\r\tb"])
    func tabsBecomeSpacesAsBefore(_ line: String) {
        #expect(TextReporter.untabbed(line) == line.replacing("\t", with: " "))
    }
}

/// The excerpt of a long line walks Characters only as far as it needs: it must cut the same
/// text as counting the whole line did.
@Suite struct ReporterExcerptTests {
    /// The excerpt as first written, counting the whole line.
    static func counted(_ line: String, column: Int) -> (String, column: Int) {
        let width = TextReporter.excerptWidth
        guard line.count > width else { return (line, column) }
        let start = max(0, min(column - 1 - 40, line.count - width + 1))
        let body = line.dropFirst(start).prefix(width - 2)
        let cutEnd = start + body.count < line.count
        return ((start > 0 ? "…" : "") + body + (cutEnd ? "…" : ""), column - start + (start > 0 ? 1 : 0))
    }

    @Test(arguments: [1, 2, 60, 119, 120, 121, 122, 200, 400])
    func theExcerptIsTheSameAsCountingTheWholeLine(length: Int) {
        for unit in ["x", "é", "e\u{301}", "🦀"] {
            let line = String(repeating: unit, count: length)
            for column in [-5, 0, 1, 20, 41, 42, 80, length / 2, length - 80, length - 1, length, length + 1, length + 50] {
                let (text, caret) = TextReporter.excerpt(line, column: column)
                let (expectedText, expectedCaret) = Self.counted(line, column: column)
                #expect(text == expectedText && caret == expectedCaret, "\(unit) x\(length) at \(column)")
            }
        }
    }
}
