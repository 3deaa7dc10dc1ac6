import Testing

@testable import BulkImportKit

@Suite struct ProgressLineThrottleTests {
    private func importing(_ percent: Int) -> RunEvent {
        .progress(job: "a", progress: JobProgress(state: .importing, progress: percent, importedRows: percent * 10, totalRows: 1000))
    }

    @Test func aLineWhenTheStateChangesTheProgressMovesTenPointsOrThirtySecondsPass() {
        var throttle = ProgressLineThrottle()
        func admits(_ event: RunEvent, at time: Double) -> Bool { throttle.admits(event, at: time) }
        #expect(admits(importing(1), at: 0))
        // Polls every second that move a little: no line.
        for (i, p) in [2, 5, 9, 10].enumerated() { #expect(!admits(importing(p), at: Double(i + 1))) }
        #expect(admits(importing(11), at: 5))
        #expect(!admits(importing(12), at: 20))
        #expect(admits(importing(12), at: 35))
        // A new state always gets its line.
        #expect(
            admits(.progress(job: "a", progress: JobProgress(state: .pending, progress: 12, importedRows: nil, totalRows: nil)), at: 36))
        #expect(admits(.completed(job: "a", progress: JobProgress(state: .completed, progress: 100)), at: 37))
        #expect(admits(.submitted(job: "b", jobIDs: ["1"]), at: 37))
    }

    @Test func sixJobsPolledForFourSecondsPrintAFewLinesNotOnePerPoll() {
        var throttle = ProgressLineThrottle()
        var printed = 0
        for tick in 0..<40 {
            for job in 0..<6 {
                let event = RunEvent.progress(
                    job: "job-\(job)",
                    progress: JobProgress(state: .importing, progress: min(99, tick * 2), importedRows: tick, totalRows: 100))
                if throttle.admits(event, at: Double(tick) * 0.1) { printed += 1 }
            }
        }
        #expect(printed <= 6 * 10, "\(printed)")
        #expect(printed >= 6)
    }
}

@Suite struct RunSummaryTextTests {
    @Test func theSummarySaysOnlyTheCountsThatAreNotZero() {
        var summary = RunSummary()
        summary.selected = 6
        summary.completed = 4
        summary.notSubmitted = 2
        #expect(RunEventFormatter().summaryText(summary) == "done: 6 jobs selected; 2 not submitted, 4 completed")
        #expect(RunEventFormatter().summaryText(RunSummary()) == "done: 0 jobs selected")
        summary = RunSummary()
        summary.selected = 1
        summary.submitted = 1
        #expect(RunEventFormatter().summaryText(summary) == "done: 1 job selected; 1 submitted")
    }
}

@Suite struct NotSubmittedListTests {
    @Test func oneLinePerReasonNamingUpToTheLimit() {
        var list = NotSubmittedList()
        for i in 0..<45 { list.take(JobStanding(job: "j\(i)", status: .notSubmitted(reason: "not sent: the run was interrupted"))) }
        list.take(JobStanding(job: "x", status: .notSubmitted(reason: "not in the state: never submitted")))
        list.take(JobStanding(job: "done", status: .completed))
        let lines = list.lines()
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("not submitted  45 jobs (not sent: the run was interrupted): j0, j1,"))
        #expect(lines[0].hasSuffix("j39, and 5 more"))
        #expect(lines[1] == "not submitted  1 job (not in the state: never submitted): x")
    }
}
