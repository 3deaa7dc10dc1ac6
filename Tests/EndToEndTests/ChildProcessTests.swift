import Foundation
import TestSupport
import Testing

/// The one process runner the suites share (TestSupport's ``ChildProcess``): what it promises
/// the tests that run programs through it.
@Suite("Process runner")
struct ChildProcessTests {
    static let environment = BulkImport.childEnvironment([:])

    @Test func bothPipesAreReadWhileTheProgramRunsSoLargeOutputCannotDeadlock() async throws {
        let script = #"head -c 1000000 /dev/zero | tr '\0' a; head -c 1000000 /dev/zero | tr '\0' b >&2; exit 3"#
        let result = try await offThePool { try ChildProcess.run("/bin/sh", ["-c", script], environment: Self.environment) }
        #expect(result.status == 3 && result.exited)
        #expect(result.stdout.utf8.count == 1_000_000 && result.stdout.allSatisfy { $0 == "a" })
        #expect(result.stderr.utf8.count == 1_000_000 && result.stderr.allSatisfy { $0 == "b" })
    }

    @Test func aProgramPastItsTimeoutIsKilled() async throws {
        let result = try await offThePool { try ChildProcess.run("/bin/sleep", ["30"], environment: Self.environment, timeout: 0.5) }
        #expect(result.signal == SIGKILL && result.status == 128 + SIGKILL)
        #expect(result.seconds < 10, "took \(result.seconds) s")
    }

    @Test func whatTheProgramLeftRunningInTheBackgroundDoesNotHoldTheWait() async throws {
        // The background sleep keeps stdout open: waiting for the pipe's end alone would take 30 s.
        let result = try await offThePool {
            try ChildProcess.run("/bin/sh", ["-c", "sleep 30 & echo started"], environment: Self.environment, timeout: 20)
        }
        #expect(result.status == 0 && result.stdout == "started\n")
        #expect(result.seconds < 10, "took \(result.seconds) s")
    }

    @Test func standardInputAndOutputLineByLine() async throws {
        let process = try ChildProcess(
            "/bin/sh", ["-c", #"echo ready; read x; echo "got $x"; printf tail; exit 5"#], environment: Self.environment, input: .pipe)
        #expect(await offThePool { process.nextLine() } == "ready")
        process.write("hello\n")
        process.closeInput()
        #expect(await offThePool { process.nextLine() } == "got hello")
        #expect(await offThePool { process.nextLine() } == "tail")
        #expect(await offThePool { process.nextLine() } == nil)
        let result = await process.finished()
        #expect(result.status == 5 && result.stdout == "ready\ngot hello\ntail")
    }

    /// More programs at once than the cooperative pool has threads, each waiting for a file only
    /// this test's task creates after starting them all: if a wait held a pool thread, the task
    /// could not run, and every program would be killed at its timeout. The timeout is long: with
    /// every suite at once on a loaded 2-core machine, the task's turn on the pool took 53 s.
    @Test func waitsInAsyncCodeLeaveTheCooperativePoolFree() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let signal = folder.url.appendingPathComponent("go").path
        let script = "while [ ! -e \"$0\" ]; do sleep 0.05; done; echo seen"
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let started = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for _ in 0..<count {
                group.addTask {
                    started.continuation.yield()
                    return try await BulkImport.runProgram("/bin/sh", ["-c", script, signal], timeout: 300)
                }
            }
            var iterator = started.stream.makeAsyncIterator()
            for _ in 0..<count { await iterator.next() }
            FileManager.default.createFile(atPath: signal, contents: nil)
            for try await result in group { #expect(result.status == 0 && result.stdout == "seen\n", "\(result)") }
        }
    }

    @Test func standardErrorLineByLineWhileTheProgramRuns() async throws {
        let process = try ChildProcess(
            "/bin/sh", ["-c", #"echo one >&2; echo two >&2; read x; echo "$x" >&2"#], environment: Self.environment, input: .pipe)
        #expect(await process.nextErrorLine() == "one")
        #expect(await process.waitForError(containing: "tw"))
        process.write("three\n")
        process.closeInput()
        #expect(await process.waitForError(containing: "four") == false)
        let result = await process.wait()
        #expect(result.status == 0 && result.stderr == "one\ntwo\nthree\n")
    }

    @Test func aSignalReachesTheProgramAndIsReportedAsAShellWould() async throws {
        let process = try ChildProcess("/bin/sleep", ["30"], environment: Self.environment)
        process.signal(SIGTERM)
        let result = await process.finished()
        #expect(result.signal == SIGTERM && result.status == 128 + SIGTERM && !result.exited)
        #expect(result.waitStatus & 0x7F == SIGTERM)
    }

    @Test func aCueThatComesBeforeItsProcessSignalsItOnceAttached() async throws {
        let cue = SignalCue(SIGTERM)
        cue.fire()
        cue.fire()
        #expect(cue.isDue)
        let process = try ChildProcess("/bin/sleep", ["30"], environment: Self.environment)
        cue.attach(process)
        let result = await process.finished()
        #expect(result.signal == SIGTERM, "\(result)")
    }

    @Test func aCancelledCueSignalsNothing() async throws {
        let process = try ChildProcess("/bin/sleep", ["30"], environment: Self.environment)
        let cue = SignalCue(SIGTERM)
        cue.attach(process)
        cue.cancel()
        cue.fire()
        process.signal(SIGKILL)
        let result = await process.finished()
        #expect(result.signal == SIGKILL, "the cancelled cue's SIGTERM came first: \(result)")
    }

    @Test func aCueSignalsAfterItsDelayOnAThreadOfItsOwn() async throws {
        // A first cue with no delay would kill at once; this one waits, so the process is alive
        // until then (a `sleep` of 30 s ends only by the signal).
        let process = try ChildProcess("/bin/sleep", ["30"], environment: Self.environment)
        let cue = SignalCue(SIGINT, after: .milliseconds(300))
        cue.attach(process)
        let start = ContinuousClock.now
        cue.fire()
        #expect(cue.hasFired && !cue.isDue, "the cue has come, the delay has not passed")
        let result = await process.finished()
        #expect(result.signal == SIGINT, "\(result)")
        #expect(start.duration(to: .now) >= .milliseconds(300))
    }
}
