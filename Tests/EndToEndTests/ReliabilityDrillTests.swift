import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// Disk and process drills on the binary: a ledger that cannot be written, and signals at random
/// points. Afterwards the ledger and the server's record must agree exactly.
@Suite("Reliability drills: disk and signals", .serialized)
struct ReliabilityDrillTests {
    typealias Workspace = RunCommandTests.Workspace

    @Test func aLedgerThatCannotBeCreatedRefusesTheRunBeforeAnythingIsSent() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 3)
            defer { space.folder.remove() }
            // A regular file where the ledger's folder should be: no one, not even root, can create it.
            let blocker = try space.folder.write("not-a-folder", "")
            let result = try await space.run(["run", space.manifest, "--state", blocker + "/state.jsonl"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("cannot open the state file \(blocker)/state.jsonl"), "\(result)")
            #expect(result.stderr.contains("Check that its folder exists or can be created and is writable"))
            #expect(await server.requests().isEmpty)
        }
    }

    @Test func aReadOnlyLedgerFolderRefusesTheRun() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 2)
            defer { space.folder.remove() }
            let folder = space.folder.url.appendingPathComponent("ro").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o555)
            defer { chmod(folder, 0o755) }
            let result = try await space.run(["run", space.manifest, "--state", folder + "/state.jsonl"])
            if getuid() == 0 {
                // root writes through permission bits; the drill above covers an unwritable folder.
                #expect(result.status == 0, "\(result)")
            } else {
                #expect(result.status == 1 && result.stderr.contains("cannot open the state file"), "\(result)")
                #expect(await server.requests().isEmpty)
            }
        }
    }

    @Test func aFullDiskStopsSubmissionsAndNoJobGoesUnrecorded() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 200)
            defer { space.folder.remove() }
            let binary = try #require(BulkImport.binary, BulkImport.missingBinaryMessage)
            // `ulimit -f 16` caps files this process writes at 8 to 16 KiB: the ledger fills up mid-run,
            // as on a full disk (EFBIG instead of ENOSPC, through the same write path).
            // TMPDIR names a folder that does not exist for ThreadSanitizer's runtime alone (bulk-import
            // never reads TMPDIR): at start-up it writes a 512 KiB file there and maps it over the shadow
            // of read-only code; under the file-size limit that file is cut short and the mapping faults
            // (SIGBUS) before main. With no such folder it skips that optimisation (scripts/sanitize).
            let (manifest, folder) = (space.manifest, space.folder.url)
            let result = try await offThePool {
                try BulkImport.runProgram(
                    "/bin/sh", ["-c", "ulimit -f 16; exec \"$0\" run \"$1\" --concurrency 4", binary.path, manifest],
                    environment: RunCommandTests.environment.merging(["TMPDIR": folder.path + "/no-such-folder"]) { $1 },
                    in: folder)
            }
            #expect(result.status == 1, "\(result)")
            #expect(
                result.stdout.contains("the state could not record it") || result.stdout.contains("cannot write to the state file"),
                "\(result)")
            #expect(result.output.contains("File too large"), "\(result)")
            let created = await server.jobs()
            #expect(created.count > 0 && created.count < 200, "the drill did not stop the run mid-way: \(created.count)")
            // Every job the server created is in the ledger, or was printed with its id as created but
            // not recorded; nothing else was sent.
            let recorded = Set(try Ledger.snapshot(path: space.ledger).flatMap(\.jobIDs))
            for job in created where !recorded.contains(job.id) {
                #expect(
                    result.stdout.contains("job \(job.id) was created, but the state could not record it"), "\(job.id) is lost: \(result)")
            }
            #expect(created.count - recorded.count <= 4)  // at most the creates in flight
            let unrecorded = created.count { !recorded.contains($0.id) }
            if unrecorded > 0 { #expect(result.stdout.contains("\(unrecorded) unknown"), "\(result)") }
            RunCommandTests.expectNoSecret([result.output, space.written()])
        }
    }

    /// SIGINT or SIGTERM at a random moment of a run of many jobs, several times over. After each,
    /// the ledger's job ids and the server's jobs are the same set; at the end every job was
    /// imported exactly once.
    @Test func signalsAtRandomPointsLeaveTheLedgerAndTheServerInAgreement() async throws {
        try await RunCommandTests.withServer({
            $0.latency = .milliseconds(15)
            $0.jobTimeline = .polls(3)
        }) { server in
            let count = 60
            let space = try Workspace(server: server, count: count)
            defer { space.folder.remove() }
            var generator = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["DRILL_SEED"] ?? "") ?? 20_261_127)
            var interrupted = 0
            var rounds: [String] = []
            for round in 0..<6 {
                // The moment is a request of the run still to come: one of its creates (one for
                // each job left), or any of its first requests (a re-run polls the jobs earlier
                // rounds created before it creates more). The server sends the signal from its own
                // thread as that request arrives, after a random wait. Timed by the test's tasks
                // (lines read, then a sleep), a loaded suite once woke them only after the run had
                // ended, six rounds in a row, and the drill proved nothing.
                let left = count - (await server.jobs().count)
                let onCreate = left > 0 && Bool.random(using: &generator)
                let request = Int.random(in: 1...(onCreate ? left : left + 10), using: &generator)
                let delay = Int.random(in: 0...100, using: &generator)
                let sig = Bool.random(using: &generator) ? SIGINT : SIGTERM
                let cue = SignalCue(sig, after: .milliseconds(delay))
                await server.trip(onRequest: request, path: onCreate ? "/v2/vectordb/jobs/import/create" : nil) { cue.fire() }
                let tool = try space.start([
                    "run", space.manifest, "--concurrency", "4", "--wait", "--poll-interval", "0.05", "--progress", "lines",
                ])
                cue.attach(tool)
                let result = await tool.finished()
                cue.cancel()
                await server.disarm()
                #expect([0, 1, 130, 128 + sig].contains(result.status), "round \(round): \(result)")
                if result.status == 130 { interrupted += 1 }
                rounds.append(
                    "round \(round): signal \(sig) at \(onCreate ? "create" : "request") \(request) of a run with \(left) jobs left, \(delay) ms later"
                        + (cue.hasFired ? "" : " (the run ended before that request)") + ", exit \(result.status)")
                let recorded = Set(try Ledger.snapshot(path: space.ledger).flatMap(\.jobIDs))
                let created = Set(await server.jobs().map(\.id))
                #expect(recorded == created, "round \(round) (signal \(sig)): ledger and server disagree: \(result)")
            }
            // The first round's request comes by its last create, and its polls go on for longer
            // than the wait: it is interrupted mid-run unless the tool ignores the signal.
            #expect(interrupted > 0, "no round was interrupted mid-run; the drill proved nothing: \(rounds)")
            let last = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05"])
            #expect(last.status == 0, "\(last)")
            let perFile = await RunCommandTests.createdPerFile(server)
            #expect(perFile.count == count && perFile.values.allSatisfy { $0 == 1 }, "\(perFile)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing drill can be replayed with DRILL_SEED.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
