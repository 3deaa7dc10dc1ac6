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
