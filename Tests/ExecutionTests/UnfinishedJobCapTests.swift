import Foundation
import Testing
import ImportTestServer
@testable import BulkImportKit

private actor Granted {
    var order: [Int] = []
    func add(_ i: Int) { order.append(i) }
}

@Suite struct UnfinishedJobGateTests {
    @Test func slotsAreGivenInOrderAndNeverBeyondTheLimit() async throws {
        let gate = UnfinishedJobGate(limit: 3)
        #expect(await gate.acquire("c", slots: 2))
        #expect(await gate.acquire("c", slots: 1))
        #expect(await gate.wouldWait("c", slots: 1))
        #expect(!(await gate.wouldWait("other", slots: 3)))  // clusters are counted apart
        let granted = Granted()
        async let first: Bool = { let ok = await gate.acquire("c", slots: 2); await granted.add(1); return ok }()
        try await Task.sleep(for: .milliseconds(50))
        async let second: Bool = { let ok = await gate.acquire("c", slots: 1); await granted.add(2); return ok }()
        try await Task.sleep(for: .milliseconds(50))
        #expect(await granted.order.isEmpty)
        await gate.release("c", slots: 1)  // 2 in use: the first waiter (2 slots) still does not fit
        try await Task.sleep(for: .milliseconds(50))
        #expect(await granted.order.isEmpty)  // and the second may not overtake it
        await gate.release("c", slots: 2)
        let (a, b) = await (first, second)
        #expect(a && b)
        #expect(await granted.order == [1, 2])
        #expect(await gate.inUse("c") == 3)
    }

    @Test func closingRefusesWaitersAndLaterAcquires() async {
        let gate = UnfinishedJobGate(limit: 1)
        #expect(await gate.acquire("c", slots: 1))
        async let waiting = gate.acquire("c", slots: 1)
        try? await Task.sleep(for: .milliseconds(20))
        await gate.close()
        let refused = await waiting
        #expect(refused == false)
        #expect(await gate.acquire("d", slots: 1) == false)
    }

    @Test func aJobLargerThanTheCapTakesTheWholeCap() {
        #expect(UnfinishedJobGate(limit: 4).slots(forTasks: 10) == 4)
        #expect(UnfinishedJobGate(limit: 0).slots(forTasks: 10) == 0)
    }
}

@Suite struct UnfinishedJobCapTests {
    private func retries(_ log: EventLog) -> Int {
        log.events.filter { if case .retrying = $0 { true } else { false } }.count
    }

    @Test func followingKeepsEachMilvusClusterUnderTheCap() async throws {
        // The server refuses (code 2100) a create beyond 4 unfinished jobs; a cap of 4 never meets it.
        let h = try await Harness.start { $0.unfinishedJobLimit = 4; $0.jobTimeline = .polls(3) }
        var options = RunOptions()
        options.wait = true
        options.concurrency = 8
        options.unfinishedJobLimit = 4
        let log = EventLog()
        let jobs = (0..<12).map { h.milvusJob(String(format: "job-%02d", $0), files: [["data/\($0).parquet"]]) }
        let summary = try await h.run(jobs, options: options, log: log)
        #expect(summary.submitted == 12 && summary.completed == 12 && summary.exitCode == 0)
        #expect(retries(log) == 0, "a create went beyond the server's limit: \(log.lines)")
        #expect(log.events.contains { if case .waitingForSlot(_, _, 4) = $0 { true } else { false } })
        #expect(await h.server.jobsCreated(collection: "products") == 12)
        await h.stop()
    }

    @Test func withoutTheCapTheServerLimitIsHit() async throws {
        // The control for the test above: the same run with no cap meets code 2100 and retries.
        let h = try await Harness.start { $0.unfinishedJobLimit = 4; $0.jobTimeline = .polls(3) }
        var options = RunOptions()
        options.wait = true
        options.concurrency = 8
        options.unfinishedJobLimit = 0
        let log = EventLog()
        let jobs = (0..<12).map { h.milvusJob(String(format: "job-%02d", $0), files: [["data/\($0).parquet"]]) }
        _ = try await h.run(jobs, options: options, log: log)
        #expect(retries(log) > 0)
        await h.stop()
    }

    @Test func milvus23TasksCountOnePerGroup() async throws {
        let h = try await Harness.start { $0.unfinishedJobLimit = 4; $0.jobTimeline = .polls(2) }
        var options = RunOptions()
        options.wait = true
        options.concurrency = 4
        options.unfinishedJobLimit = 4
        let log = EventLog()
        let jobs = (0..<5).map { i in
            h.milvusJob("legacy-\(i)", files: [["data/\(i)-a.json"], ["data/\(i)-b.json"], ["data/\(i)-c.json"]], api: .milvusV1)
        }
        let summary = try await h.run(jobs, options: options, log: log)
        #expect(summary.completed == 5 && summary.exitCode == 0)
        #expect(retries(log) == 0, "\(log.lines)")
        await h.stop()
    }

    @Test func aWaitTimeoutStopsJobsWaitingForASlotFromBeingSent() async throws {
        // Jobs never finish; with a cap of 2, the rest wait, and the timeout leaves them unsent.
        let h = try await Harness.start { $0.jobTimeline = .polls(1_000_000) }
        var options = RunOptions()
        options.wait = true
        options.unfinishedJobLimit = 2
        options.waitTimeout = .milliseconds(300)
        let jobs = (0..<6).map { h.milvusJob("job-\($0)", files: [["data/\($0).parquet"]]) }
        let summary = try await h.run(jobs, options: options)
        #expect(summary.submitted == 2 && summary.stillRunning == 2 && summary.notSubmitted == 4)
        #expect(summary.exitCode == 1)
        #expect(await h.server.jobsCreated(collection: "products") == 2)
        await h.stop()
    }
}
