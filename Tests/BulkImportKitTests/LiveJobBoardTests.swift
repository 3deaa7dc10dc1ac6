import Testing

@testable import BulkImportKit

@Suite struct LiveJobBoardTests {
    private func importing(_ percent: Int, _ rows: Int, of total: Int) -> JobProgress {
        JobProgress(state: .importing, progress: percent, importedRows: rows, totalRows: total)
    }

    @Test func activeJobsGetOneLineEachWithStatePercentRowsAndElapsed() {
        var board = LiveJobBoard(total: 3, start: 100, following: true)
        _ = board.apply(.started(job: "products"), at: 100)
        _ = board.apply(.submitted(job: "products", jobIDs: ["4487"]), at: 100.5)
        _ = board.apply(.progress(job: "products", progress: importing(45, 1_204_000, of: 2_700_000)), at: 110)
        _ = board.apply(.started(job: "articles"), at: 111)
        let frame = board.frame(now: 172.4, width: 120, height: 20)
        #expect(frame.count == 3)
        #expect(frame[0].contains("products") && frame[0].contains("Importing") && frame[0].contains("45%"))
        #expect(frame[0].contains("1,204,000/2,700,000 rows") && frame[0].hasSuffix("1m12s"))
        #expect(frame[1].contains("articles") && frame[1].contains("submitting"))
        #expect(frame[2] == "[0/3 done] 2 active  1m12s")
    }

    @Test func finishedJobsLeaveTheLiveAreaAndPrintALineThatStays() {
        var board = LiveJobBoard(total: 2, start: 0, following: true)
        _ = board.apply(.started(job: "a"), at: 0)
        _ = board.apply(.submitted(job: "a", jobIDs: ["1"]), at: 1)
        let above = board.apply(
            .completed(job: "a", progress: JobProgress(state: .completed, progress: 100, importedRows: 10, totalRows: 10)), at: 5)
        #expect(above == ["completed  a: Completed 100%, 10/10 rows"])
        let failed = board.apply(.failed(job: "b", error: "code 100: collection not found"), at: 6)
        #expect(failed.first?.contains("collection not found") == true)
        let frame = board.frame(now: 7, width: 80, height: 20)
        #expect(frame == ["[2/2 done] 1 completed · 1 failed  7.0s"])
    }

    @Test func progressEventsPrintNothingAbove() {
        var board = LiveJobBoard(total: 1, start: 0, following: true)
        #expect(board.apply(.progress(job: "a", progress: importing(10, 1, of: 10)), at: 1).isEmpty)
        #expect(board.apply(.started(job: "b"), at: 1).isEmpty)
        #expect(board.apply(.waitingForSlot(job: "c", target: "local", limit: 768), at: 1).isEmpty)
    }

    @Test func linesNeverExceedTheWidthAndTheAreaNeverExceedsTheHeight() {
        var board = LiveJobBoard(total: 50, start: 0, following: true)
        for i in 0..<50 { _ = board.apply(.started(job: "a-very-long-job-name-that-goes-on-and-on-\(i)"), at: 0) }
        let frame = board.frame(now: 1, width: 40, height: 10)
        #expect(frame.count <= 9)
        #expect(frame.allSatisfy { $0.count <= 40 })
        #expect(frame.contains { $0.contains("more") })
    }

    @Test func withoutWaitingASubmittedJobIsDone() {
        var board = LiveJobBoard(total: 1, start: 0, following: false)
        _ = board.apply(.started(job: "a"), at: 0)
        let above = board.apply(.submitted(job: "a", jobIDs: ["77"]), at: 0.2)
        #expect(above == ["submitted  a: job 77"])
        #expect(board.frame(now: 1, width: 80, height: 20) == ["[1/1 done] 1 submitted  1.0s"])
    }

    @Test func theSummaryTableListsEveryJobOrOnlyTheOnesThatNeedAttention() {
        var board = LiveJobBoard(total: 3, start: 0, following: true)
        _ = board.apply(.submitted(job: "ok", jobIDs: ["1"]), at: 0)
        _ = board.apply(
            .completed(job: "ok", progress: JobProgress(state: .completed, progress: 100, importedRows: 1500, totalRows: 1500)), at: 2)
        _ = board.apply(.unknown(job: "lost", error: "timed out", advice: "check"), at: 1)
        _ = board.apply(.skipped(job: "old", reason: "already submitted"), at: 0)
        let table = board.summaryTable(now: 3)
        #expect(table.count == 4)
        #expect(table[0].hasPrefix("JOB"))
        #expect(table[1].contains("ok") && table[1].contains("completed") && table[1].contains("1,500/1,500") && table[1].hasSuffix("1"))
        let short = board.summaryTable(now: 3, limit: 2)
        #expect(short.count == 3)
        #expect(short[1].contains("lost") && short[1].contains("unknown"))
        #expect(short[2] == "… and 2 more: 1 completed, 1 skipped")
    }

