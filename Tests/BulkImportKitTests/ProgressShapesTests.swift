import Foundation
import Testing

@testable import BulkImportKit

/// What newer Milvus servers report in a job's progress (`internal/datacoord/import_util.go`:
/// `GetJobProgress`, `GetTaskProgresses`), read and shown as the servers mean it.
@Suite("Progress as the servers report it now")
struct ProgressShapesTests {
    let formatter = RunEventFormatter(now: { 0 })

    func object(_ json: String) throws -> [String: Any] {
        try #require(try parseJSON(json) as? [String: Any])
    }

    @Test func committingAndUncommittedAreStatesThatDoNotEndAJob() {
        #expect(JobState(serverName: "Committing") == .committing)
        #expect(JobState(serverName: "Uncommitted") == .uncommitted)
        #expect(!JobState.committing.isTerminal && !JobState.uncommitted.isTerminal)
        #expect(JobState.committing.description == "Committing")
        // The live board keeps such a job active, in its state.
        var board = LiveJobBoard(total: 1, start: 0, following: true)
        _ = board.apply(.progress(job: "j", progress: JobProgress(state: .committing, progress: 99)), at: 1)
        let frame = board.frame(now: 2, width: 120, height: 10)
        #expect(frame[0].contains("Committing") && frame[0].contains("99%") && frame[1].hasPrefix("[0/1 done] 1 active"), "\(frame)")
    }

