import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

private actor Granted {
    var order: [Int] = []
    func add(_ i: Int) { order.append(i) }
}

@Suite struct UnfinishedJobGateTests {
    @Test func slotsAreGivenInOrderAndNeverBeyondTheLimit() async throws {
        // The order is made by the steps, not by timing: each waiter is seen queued before the
        // next one comes, and each release makes room for exactly the grants it checks.
        let gate = UnfinishedJobGate(limit: 4)
        #expect(await gate.acquire("c", slots: 1))
        #expect(await gate.acquire("c", slots: 1))
        #expect(await gate.acquire("c", slots: 2))
        #expect(await gate.wouldWait("c", slots: 1))
        #expect(!(await gate.wouldWait("other", slots: 4)))  // clusters are counted apart
        let granted = Granted()
        let first = Task {
            let ok = await gate.acquire("c", slots: 2)
            await granted.add(1)
            return ok
        }
        try await CancellationTests.until { await gate.waiting("c") == 1 }
        let second = Task {
            let ok = await gate.acquire("c", slots: 1)
            await granted.add(2)
            return ok
        }
        try await CancellationTests.until { await gate.waiting("c") == 2 }
        #expect(await granted.order.isEmpty)
        await gate.release("c", slots: 1)  // 3 in use: the first waiter (2 slots) still does not fit
        #expect(await gate.waiting("c") == 2)
        #expect(await gate.inUse("c") == 3)  // and the second may not overtake it
        #expect(await granted.order.isEmpty)
        await gate.release("c", slots: 1)  // 2 in use: the first fits, and then the second does not
        #expect(await first.value)
        #expect(await gate.waiting("c") == 1)
        #expect(await gate.inUse("c") == 4)
        await gate.release("c", slots: 2)
        #expect(await second.value)
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

    /// With a cap of 4 the server's own limit of 4 (code 2100 beyond it) is never met; with no cap
    /// (0), the control, the same run meets it and retries.
    @Test(arguments: [4, 0])
    func followingKeepsEachMilvusClusterUnderTheCap(cap: Int) async throws {
        try await Harness.with({
            $0.unfinishedJobLimit = 4
            $0.jobTimeline = .polls(3)
        }) { h in
            var options = RunOptions.waiting
            options.concurrency = 8
            options.unfinishedJobLimit = cap
            let log = EventLog()
            let jobs = (0..<12).map { h.milvusJob(String(format: "job-%02d", $0), files: [["data/\($0).parquet"]]) }
            let summary = try await h.run(jobs, options: options, log: log)
            if cap > 0 {
                #expect(summary.submitted == 12 && summary.completed == 12 && summary.exitCode == 0)
                #expect(retries(log) == 0, "a create went beyond the server's limit: \(log.lines)")
                #expect(log.events.contains { if case .waitingForSlot(_, _, 4) = $0 { true } else { false } })
                #expect(await h.server.jobsCreated(collection: "products") == 12)
            } else {
                #expect(retries(log) > 0)
            }
        }
    }

    @Test func milvus23TasksCountOnePerGroup() async throws {
        try await Harness.with({
            $0.unfinishedJobLimit = 4
            $0.jobTimeline = .polls(2)
        }) { h in
            var options = RunOptions.waiting
            options.concurrency = 4
            options.unfinishedJobLimit = 4
            let log = EventLog()
            let jobs = (0..<5).map { i in
                h.milvusJob("legacy-\(i)", files: [["data/\(i)-a.json"], ["data/\(i)-b.json"], ["data/\(i)-c.json"]], api: .milvusV1)
            }
            let summary = try await h.run(jobs, options: options, log: log)
            #expect(summary.completed == 5 && summary.exitCode == 0)
            #expect(retries(log) == 0, "\(log.lines)")
        }
    }

    @Test func aWaitTimeoutStopsJobsWaitingForASlotFromBeingSent() async throws {
        // Jobs never finish; with a cap of 2, the rest wait, and the timeout leaves them unsent.
        try await Harness.with({ $0.jobTimeline = .polls(1_000_000) }) { h in
            var options = RunOptions.waiting
            options.unfinishedJobLimit = 2
            options.waitTimeout = .milliseconds(300)
            let jobs = (0..<6).map { h.milvusJob("job-\($0)", files: [["data/\($0).parquet"]]) }
            let summary = try await h.run(jobs, options: options)
            #expect(summary.submitted == 2 && summary.stillRunning == 2 && summary.notSubmitted == 4)
            #expect(summary.exitCode == 1)
            #expect(await h.server.jobsCreated(collection: "products") == 2)
        }
    }
}
