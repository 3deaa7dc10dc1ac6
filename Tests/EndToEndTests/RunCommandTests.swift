import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `run`, `status` and `list` as a user runs them: the built binary against the loopback test
/// double, killed and interrupted at awkward moments, with everything it wrote scanned for secrets.
@Suite("run, status and list end to end", .serialized)
struct RunCommandTests {
    static let token = "root:e2e-S3CRET-token"
    static let environment = ["MILVUS_TOKEN": token]

    /// A folder with a manifest of `count` jobs on the server, each importing a file of its own.
    struct Workspace {
        let folder: TemporaryFolder
        let manifest: String
        var ledger: String { folder.url.appendingPathComponent(".bulk-import/state.jsonl").path }

        init(server: ImportTestServer, count: Int, failing: Set<Int> = []) throws {
            folder = try TemporaryFolder()
            let text = LoopbackFixture.manifest(server: server, count: count, failing: failing)
            do {
                manifest = try folder.write("imports.yaml", text)
            } catch {
                folder.remove()
                throw error
            }
        }

        func run(_ arguments: [String]) async throws -> ProcessResult {
            let folder = folder.url
            return try await offThePool { try BulkImport.run(arguments, environment: RunCommandTests.environment, in: folder) }
        }

        func start(_ arguments: [String]) throws -> ChildProcess {
            try BulkImport.start(arguments, environment: RunCommandTests.environment, in: folder.url)
        }

        /// Every byte the tool wrote into the folder (the ledger and its lock file).
        func written() -> String {
            var text = ""
            let files = FileManager.default.enumerator(at: folder.url, includingPropertiesForKeys: nil)
            while let url = files?.nextObject() as? URL {
                if let data = try? Data(contentsOf: url) { text += String(decoding: data, as: UTF8.self) }
            }
            return text
        }
    }

    /// Runs `body` against a fresh server (the token required, jobs done on their second poll) and
    /// shuts it down afterwards, whether `body` returns or throws.
    static func withServer<T>(
        _ configure: (inout ImportTestServerConfiguration) -> Void = { _ in }, _ body: (ImportTestServer) async throws -> T
    ) async throws -> T {
        try await LoopbackFixture.withServer(token: token, configure, body)
    }