    @Test func perFileTaskStatesAreReadRetryIsNotAFailure() throws {
        #expect(
            ["Pending", "InProgress", "Retry", "Completed", "Failed", "None"].map(FileState.init(serverName:)) == [
                .pending, .inProgress, .retry, .completed, .failed, .other("None"),
            ])
        let p = try MilvusV2API().progress(
            from: response(
                200,
                #"""
                {"code":0,"data":{"state":"Importing","progress":45,"importedRows":130,"totalRows":1000,"details":[
                 {"fileName":"[a/1.parquet]","state":"InProgress","progress":26,"importedRows":130,"totalRows":500,"completeTime":""},
                 {"fileName":"id:2 paths:\"b/id.npy\" paths:\"b/vec.npy\"","state":"Retry","progress":0,"importedRows":0,"totalRows":500,
                  "reason":"connection reset"},
                 {"fileName":"[c.parquet]","state":"Completed","progress":100,"completeTime":"2026-11-30T20:00:00Z"}]}}
                """#))
        #expect(p.files.map(\.state) == [.inProgress, .retry, .completed])
        #expect(p.files[1].paths == ["b/id.npy", "b/vec.npy"])
        #expect(p.files[0].importedRows == 130 && p.files[0].totalRows == 500)
        // Newer servers send "" for a group's end time: that is no time.
        #expect(p.files[0].completeTime == nil && p.files[2].completeTime == "2026-11-30T20:00:00Z")
        let line = try #require(formatter.text(.progress(job: "j", progress: p)))
        #expect(line == "progress   j: Importing 45%, 130/1,000 rows, 1 file group in Retry (the server tries again)")
        let json = try object(formatter.json(.progress(job: "j", progress: p)))
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 1)
        #expect(files[0]["state"] as? String == "Retry" && files[0]["file"] as? [String] == ["b/id.npy", "b/vec.npy"])
        #expect(files[0]["reason"] as? String == "connection reset")
    }

    /// The index pause moved from 80 % to somewhere between 60 and 90 %: no percentage means a stage.
    @Test func noPercentageIsTakenForTheIndexBuild() throws {
        for percent in [60, 80, 90] {
            let line = try #require(formatter.text(.progress(job: "j", progress: JobProgress(state: .importing, progress: percent))))
            #expect(line == "progress   j: Importing \(percent)%")
        }
        let advice = RunEventFormatter.stallAdvice(JobProgress(state: .importing, progress: 62))
        #expect(advice.contains("dataCoord.import.waitForIndex") && advice.contains("between 60% and 90%"))
    }

    /// Backup imports report `totalRows` 0, and early stages 0 of 0: no "0/0 rows", no "5,000/0".
    @Test func rowsWithoutATotalAreShownWithoutOne() throws {
        let backup = JobProgress(state: .importing, progress: 70, importedRows: 5000, totalRows: 0)
        #expect(formatter.text(.progress(job: "j", progress: backup)) == "progress   j: Importing 70%, 5,000 rows")
        let done = JobProgress(state: .completed, progress: 100, importedRows: 0, totalRows: 0)
        #expect(formatter.text(.completed(job: "j", progress: done)) == "completed  j: Completed 100%")
        var board = LiveJobBoard(total: 1, start: 0, following: true)
        _ = board.apply(.progress(job: "j", progress: backup), at: 1)
        let frame = board.frame(now: 2, width: 120, height: 10)
        #expect(frame[0].contains("5,000 rows") && !frame[0].contains("/0"), "\(frame)")
        _ = board.apply(.completed(job: "j", progress: done), at: 3)
        let table = board.summaryTable(now: 4)
        #expect(!table.joined().contains("0/0"), "\(table)")
    }

    @Test func aFailedJobsZerosKeepTheLastProgressSeen() throws {
        let zeros = JobProgress(state: .failed, progress: 0, importedRows: 0, totalRows: 0, reason: "task failed")
        let seen = JobProgress.SeenProgress(progress: 63, importedRows: 630, totalRows: 1000)
        let failed = zeros.keepingLastSeen(seen)
        #expect(failed.lastSeen == seen)
        // Only a zeroed failure takes it, and only from a job that had got somewhere.
        #expect(JobProgress(state: .importing, progress: 0).keepingLastSeen(seen).lastSeen == nil)
        #expect(zeros.keepingLastSeen(JobProgress.SeenProgress(progress: 0)).lastSeen == nil)
        let line = try #require(formatter.text(.importFailed(job: "j", progress: failed)))
        #expect(line == "failed     j: the import failed on the server at 63% (630/1,000 rows) when last seen: task failed")
        let json = try object(formatter.json(.importFailed(job: "j", progress: failed)))
        #expect(json["progress"] as? Int == 0)
        let last = try #require(json["lastSeen"] as? [String: Any])
        #expect(last["progress"] as? Int == 63 && last["importedRows"] as? Int == 630 && last["totalRows"] as? Int == 1000)
        var board = LiveJobBoard(total: 1, start: 0, following: true)
        _ = board.apply(.importFailed(job: "j", progress: failed), at: 1)
        let table = board.summaryTable(now: 2)
        #expect(table[1].contains("failed on the server at 63%") && table[1].contains("630/1,000"), "\(table)")
    }

    @Test func aStallSaysWhatThePauseUsuallyIsAndListsTheFilesStates() throws {
        let p = JobProgress(
            state: .importing, progress: 62, importedRows: 1000, totalRows: 1000,
            files: [
                FileProgress(file: "[a/1.parquet]", state: .completed, progress: 100, paths: ["a/1.parquet"]),
                FileProgress(
                    file: "[b/2.parquet]", state: .inProgress, progress: 40, paths: ["b/2.parquet"], importedRows: 400, totalRows: 1000),
                FileProgress(file: "[c/3.parquet]", state: .retry, progress: 0, reason: "node down", paths: ["c/3.parquet"]),
            ])
        let text = try #require(formatter.text(.stalled(job: "j", progress: p, seconds: 1800)))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("stalled    j: no progress for 30m00s (Importing 62%, 1,000/1,000 rows, 1 file group in Retry"))
        #expect(lines[0].contains("index build") && lines[0].contains("dataCoord.import.waitForIndex"))
        #expect(lines[0].contains("in Retry: the server tries again, it is not a failure"))
        #expect(lines[1] == "             files: 1 Completed, 1 InProgress, 1 Retry")
        #expect(lines[2] == "             b/2.parquet: InProgress 40%, 400/1,000 rows")
        #expect(lines[3] == "             c/3.parquet: Retry 0%: node down")
        let json = try object(formatter.json(.stalled(job: "j", progress: p, seconds: 1800)))
        #expect(json["event"] as? String == "stalled" && json["stalledSeconds"] as? Double == 1800)
        #expect((json["files"] as? [[String: Any]])?.map { $0["state"] as? String } == ["Completed", "InProgress", "Retry"])
        #expect((json["advice"] as? String)?.contains("waitForIndex") == true)
        // A two-phase job that waits for its commit is said to, not blamed on an index.
        let waiting = formatter.text(.stalled(job: "j", progress: JobProgress(state: .uncommitted, progress: 99), seconds: 60)) ?? ""
        #expect(waiting.contains("waits at Uncommitted for a commit or an abort") && !waiting.contains("index"))
        #expect(waiting.contains("files: the server reported none"))
    }

    @Test func aJobStillUncommittedWhenWaitingStopsIsSaidToWaitForItsCommit() throws {
        let p = JobProgress(state: .uncommitted, progress: 99, importedRows: 10, totalRows: 10)
        let line = try #require(formatter.text(.stillRunning(job: "j", progress: p)))
        #expect(line.hasPrefix("running    j: still Uncommitted 99%, 10/10 rows when waiting stopped"))
        #expect(line.contains("commit or an abort") && !line.contains("status --wait"))
    }

    @Test func theBoardMarksAStalledJobUntilItMoves() {
        var board = LiveJobBoard(total: 1, start: 0, following: true)
        let p = JobProgress(state: .importing, progress: 62)
        _ = board.apply(.progress(job: "j", progress: p), at: 1)
        let above = board.apply(.stalled(job: "j", progress: p, seconds: 600), at: 601)
        #expect(above.first?.hasPrefix("stalled    j: no progress for 10m00s") == true)
        var frame = board.frame(now: 661, width: 160, height: 10)
        #expect(frame[0].hasSuffix("stalled 11m00s"), "\(frame)")
        #expect(frame[1].hasPrefix("[0/1 done] 1 active · 1 stalled"), "\(frame)")
        _ = board.apply(.progress(job: "j", progress: JobProgress(state: .importing, progress: 70)), at: 700)
        frame = board.frame(now: 701, width: 160, height: 10)
        #expect(!frame.joined().contains("stalled"), "\(frame)")
    }

    /// In a log, the first move after a stall is printed, however small: the stall is over.
    @Test func aLogPrintsTheMoveThatEndsAStall() {
        var throttle = ProgressLineThrottle()
        let at62 = JobProgress(state: .importing, progress: 62)
        let admitted = [
            throttle.admits(.progress(job: "j", progress: at62), at: 0),
            throttle.admits(.stalled(job: "j", progress: at62, seconds: 10), at: 10),
            throttle.admits(.progress(job: "j", progress: JobProgress(state: .importing, progress: 63)), at: 11),
            throttle.admits(.progress(job: "j", progress: JobProgress(state: .importing, progress: 64)), at: 12),
        ]
        #expect(admitted == [true, true, true, false])
    }

    @Test func stallWatchSaysEachStallOnceAndAMoveEndsIt() {
        var watch = StallWatch(threshold: .seconds(10))
        let t0 = ContinuousClock.now
        #expect(watch.observe("j", moved: true, at: t0) == nil)
        #expect(watch.observe("j", moved: false, at: t0 + .seconds(9)) == nil)
        #expect(watch.observe("j", moved: false, at: t0 + .seconds(10)) == .seconds(10))
        #expect(watch.observe("j", moved: false, at: t0 + .seconds(30)) == nil)
        #expect(watch.observe("j", moved: true, at: t0 + .seconds(31)) == nil)
        #expect(watch.observe("j", moved: false, at: t0 + .seconds(41)) == .seconds(10))
        var off = StallWatch(threshold: nil)
        _ = off.observe("j", moved: true, at: t0)
        #expect(off.observe("j", moved: false, at: t0 + .seconds(100_000)) == nil)
    }

    @Test(arguments: [
        ("30m", Duration?.some(.seconds(1800))), ("1h30m", .seconds(5400)), ("90s", .seconds(90)), ("1.5h", .seconds(5400)),
        ("300ms", .milliseconds(300)), ("0", nil), ("0s", nil), ("off", nil), ("OFF", nil),
    ])
    func stallAfterTakesGoDurationsAndOff(text: String, expected: Duration?) throws {
        #expect(try RunOptions.stallAfter(parsing: text) == expected)
    }

    @Test(arguments: ["", "30", "abc", "-5m", "5 minutes", "1d", "9999999h", "5m\u{1B}[31m"])
    func aBadStallAfterIsRefusedWithTheFormsItTakes(text: String) {
        #expect(throws: StallAfterError.self) { try RunOptions.stallAfter(parsing: text) }
        do {
            _ = try RunOptions.stallAfter(parsing: text)
        } catch {
            #expect(error.description.hasPrefix("--stall-after '"))
            #expect(error.description.contains("30m, 1h30m or 90s") && error.description.contains("off"))
            #expect(!error.description.contains("\u{1B}"))
        }
    }

    /// A failed job's zeros and a backup import's 0 of 0 do not erase the rows the metrics saw.
    @Test func zeroedAnswersKeepTheRowsTheMetricsSaw() {
        let metrics = RunMetricsCollector()
        metrics.handle(.progress(job: "f", progress: JobProgress(state: .importing, progress: 63, importedRows: 630, totalRows: 1000)))
        metrics.handle(.importFailed(job: "f", progress: JobProgress(state: .failed, progress: 0, importedRows: 0, totalRows: 0)))
        metrics.handle(.progress(job: "b", progress: JobProgress(state: .importing, progress: 70, importedRows: 5000, totalRows: 0)))
        metrics.handle(.completed(job: "b", progress: JobProgress(state: .completed, progress: 100, importedRows: 0, totalRows: 0)))
        #expect(metrics.jobs["f"]?.rowsImported == 630 && metrics.jobs["f"]?.state == .failed)
        #expect(metrics.jobs["b"]?.rowsImported == 5000 && metrics.jobs["b"]?.state == .completed)
    }

    @Test func theDefaultStallIsThirtyMinutes() {
        #expect(RunOptions().stallAfter == .seconds(1800))
    }
}
