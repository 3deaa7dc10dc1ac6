import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// Following jobs through the states and shapes newer Milvus servers report, on the loopback
/// double's scripted progress (`internal/datacoord/import_util.go`: `GetJobProgress`,
/// `GetTaskProgresses`).
@Suite("Following jobs as newer servers report them")
struct ProgressStatesTests {
    typealias Step = ProgressScript.Step

    /// Waits (up to three minutes: the machine may be busy, the test pool starved) until `condition` holds.
    static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let end = ContinuousClock.now + .seconds(180)
        while !(await condition()) {
            if ContinuousClock.now > end {
                Issue.record("timed out waiting for \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func progresses(_ log: EventLog) -> [JobProgress] {
        log.events.compactMap { if case .progress(_, let p) = $0 { p } else { nil } }
    }

    @Test func uncommittedAndCommittingAreFollowedUntilTheJobCompletes() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 50, importedRows: 5, totalRows: 10),
                Step(state: "Uncommitted", progress: 99, importedRows: 10, totalRows: 10, polls: 2),
                Step(state: "Committing", progress: 99, importedRows: 10, totalRows: 10, polls: 2),
                Step(state: "Completed", progress: 100, importedRows: 10, totalRows: 10),
            ])
        }) { h in
            let log = EventLog()
            let summary = try await h.run([h.milvusJob("two-phase")], options: .waiting, log: log)
            #expect(summary.completed == 1 && summary.exitCode == 0)
            #expect(Self.progresses(log).map(\.state) == [.importing, .uncommitted, .committing])
            #expect(log.lines.contains("progress   two-phase: Committing 99%, 10/10 rows"), "\(log.lines)")
            #expect(log.json.contains { $0.contains(#""event":"progress""#) && $0.contains(#""state":"Uncommitted""#) })
        }
    }

    @Test func statusSaysAnUncommittedJobWaitsForItsCommit() async throws {
        try await Harness.with({ $0.progressScript = ProgressScript([Step(state: "Uncommitted", progress: 99, polls: nil)]) }) { h in
            _ = try await h.run([h.milvusJob("held")])
            var options = RunOptions.waiting
            options.waitTimeout = .zero
            let log = EventLog()
            let summary = try await h.status([h.milvusJob("held")], options: options, log: log)
            #expect(summary.stillRunning == 1 && summary.statusExitCode == 0)
            let line = try #require(log.lines.first { $0.hasPrefix("running") })
            #expect(line.contains("still Uncommitted 99%") && line.contains("waits at Uncommitted for a commit or an abort"), "\(line)")
        }
    }

    @Test func aFailureAnsweredWithZerosKeepsTheLastProgressSeenInTheEventAndTheState() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 63, importedRows: 630, totalRows: 1000),
                Step(state: "Failed", progress: 0, reason: "task failed: node down", polls: nil),
            ])
        }) { h in
            let log = EventLog()
            let summary = try await h.run([h.milvusJob("zeroed")], options: .waiting, log: log)
            #expect(summary.importFailed == 1)
            let failed = try #require(
                log.events.compactMap { if case .importFailed(_, let p) = $0 { p } else { nil } }.first)
            #expect(failed.progress == 0 && failed.lastSeen == JobProgress.SeenProgress(progress: 63, importedRows: 630, totalRows: 1000))
            #expect(log.lines.contains { $0.hasPrefix("failed     zeroed: the import failed on the server at 63% (630/1,000 rows)") })
            let ledger = try await h.openLedger()
            let entry = try await ledger.entry(for: "zeroed")
            await ledger.close()
            #expect(entry?.progress == 63)
            let later = EventLog()
            _ = try await h.status([h.milvusJob("zeroed")], options: .waiting, log: later)
            #expect(later.lines == ["failed     zeroed: task failed: node down (at 63% when last seen)"], "\(later.lines)")
        }
    }

    /// `status` in a later process knows only what the state recorded: it still says how far the job got.
    @Test func aLaterStatusKeepsTheRecordedProgressOfAJobThatThenFails() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 41, importedRows: 41, totalRows: 100),
                Step(state: "Failed", progress: 0, reason: "task failed", polls: nil),
            ])
        }) { h in
            _ = try await h.run([h.milvusJob("later")])
            var once = RunOptions.waiting
            once.waitTimeout = .zero
            _ = try await h.status([h.milvusJob("later")], options: once, log: EventLog())
            let log = EventLog()
            let summary = try await h.status([h.milvusJob("later")], options: .waiting, log: log)
            #expect(summary.importFailed == 1)
            #expect(
                log.lines.contains { $0.hasPrefix("failed     later: the import failed on the server at 41% when last seen") },
                "\(log.lines)")
        }
    }

    /// The state gets a job's progress at each state change and every 20 points, not at every poll.
    @Test func theStateRecordsProgressEveryTwentyPointsAndAtEachStateChange() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Pending", progress: 0), Step(state: "Importing", progress: 10), Step(state: "Importing", progress: 25),
                Step(state: "Importing", progress: 30, polls: 3), Step(state: "Importing", progress: 55),
                Step(state: "Importing", progress: 60),
                Step(state: "Completed", progress: 100),
            ])
        }) { h in
            _ = try await h.run([h.milvusJob("steps")], options: .waiting)
            let text = try String(contentsOfFile: h.ledgerPath, encoding: .utf8)
            let recorded = text.split(separator: "\n").filter { $0.contains(#""event":"progress""#) }.map { line in
                line.components(separatedBy: #""progress":"#).last.map { String($0.prefix { $0.isNumber }) } ?? "?"
            }
            #expect(recorded == ["0", "10", "30", "55"], "\(text)")
        }
    }

    @Test func aGroupInRetryIsNoFailureAndItsJobCompletes() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(
                    state: "Importing", progress: 45, importedRows: 100, totalRows: 200,
                    files: [
                        .init(state: "Completed", progress: 100, importedRows: 100, totalRows: 100, completeTime: ""),
                        .init(state: "Retry", progress: 0, totalRows: 100, reason: "connection reset", name: .protobuf),
                    ]),
                Step(state: "Completed", progress: 100, importedRows: 200, totalRows: 200),
            ])
        }) { h in
            let log = EventLog()
            let job = h.milvusJob("retry", files: [["r/1.parquet"], ["r/2.parquet"]])
            let summary = try await h.run([job], options: .waiting, log: log)
            #expect(summary.completed == 1 && summary.importFailed == 0 && summary.exitCode == 0)
            let running = try #require(Self.progresses(log).first)
            #expect(running.files.map(\.state) == [.completed, .retry])
            #expect(running.files[1].paths == ["r/2.parquet"] && running.files[0].completeTime == nil)
            #expect(log.lines.contains("progress   retry: Importing 45%, 100/200 rows, 1 file group in Retry (the server tries again)"))
        }
    }

    @Test func aBackupImportWithoutATotalShowsItsRowsAlone() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 70, importedRows: 5000, totalRows: 0),
                Step(state: "Completed", progress: 100, importedRows: 0, totalRows: 0),
            ])
        }) { h in
            let log = EventLog()
            let summary = try await h.run([h.milvusJob("backup")], options: .waiting, log: log)
            #expect(summary.completed == 1)
            #expect(log.lines.contains("progress   backup: Importing 70%, 5,000 rows"), "\(log.lines)")
            #expect(log.lines.contains("completed  backup: Completed 100%"), "\(log.lines)")
        }
    }

    /// A job held at one progress gets one `stalled` event however long it stays, with its files'
    /// states; moving ends the stall, and holding again makes a new one.
    @Test func aJobThatStopsMovingIsSaidToStallOncePerStall() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 30, importedRows: 10, totalRows: 100),
                Step(
                    state: "Importing", progress: 62, importedRows: 100, totalRows: 100,
                    files: [.init(state: "Completed", progress: 100), .init(state: "InProgress", progress: 90)], polls: nil),
            ])
        }) { h in
            let log = EventLog()
            var options = RunOptions.waiting
            options.stallAfter = .milliseconds(200)
            let job = h.milvusJob("slow", files: [["s/1.parquet"], ["s/2.parquet"]])
            let run = Task { try await h.run([job], options: options, log: log, requestTimeout: .seconds(60)) }
            func stalls() -> [JobProgress] { log.events.compactMap { if case .stalled(_, let p, _) = $0 { p } else { nil } } }
            try await Self.waitUntil("the first stall") { stalls().count == 1 }
            let first = try #require(stalls().first)
            #expect(first.progress == 62 && first.files.map(\.state) == [.completed, .inProgress])
            // Many more polls of the same answer: still one warning for this stall.
            let polled = await h.server.requests().count
            try await Self.waitUntil("more polls") { await h.server.requests().count >= polled + 5 }
            #expect(stalls().count == 1)
            // It moves, then holds again: a second stall.
            await h.server.update {
                $0.progressScript?.steps[1].polls = 1
                $0.progressScript?.steps.append(Step(state: "Importing", progress: 90, importedRows: 100, totalRows: 100, polls: nil))
            }
            try await Self.waitUntil("the second stall") { stalls().count == 2 }
            #expect(stalls().last?.progress == 90)
            let moved = log.events.firstIndex { if case .progress(_, let p) = $0 { p.progress == 90 } else { false } }
            let second = log.events.lastIndex { if case .stalled = $0 { true } else { false } }
            #expect(moved != nil && second != nil && moved! < second!)
            await h.server.update {
                $0.progressScript?.steps[2].polls = 1
                $0.progressScript?.steps.append(Step(state: "Completed", progress: 100))
            }
            let summary = try await run.value
            #expect(summary.completed == 1)
            #expect(log.lines.contains { $0.hasPrefix("stalled    slow: no progress for") && $0.contains("waitForIndex") })
        }
    }

    @Test func theListShowsATwoPhaseJobInTheStateItIsIn() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 50), Step(state: "Committing", progress: 99, polls: nil),
            ])
        }) { h in
            let job = h.milvusJob("listed")
            _ = try await h.run([job])
            let service = HTTPImportService(transport: h.transport, timeout: .seconds(5))
            _ = try await service.progress(of: job, jobID: try #require(await h.server.jobs().first?.id))
            _ = try await service.progress(of: job, jobID: try #require(await h.server.jobs().first?.id))
            let listed = try await service.list(job.target, collectionName: "products")
            #expect(listed.map(\.state) == [.committing] && listed.first?.progress == 99)
            let table = JobListReport(
                target: "local", endpoint: h.server.baseURL, rows: listed.map { JobListReport.Row(job: $0, ledgerJob: "listed") }
            ).table()
            #expect(table.contains("Committing") && table.contains("99%"), "\(table)")
        }
    }

    @Test func noStallIsSaidWhenStallWarningsAreOff() async throws {
        try await Harness.with({
            $0.progressScript = ProgressScript([
                Step(state: "Importing", progress: 62, polls: 40), Step(state: "Completed", progress: 100),
            ])
        }) { h in
            let log = EventLog()
            var options = RunOptions.waiting
            options.stallAfter = nil
            let summary = try await h.run([h.milvusJob("quiet")], options: options, log: log)
            #expect(summary.completed == 1)
            #expect(!log.events.contains { if case .stalled = $0 { true } else { false } })
        }
    }
}