    /// How many jobs the server created per data file.
    static func createdPerFile(_ server: ImportTestServer) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in await server.jobs() { counts[job.files.first?.first ?? "?", default: 0] += 1 }
        return counts
    }

    static func waitUntil(_ seconds: Double = 120, _ condition: () async -> Bool) async throws {
        let end = Date().addingTimeInterval(seconds)
        while !(await condition()) {
            if Date() > end {
                Issue.record("timed out waiting")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func expectNoSecret(_ texts: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for text in texts {
            #expect(!text.contains(token) && !text.contains("e2e-S3CRET"), "a secret was written: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func runWaitRerunStatusAndListNeverImportTwiceNorLeakTheToken() async throws {
        try await Self.withServer { server in
            let space = try Workspace(server: server, count: 5)
            defer { space.folder.remove() }

            let first = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05", "--format", "json"])
            #expect(first.status == 0, "\(first)")
            let events = try first.stdout.split(separator: "\n").map { try parseJSONObject(String($0)) }
            #expect(events.filter { $0["event"] as? String == "submitted" }.count == 5)
            #expect(events.filter { $0["event"] as? String == "completed" }.count == 5)
            let summary = try #require(events.last)
            #expect(summary["event"] as? String == "summary" && summary["completed"] as? Int == 5 && summary["exitCode"] as? Int == 0)

            let again = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05"])
            #expect(again.status == 0 && again.stdout.contains("5 skipped"), "\(again)")
            #expect(await Self.createdPerFile(server).values.allSatisfy { $0 == 1 })
            #expect(await server.jobs().count == 5)

            let status = try await space.run(["status", space.manifest])
            #expect(status.status == 0, "\(status)")
            let list = try await space.run(["list", "local", space.manifest])
            #expect(list.status == 0, "\(list)")
            for i in 0..<5 { #expect(list.stdout.contains("job-\(i)")) }
            #expect(list.stdout.contains("5 import jobs on target 'local'") && list.stdout.contains("5 in the ledger"))

            Self.expectNoSecret([first.output, again.output, status.output, list.output, space.written()])
        }
    }

    @Test func failuresReachTheUserWithTheirReasonsAndExitOne() async throws {
        try await Self.withServer { server in
            let space = try Workspace(server: server, count: 3, failing: [1])
            defer { space.folder.remove() }
            let result = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05", "--progress", "lines"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("failed     job-1: the import failed on the server"))
            #expect(result.stdout.contains("data/fail-1.parquet"))
            #expect(result.stdout.contains("2 completed, 1 failed on the server"))
            Self.expectNoSecret([result.output, space.written()])
        }
    }

    @Test func killDashNineMidRunThenReRunsImportEveryJobExactlyOnce() async throws {
        // The server kills the tool from its own thread as the tenth create arrives, before it is
        // handled: the creates in flight with it are then handled for a client that is gone. Timed
        // by the test's tasks (wait for ten jobs, then kill), a loaded suite once woke them only
        // after the whole run of 2.5 s had ended, and the kill proved nothing.
        try await Self.withServer({
            $0.latency = .milliseconds(50)
            $0.honoursIdempotencyKey = true
        }) { server in
            let count = 40
            let space = try Workspace(server: server, count: count)
            defer { space.folder.remove() }

            let cue = SignalCue(SIGKILL)
            await server.trip(onRequest: 10, path: "/v2/vectordb/jobs/import/create") { cue.fire() }
            let tool = try space.start(["run", space.manifest, "--concurrency", "4"])
            cue.attach(tool)
            let killed = await tool.finished()
            cue.cancel()
            #expect(killed.status == 128 + SIGKILL)
            #expect(cue.isDue, "the run ended before its tenth create: \(killed)")
            // The creates in flight as the tool died (the tenth among them) are handled after the
            // latency; no other create can come.
            try await Self.waitUntil { await server.jobs().count >= 10 }
            let afterKill = await server.jobs().count
            #expect(afterKill < count, "\(afterKill) jobs")

            // The ledger survived the kill; every id the server returned to the tool is in it.
            let entries = try Ledger.snapshot(path: space.ledger)
            #expect(!entries.isEmpty)

            // A plain re-run submits the rest, skips what was submitted, and resends nothing unknown.
            let rerun = try await space.run(["run", space.manifest, "--concurrency", "4"])
            #expect(rerun.status == 0 || rerun.stdout.contains("unknown"), "\(rerun)")
            #expect(await Self.createdPerFile(server).values.allSatisfy { $0 == 1 }, "a job was imported twice")

            // Unknown outcomes are resolved with the same Idempotency-Key: still exactly once.
            let resolve = try await space.run(["run", space.manifest, "--retry-unknown"])
            #expect(resolve.status == 0, "\(resolve)")
            let perFile = await Self.createdPerFile(server)
            #expect(perFile.count == count && perFile.values.allSatisfy { $0 == 1 }, "\(perFile)")
            let ledgerIDs = Set(try Ledger.snapshot(path: space.ledger).flatMap(\.jobIDs))
            #expect(ledgerIDs == Set(await server.jobs().map(\.id)))
            Self.expectNoSecret([killed.output, rerun.output, resolve.output, space.written()])
        }
    }

    @Test func ctrlCStopsNewSubmissionsLetsRequestsFinishAndExits130() async throws {
        // 1 s a create, 3 at a time: the run would take 10 s. At 250 ms a loaded machine saw the
        // third job only when the run had all but ended, and the Ctrl-C came after the last submission.
        try await Self.withServer({ $0.latency = .seconds(1) }) { server in
            let space = try Workspace(server: server, count: 30)
            defer { space.folder.remove() }
            let tool = try space.start(["run", space.manifest, "--concurrency", "3"])
            try await Self.waitUntil { await server.jobs().count >= 3 }
            tool.signal(SIGINT)
            let waited = ContinuousClock.now
            let result = await tool.finished()
            let seconds = waited.duration(to: .now)
            #expect(result.status == 130, "\(result)")
            #expect(seconds < .seconds(10))
            #expect(result.stderr.contains("interrupted: no new submissions"))
            #expect(result.stdout.contains("interrupted: 30 jobs selected;") && result.stdout.contains("not submitted"), "\(result)")
            // Requests in flight were answered and recorded: the ledger and the server agree exactly.
            let entries = try Ledger.snapshot(path: space.ledger)
            #expect(entries.allSatisfy { $0.status == .submitted }, "\(entries)")
            #expect(Set(entries.flatMap(\.jobIDs)) == Set(await server.jobs().map(\.id)))
            #expect(await server.jobs().count < 30)
            Self.expectNoSecret([result.output, space.written()])
        }
    }

    @Test func aSecondCtrlCExitsAtOnceAndTheLedgerStaysConsistent() async throws {
        // The first two creates must still be in flight at the second Ctrl-C. With 3 s, a test
        // process slowed down by ThreadSanitizer sent its Ctrl-Cs after they had been answered.
        try await Self.withServer({ $0.latency = .seconds(10) }) { server in
            let space = try Workspace(server: server, count: 10)
            defer { space.folder.remove() }
            let tool = try BulkImport.start(
                ["run", space.manifest, "--concurrency", "2"],
                environment: Self.environment.merging(BulkImport.leakCheckOff) { $1 }, in: space.folder.url)
            try await Self.waitUntil { await server.requests().count >= 2 }
            tool.signal(SIGINT)
            // The second Ctrl-C only once the tool has taken the first: sent a fixed time later, on
            // a loaded machine both could arrive before it read either, and count as one.
            #expect(await tool.waitForError(containing: "interrupted: no new submissions"), "the first Ctrl-C was not taken")
            tool.signal(SIGINT)
            let waited = ContinuousClock.now
            let result = await tool.finished()
            let seconds = waited.duration(to: .now)
            #expect(result.status == 130, "\(result)")
            // Without the second Ctrl-C the tool would wait for the creates (10 s) or its 10 s grace
            // period; 5 s tells the two apart with room for a loaded machine to start the exit.
            #expect(seconds < .seconds(5), "the second Ctrl-C should exit at once")
            #expect(result.stderr.contains("interrupted again: exiting now"))

            // The two creates in flight are recorded as intents: a re-run does not send them again,
            // and submits the rest. It calls each unknown, or adopts it when the server has carried
            // it out by then (its 10 s ran out first on a loaded machine: the list found the job).
            await server.setLatency(.zero)
            let rerun = try await space.run(["run", space.manifest])
            let unknown = rerun.stdout.components(separatedBy: "unknown    job-").count - 1
            let adopted = rerun.stdout.components(separatedBy: "adopted    job-").count - 1
            #expect(unknown + adopted == 2, "\(rerun)")
            #expect(rerun.status == (unknown > 0 ? 1 : 0), "\(rerun)")
            #expect(await Self.createdPerFile(server).values.allSatisfy { $0 == 1 })
            Self.expectNoSecret([result.output, rerun.output, space.written()])
        }
    }

    @Test func onATerminalTheLiveDisplayRedrawsInPlaceAndEndsWithATable() async throws {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux `script` is needed to give the tool a terminal")
        let binary = try #require(BulkImport.binary, BulkImport.missingBinaryMessage)
        try await Self.withServer({ $0.jobTimeline = .polls(4) }) { server in
            let space = try Workspace(server: server, count: 4, failing: [3])
            defer { space.folder.remove() }
            let command = "stty cols 90 rows 20; \(binary.path) run \(space.manifest) --wait --poll-interval 0.2"
            let folder = space.folder.url
            let result = try await offThePool {
                try BulkImport.runProgram(
                    script, ["-qefc", command, "/dev/null"], environment: Self.environment.merging(["TERM": "xterm"]) { $1 }, in: folder)
            }
            #expect(result.status == 1, "\(result)")  // job-3 fails on the server
            #expect(result.stdout.contains("\u{1B}[J"), "no redraw in place: \(result)")
            #expect(result.stdout.contains("JOB") && result.stdout.contains("RESULT") && result.stdout.contains("failed on the server"))
            #expect(result.stdout.contains("done: 4 jobs selected; 4 submitted, 3 completed, 1 failed on the server"))
            // No line of the live area is wider than the terminal.
            for line in result.stdout.components(separatedBy: "\u{1B}[J").dropFirst().flatMap({ $0.split(separator: "\r\n") })
            where line.hasPrefix("  job-") {
                #expect(line.count <= 90, "\(line)")
            }
            Self.expectNoSecret([result.output, space.written()])
        }
    }
}
