import Foundation
import ImportTestServer
import ServiceLifecycleTestKit
import Testing

@testable import BulkImportKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two stages of stopping a run from a library caller: a graceful shutdown stops submitting,
/// cancellation ends every wait at once; neither cancels a create in flight, and nothing spins.
@Suite struct CancellationTests {
    static let create = "/v2/vectordb/jobs/import/create"

    #if canImport(Glibc)
        static let rusageSelf = RUSAGE_SELF.rawValue
    #else
        static let rusageSelf = RUSAGE_SELF
    #endif

    /// CPU seconds (user and system) this process has used so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Self.rusageSelf, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Waits (up to 300 s, as long as a run is given to end) until `condition` holds. Only a broken
    /// run takes that long; a loaded machine took 30 s to send a first create, and once, with every
    /// suite beside a release build on 2 cores, more than 60 s to log a first retry (the 5 ms poll
    /// below woke 9.5 s late: the pool's threads were all taken).
    static func until(_ condition: () async -> Bool) async throws {
        let end = ContinuousClock.now + .seconds(300)
        while await !condition() {
            try #require(ContinuousClock.now < end, "timed out")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The value of `task`, or nil when it takes longer than `limit` (the task is then left
    /// behind: awaiting it in a task group would wait for it all the same).
    static func value<T: Sendable>(of task: Task<T, any Error>, within limit: Duration) async throws -> T? {
        return try await withCheckedThrowingContinuation { continuation in
            let once = FirstAnswer(continuation)
            Task {
                do { once.resume(.success(try await task.value)) } catch { once.resume(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(.success(nil))
            }
        }
    }

    static func count(_ log: EventLog, _ match: (RunEvent) -> Bool) -> Int { log.events.filter(match).count }

    /// Set in the process that ``cancellingARunWhileItFollowsJobsEndsItWithoutSpinningAndLetsTheCreateInFlightFinish()`` starts.
    static let inCPUProbe = ProcessInfo.processInfo.environment["BULK_IMPORT_CPU_PROBE"] == "1"

    /// The process's CPU time counts every test running in it at the same time, so the run is
    /// measured in a process of its own: this test binary again, running only the probe below.
    @Test(.enabled(if: !inCPUProbe))
    func cancellingARunWhileItFollowsJobsDoesNotSpin() async throws {
        #if os(Linux)
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("bi-cpu-probe-\(UUID().uuidString).txt")
            #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
            defer { try? FileManager.default.removeItem(at: output) }
            let process = Process()
            // This test binary: `swift test` runs it with the same kind of arguments.
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["--testing-library", "swift-testing", "--filter", "cancellingARunWhileItFollowsJobsEndsItWithoutSpinning"]
            process.environment = ProcessInfo.processInfo.environment.merging(["BULK_IMPORT_CPU_PROBE": "1"]) { $1 }
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
            try? handle.close()
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            #expect(status == 0, "\(text)")
            let ran = text.split(separator: "\n").contains { $0.contains("EndsItWithoutSpinning") && $0.contains("passed after") }
            #expect(ran, "the probe did not run: \(text)")
        #endif
    }

    @Test(.enabled(if: inCPUProbe))
    func cancellingARunWhileItFollowsJobsEndsItWithoutSpinningAndLetsTheCreateInFlightFinish() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(1_000_000) }) { h in
            // Two creates are answered at once, the third only after 2 s.
            await h.server.inject(Fault(.delay(.zero), times: 2, path: Self.create))
            await h.server.inject(Fault(.delay(.seconds(2)), times: 1, path: Self.create))
            var options = RunOptions.waiting
            options.concurrency = 3
            let log = EventLog()
            let jobs = (0..<3).map { h.milvusJob("job-\($0)", files: [["data/\($0).parquet"]]) }
            let run = Task { try await h.run(jobs, options: options, log: log) }
            try await Self.until {
                await h.creates().count == 3 && Self.count(log) { if case .submitted = $0 { true } else { false } } == 2
            }
            let cpuBefore = Self.cpuSeconds()
            let cancelled = ContinuousClock.now
            run.cancel()
            let ended = try await Self.value(of: run, within: .seconds(30))
            let seconds = RetryPolicy.seconds(ContinuousClock.now - cancelled)
            let cpu = Self.cpuSeconds() - cpuBefore

            // The run waited for the create in flight (it was not cancelled), and did not spin meanwhile:
            // a loop that no longer waits burns a whole core for that time.
            #expect(cpu < 0.1 + seconds / 2, "\(cpu) s of CPU in \(seconds) s after the cancel")
            let summary = try #require(ended, "the cancelled run did not end")
            #expect(seconds > 0.5, "the create in flight was not waited for: \(seconds) s")
            #expect(summary.submitted == 3 && summary.stillRunning == 3 && summary.interrupted && summary.exitCode == 130, "\(summary)")
            let entries = try Ledger.snapshot(path: h.ledgerPath)
            #expect(entries.count == 3 && entries.allSatisfy { $0.status == .submitted }, "\(entries)")
            #expect(await h.server.jobsCreated(collection: "products") == 3)
        }
    }

    @Test func cancellingARunDuringARetryWaitDoesNotSendTheCreateAgain() async throws {
        try await Harness.with { h in
            // Retry-After: 3600, honoured: the run is cancelled while it waits, and a wait that did not
            // end at the cancel would outlast the 300 s the run is given to end (on a loaded 2-core
            // machine running every suite at once, a task's next turn on the pool took 53 s).
            await h.server.inject(.unavailable(retryAfter: 3600, times: 1, path: Self.create))
            let log = EventLog()
            let run = Task { try await h.run([h.milvusJob("p1")], log: log, maxRetryAfter: .seconds(3600)) }
            try await Self.until { Self.count(log) { if case .retrying = $0 { true } else { false } } == 1 }
            let cancelled = ContinuousClock.now
            run.cancel()
            let summary = try #require(try await Self.value(of: run, within: .seconds(300)), "the cancelled run did not end")
            #expect(ContinuousClock.now - cancelled < .seconds(300), "the retry wait did not end at the cancel")
            #expect(summary.failed == 1 && summary.interrupted, "\(summary)")
            #expect(await h.creates().count == 1)
            // Nothing was created: the ledger says failed (sent again by the next run), not unknown.
            let entry = try #require(try Ledger.snapshot(path: h.ledgerPath).first)
            #expect(entry.status == .failed)
        }
    }

    @Test func aGracefulShutdownStopsSubmittingAndWaiting() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(1_000_000) }) { h in
            var options = RunOptions.waiting
            options.unfinishedJobLimit = 1
            let log = EventLog()
            let jobs = (0..<3).map { h.milvusJob("job-\($0)", files: [["data/\($0).parquet"]]) }
            let capped = options
            let summary = try await testGracefulShutdown { trigger in
                async let summary = h.run(jobs, options: capped, log: log)
                // The first job runs; the others wait for its slot.
                try await Self.until { Self.count(log) { if case .waitingForSlot = $0 { true } else { false } } >= 1 }
                trigger.triggerGracefulShutdown()
                return try await summary
            }
            #expect(summary.submitted == 1 && summary.stillRunning == 1 && summary.notSubmitted == 2, "\(summary)")
            #expect(summary.interrupted && summary.exitCode == 130)
            #expect(await h.creates().count == 1)
        }
    }

    // Sleeps of an hour, ended within two minutes: no loaded machine blurs the two (a 30 s sleep
    // against a 10 s bound once took 11.3 s to end).
    @Test func theInterruptFlagEndsASleepWithoutPolling() async {
        let flag = InterruptFlag()
        let start = ContinuousClock.now
        async let slept: Void = flag.sleep(for: .seconds(3600))
        try? await Task.sleep(for: .milliseconds(20))
        flag.set()
        await slept
        #expect(ContinuousClock.now - start < .seconds(120))
        // Once set, a sleep returns at once.
        await flag.sleep(for: .seconds(3600))
    }

    @Test func cancellationEndsTheWaitsOfTheFlagTheQueueAndTheGate() async {
        let flag = InterruptFlag()
        let sleeper = Task { await flag.sleep(for: .seconds(3600)) }
        let queue = FollowQueue()
        let taker = Task { await queue.take(waitIfEmpty: true) }
        let gate = UnfinishedJobGate(limit: 1)
        #expect(await gate.acquire("c", slots: 1))
        let waiter = Task { await gate.acquire("c", slots: 1) }
        let start = ContinuousClock.now
        sleeper.cancel()
        taker.cancel()
        waiter.cancel()
        await sleeper.value
        let taken = await taker.value
        #expect(taken.items.isEmpty && !taken.finished)
        #expect(await waiter.value == false)
        #expect(ContinuousClock.now - start < .seconds(120))
        #expect(!flag.isSet)
        #expect(await gate.waiting("c") == 0)
        #expect(await gate.inUse("c") == 1)
    }

    @Test func aCancelledWaiterMakesWayForTheOneBehindIt() async throws {
        let gate = UnfinishedJobGate(limit: 2)
        #expect(await gate.acquire("c", slots: 2))
        let big = Task { await gate.acquire("c", slots: 2) }
        try await Self.until { await gate.waiting("c") == 1 }
        let small = Task { await gate.acquire("c", slots: 1) }
        try await Self.until { await gate.waiting("c") == 2 }
        await gate.release("c", slots: 1)
        #expect(await gate.waiting("c") == 2)  // the small one may not overtake the big one
        big.cancel()
        #expect(await big.value == false)
        #expect(await small.value == true)
        #expect(await gate.inUse("c") == 2)
    }
}

/// Resumes a continuation with the first answer given, ignoring later ones.
private final class FirstAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, any Error>?
    init(_ continuation: CheckedContinuation<T?, any Error>) { self.continuation = continuation }
    func resume(_ result: Result<T?, any Error>) {
        let first = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        first?.resume(with: result)
    }
}