    @Test func statusFillsTheJobIDAndTheTimeFromTheState() {
        // `status --wait` learns each job from the state: its ids, and when it was submitted.
        var board = LiveJobBoard(total: 2, start: 100, following: true)
        board.take(JobStanding(job: "a", status: .submitted, jobIDs: ["4487"], submittedAt: 1_000), at: 100, wallClock: 1_090)
        board.take(
            JobStanding(job: "b", status: .completed, jobIDs: ["9"], submittedAt: 900, endedAt: 960), at: 100, wallClock: 1_090)
        _ = board.apply(
            .completed(job: "a", progress: JobProgress(state: .completed, progress: 100, importedRows: 5, totalRows: 5)), at: 105)
        let table = board.summaryTable(now: 106)
        #expect(table.count == 3)
        #expect(table[1].contains("4487") && table[1].contains("1m35s"), "\(table)")
        #expect(table[2].contains("completed") && table[2].contains(" 9") && table[2].contains("1m00s"), "\(table)")
        #expect(!table.contains { $0.contains(" 0.0s") })
    }

    @Test func aSkippedJobShowsTheIDTheStateRecorded() {
        var board = LiveJobBoard(total: 1, start: 0, following: false)
        board.take(JobStanding(job: "old", status: .submitted, jobIDs: ["771"], submittedAt: 50), at: 10, wallClock: 60)
        _ = board.apply(.skipped(job: "old", reason: "already submitted as job 771"), at: 10)
        let table = board.summaryTable(now: 11)
        #expect(table[1].contains("skipped") && table[1].hasSuffix("771"), "\(table)")
        #expect(table[1].contains("10s"), "\(table)")
    }

    @Test func anAdoptedJobSaysSoInTheTableAndTheStatusLine() {
        var board = LiveJobBoard(total: 1, start: 0, following: false)
        _ = board.apply(.adopted(job: "a", jobIDs: ["5"], note: "found by its files"), at: 0)
        #expect(board.summaryTable(now: 1)[1].contains("adopted"))
        #expect(board.frame(now: 1, width: 80, height: 10).last == "[1/1 done] 1 adopted  1.0s")
    }

    @Test func jobsNeverSubmittedAreNamedUpToTheLimitThenCounted() {
        var board = LiveJobBoard(total: 50, start: 0, following: true)
        _ = board.apply(.submitted(job: "sent", jobIDs: ["1"]), at: 0)
        for i in 0..<49 {
            board.take(JobStanding(job: "j\(i)", status: .notSubmitted(reason: "not sent: the run was interrupted")), at: 1, wallClock: 1)
        }
        let table = board.summaryTable(now: 2)
        #expect(table.filter { $0.contains("not submitted") && $0.contains("interrupted") }.count == 40, "\(table)")
        #expect(table.last == "… and 9 more not submitted")
        #expect(table[0].hasSuffix("NOTE"))
        #expect(board.frame(now: 2, width: 120, height: 20).last?.contains("49 not submitted") == true)
    }

    @Test func longNamesAreClippedAndTheColumnsStayAligned() {
        var board = LiveJobBoard(total: 2, start: 0, following: false)
        let long = String(repeating: "n", count: 100_000) + "\u{1B}[2J"
        _ = board.apply(.submitted(job: long, jobIDs: ["1"]), at: 0)
        _ = board.apply(.submitted(job: "short", jobIDs: ["22"]), at: 0)
        let table = board.summaryTable(now: 1)
        #expect(table.allSatisfy { $0.count < 300 && !$0.contains("\u{1B}") }, "\(table.map(\.count))")
        let columns = table.map { $0.range(of: "submitted")?.lowerBound.utf16Offset(in: $0) }
        #expect(columns[1] != nil && columns[1] == columns[2], "\(table)")
        #expect(board.frame(now: 1, width: 80, height: 10).allSatisfy { $0.count <= 80 })
    }

    @Test(arguments: [(0.04, "0.0s"), (9.96, "9.9s"), (12, "12s"), (185, "3m05s"), (3720, "1h02m")])
    func durations(seconds: Double, text: String) {
        #expect(LiveJobBoard.duration(seconds) == text)
    }

    @Test func groupedDigits() {
        #expect(LiveJobBoard.grouped(0) == "0")
        #expect(LiveJobBoard.grouped(999) == "999")
        #expect(LiveJobBoard.grouped(1000) == "1,000")
        #expect(LiveJobBoard.grouped(1_234_567) == "1,234,567")
    }
}
