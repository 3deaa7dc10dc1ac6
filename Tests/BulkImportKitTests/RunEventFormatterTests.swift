import Foundation
import Testing

@testable import BulkImportKit

/// What `run --format json` and the line log say about each event: when, which files, and never
/// more of a value than a line can hold.
@Suite("Run events: JSON lines and log lines")
struct RunEventFormatterTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (1_796_054_273.123, "2026-11-30T15:57:53.123Z"), (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
    ])
    func timestampsAreRFC3339InUTCWithMilliseconds(seconds: Double, expected: String) {
        #expect(RunEventFormatter.timestamp(seconds) == expected)
    }

    /// Events carried no time: a log of JSON lines could not say when a job failed.
    @Test func everyJSONEventCarriesItsTime() throws {
        let formatter = RunEventFormatter(now: { 1_796_054_273.123 })
        for event in RedactorTests.everyEvent("x") {
            let object = try #require(try parseJSON(formatter.json(event)) as? [String: Any])
            #expect(object["time"] as? String == "2026-11-30T15:57:53.123Z", "\(object)")
        }
        let summary = try #require(try parseJSON(formatter.summaryJSON(RunSummary())) as? [String: Any])
        #expect(summary["time"] as? String == "2026-11-30T15:57:53.123Z")
    }

    /// A failed file group was the server's string `"[a/b.parquet]"`; it is the list of its paths.
    @Test func aFailedFileGroupIsAnArrayOfPaths() throws {
        let progress = JobProgress(
            state: .failed, progress: 0, reason: "bad rows",
            files: [
                FileProgress(
                    file: "[a/1.parquet, b/2.parquet]", state: .failed, progress: 0, reason: "bad rows",
                    paths: ["a/1.parquet", "b/2.parquet"]),
                FileProgress(file: "s3://bucket/x/", state: .failed, progress: 0, reason: "no access"),
                FileProgress(file: "[c.parquet]", state: .completed, progress: 100),
            ])
        let object = try #require(
            try parseJSON(RunEventFormatter().json(.importFailed(job: "j", progress: progress))) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["file"] as? [String] == ["a/1.parquet", "b/2.parquet"])
        #expect(files[1]["file"] as? [String] == ["s3://bucket/x/"])
        let line = try #require(RunEventFormatter().text(.importFailed(job: "j", progress: progress)))
        #expect(line.contains("a/1.parquet, b/2.parquet: bad rows"), "\(line)")
    }

    /// A 2 MB job name, id or server message does not make a 2 MB line.
    @Test func hugeValuesInEventsAreClipped() throws {
        let huge = String(repeating: "n", count: 2_000_000)
        let formatter = RunEventFormatter()
        for event in RedactorTests.everyEvent(huge) {
            let json = formatter.json(event)
            _ = try parseJSON(json)
            #expect(json.utf8.count < 10_000, "\(json.prefix(300))")
            #expect((formatter.text(event) ?? "").utf8.count < 10_000)
        }
    }

    @Test func summariesSpellTheirCountsRight() {
        var summary = RunSummary()
        summary.selected = 1
        #expect(RunEventFormatter().summaryText(summary) == "done: 1 job selected")
        summary.selected = 2
        summary.submitted = 1
        #expect(RunEventFormatter().summaryText(summary) == "done: 2 jobs selected; 1 submitted")
    }
}
