import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// What `run`, `status` and `plan` print as a user meets it: a log that does not repeat itself,
/// tables that say what the state knows, one error per target that cannot work.
@Suite("A calmer terminal, end to end", .serialized)
struct CalmTerminalTests {
    typealias Workspace = RunCommandTests.Workspace

    @Test func aLogGetsAProgressLineOnlyWhenSomethingMoved() async throws {
        // 40 polls a job: its progress moves 2 points a poll.
        try await RunCommandTests.withServer({ $0.jobTimeline = .polls(40) }) { server in
            let space = try Workspace(server: server, count: 3)
            defer { space.folder.remove() }
            let result = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.02", "--progress", "lines"])
            #expect(result.status == 0, "\(result)")
            for job in ["job-0", "job-1", "job-2"] {
                let progress = result.stdout.split(separator: "\n").filter { $0.hasPrefix("progress   \(job):") }
                #expect(!progress.isEmpty && progress.count <= 14, "\(progress.count) progress lines for \(job): \(result.stdout)")
            }
        }
    }

    @Test func aWrongTokenIsOneErrorForItsTargetThatSaysWhatToCheck() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 4)
            defer { space.folder.remove() }
            let folder = space.folder.url
            let manifest = space.manifest
            let result = try await offThePool {
                try BulkImport.run(
                    ["run", manifest, "--progress", "lines"], environment: ["MILVUS_TOKEN": "root:not-the-t0ken"], in: folder)
            }
            #expect(result.status == 1, "\(result)")
            #expect(result.output.components(separatedBy: "HTTP 401").count - 1 == 1, "\(result)")
            #expect(result.output.components(separatedBy: "check $<MILVUS_TOKEN>").count - 1 == 1, "\(result)")
            #expect(result.stdout.contains("1 failed, 3 not submitted"), "\(result)")
            #expect(!result.output.contains("not-the-t0ken"))
            #expect(await server.jobs().isEmpty)
        }
    }

    @Test func listWithAWrongTokenSaysWhatToCheck() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 1)
            defer { space.folder.remove() }
            let folder = space.folder.url
            let manifest = space.manifest
            _ = try await space.run(["run", manifest])
            let result = try await offThePool {
                try BulkImport.run(["list", "local", manifest], environment: ["MILVUS_TOKEN": "root:not-the-t0ken"], in: folder)
            }
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("refused the credentials") && result.stderr.contains("check $<MILVUS_TOKEN>"), "\(result)")
            #expect(!result.output.contains("not-the-t0ken"))
        }
    }

    @Test func aHostThatDoesNotResolveIsOneLineWithoutATypeName() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let manifest = try folder.write(
            "imports.yaml",
            """
            version: 1
            targets:
              local:
                milvus: {uri: "http://no-such-host.invalid:19530"}
            jobs:
              - {name: a, target: local, collection_name: products, files: [data/a.parquet]}
              - {name: b, target: local, collection_name: products, files: [data/b.parquet]}

            """)
        let url = folder.url
        let result = try await offThePool { try BulkImport.run(["run", manifest, "--progress", "lines"], environment: [:], in: url) }
        #expect(result.status == 1, "\(result)")
        #expect(result.output.components(separatedBy: "cannot resolve host 'no-such-host.invalid'").count - 1 == 1, "\(result)")
        #expect(!result.output.contains("retrying"), "\(result)")
        #expect(!result.output.contains("SocketAddressError") && !result.output.contains("NIOConnectionError"), "\(result)")
    }

    @Test func afterCtrlCTheTableNamesTheJobsNeverSubmitted() async throws {
        try await RunCommandTests.withServer({ $0.latency = .milliseconds(200) }) { server in
            let space = try Workspace(server: server, count: 60)
            defer { space.folder.remove() }
            // The Ctrl-C comes from the server's thread as the third create arrives, so that more
            // than the table's 40 rows are left unsubmitted however late the test's tasks wake.
            let cue = SignalCue(SIGINT)
            await server.trip(onRequest: 3, path: "/v2/vectordb/jobs/import/create") { cue.fire() }
            let tool = try space.start(["run", space.manifest, "--concurrency", "2", "--progress", "live"])
            cue.attach(tool)
            let result = await tool.finished()
            cue.cancel()
            #expect(result.status == 130, "\(result)")
            let rows = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("job-") && $0.contains("not submitted") }
            #expect(rows.count == 40, "\(result.stdout)")
            #expect(result.stdout.contains(#/… and \d+ more not submitted/#), "\(result.stdout)")
        }
    }

    @Test func statusWaitEndsWithTheJobIdsAndSaysOneCount() async throws {
        try await RunCommandTests.withServer({ $0.jobTimeline = .polls(3) }) { server in
            let space = try Workspace(server: server, count: 3)
            defer { space.folder.remove() }
            let run = try await space.run(["run", space.manifest, "--job", "job-0", "--job", "job-1"])
            #expect(run.status == 0, "\(run)")
            let ids = await server.jobs().map(\.id)
            let status = try await space.run(["status", space.manifest, "--wait", "--poll-interval", "0.05", "--progress", "live"])
            #expect(status.status == 0, "\(status)")
            for id in ids { #expect(status.stdout.contains(id), "job id \(id) missing: \(status.stdout)") }
            #expect(status.stdout.contains("done: 3 jobs selected; 1 not submitted, 2 completed"), "\(status.stdout)")
            #expect(status.stdout.contains("[3/3 done]"), "\(status.stdout)")
            #expect(!status.stdout.contains("0 submitted") && !status.stdout.contains("0 skipped"))

            // Without --wait each job is said once; the log ends by naming the job never submitted.
            let once = try await space.run(["status", space.manifest, "--progress", "lines"])
            #expect(once.stdout.contains("not submitted  1 job (not in the state: never submitted): job-2"), "\(once.stdout)")
            for job in ["job-0", "job-1"] {
                #expect(once.stdout.split(separator: "\n").filter { $0.contains(" \(job):") }.count == 1, "\(once.stdout)")
            }
        }
    }

    @Test func onATerminalWhatOpeningTheStateSaysIsNotErasedByTheLiveArea() async throws {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux `script` is needed to give the tool a terminal")
        let binary = try #require(BulkImport.binary, BulkImport.missingBinaryMessage)
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 2)
            defer { space.folder.remove() }
            let command = "stty cols 90 rows 20; \(binary.path) run \(space.manifest) --wait --poll-interval 0.1"
            let folder = space.folder.url
            let result = try await offThePool {
                try BulkImport.runProgram(
                    script, ["-qefc", command, "/dev/null"],
                    environment: RunCommandTests.environment.merging(["TERM": "xterm"]) { $1 }, in: folder)
            }
            #expect(result.status == 0, "\(result)")
            // The note comes before the first frame: a redraw moves up only over lines it drew.
            let note = try #require(result.stdout.range(of: "note: starting a new, empty state"), "\(result)")
            #expect(!result.stdout[..<note.lowerBound].contains("done]"), "\(result.stdout)")
        }
    }

    @Test func planTakesJobAndShardLikeRun() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Workspace(server: server, count: 4)
            defer { space.folder.remove() }
            let one = try await space.run(["plan", space.manifest, "--job", "job-2"])
            #expect(one.status == 0, "\(one)")
            #expect(one.stdout.contains("job-2") && !one.stdout.contains("job-1") && !one.stdout.contains("job-3"), "\(one)")
            var seen: [String] = []
            for k in 1...2 {
                let part = try await space.run(["plan", space.manifest, "--shard", "\(k)/2"])
                #expect(part.status == 0, "\(part)")
                seen += (0..<4).map { "job-\($0)" }.filter { part.stdout.contains("\($0)\n") || part.stdout.contains("\($0) ") }
            }
            #expect(Set(seen).count == 4 && seen.count == 4, "\(seen)")
            let bad = try await space.run(["plan", space.manifest, "--shard", "3/2"])
            #expect(bad.status == 64, "\(bad)")
        }
    }
}
