import Testing

@testable import BulkImportKit

/// What a server answers ends up in tables, lines and JSON: a hostile or broken answer (a 1 MB
/// message, a state name with terminal escapes, 100k files) must not flood or garble the output.
@Suite struct HostileServerValueTests {
    static let huge = String(repeating: "x", count: 1_000_000)
    static let escape = "Importing\u{1B}[2J\u{1B}]0;pwned\u{07}\nsecond line"

    @Test func anErrorQuotesTheServersWordsClippedAndOnOneLine() {
        let error = ImportError.server(httpStatus: 500, code: 65535, message: Self.huge + Self.escape, traceID: Self.huge)
        #expect(error.description.count < 1300, "\(error.description.count)")
        #expect(!error.description.contains("\n") && !error.description.contains("\u{1B}"))
    }

    @Test func theJobListClipsWhatTheServerGave() {
        let report = JobListReport(
            target: "local", endpoint: "http://localhost:9091",
            rows: [
                .init(
                    job: ListedJob(
                        jobID: Self.huge, collectionName: Self.escape, state: .other(Self.escape), progress: 5,
                        files: (0..<100_000).map { "f\($0)-" + Self.escape }, reason: Self.huge),
                    ledgerJob: nil)
            ])
        let table = report.table()
        #expect(table.utf8.count < 4_000, "\(table.utf8.count)")
        #expect(!table.contains("\u{1B}") && table.split(separator: "\n").count == 3, "\(table)")
        let json = report.json()
        #expect(json.utf8.count < 64 * 1024, "\(json.utf8.count)")
        #expect(!json.contains("\u{1B}"))
    }

    @Test func theLiveBoardShowsAServersStateWithoutItsEscapes() {
        var board = LiveJobBoard(total: 1, start: 0, following: true)
        _ = board.apply(.submitted(job: "a", jobIDs: ["1"]), at: 0)
        _ = board.apply(.progress(job: "a", progress: JobProgress(state: .other(Self.escape), progress: 40)), at: 1)
        let lines = board.frame(now: 2, width: 100, height: 10) + board.summaryTable(now: 2)
        #expect(lines.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\n") }, "\(lines)")
    }
}
