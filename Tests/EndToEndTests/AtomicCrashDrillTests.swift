import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// kill -9 at every phase of an atomic group, then a plain re-run: the data of the group becomes
/// visible exactly once and all together, or not at all. Run on the loopback double, where a
/// `Completed` job is one whose data is visible.
@Suite("Atomic groups: kill -9 at every phase", .serialized)
struct AtomicCrashDrillTests {
    static let token = "root:e2e-S3CRET-token"
    static let environment = ["MILVUS_TOKEN": token]
    static let create = "/v2/vectordb/jobs/import/create"

    /// An atomic manifest of jobs `a` and `b` (`b` imports a file the server fails when `failing`).
    static func manifest(_ server: ImportTestServer, failing: Bool = false) -> String {
        """
        version: 1
        atomic: true
        targets:
          local:
            milvus:
              uri: \(server.baseURL)
              token: $<MILVUS_TOKEN>
        jobs:
          - {name: a, target: local, collection_name: products, files: [data/a.parquet], options: {timeout: 300s}}
          - {name: b, target: local, collection_name: products, files: [\(failing ? "data/fail-b.parquet" : "data/b.parquet")], options: {timeout: 300s}}

        """
    }

    /// Starts `run`, waits until `ready` holds, kills it with SIGKILL, then re-runs it to its end.
    static func drill(
        _ server: ImportTestServer, failing: Bool = false, before rerun: @Sendable () async -> Void = {},
        ready: @Sendable () async -> Bool
    ) async throws -> (rerun: ProcessResult, ledger: [LedgerRecord]) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let manifest = try folder.write("imports.yaml", Self.manifest(server, failing: failing))
        let arguments = ["run", manifest, "--poll-interval", "0.05"]
        let tool = try BulkImport.start(arguments, environment: Self.environment, in: folder.url)
        let end = Date().addingTimeInterval(60)
        while !(await ready()) {
            if Date() > end {
                Issue.record("the run never reached the phase")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        tool.signal(SIGKILL)
        let killed = await tool.finished()
        #expect(killed.status == 128 + SIGKILL, "the run ended before the kill: \(killed)")
        await rerun()
        let url = folder.url
        let result = try await offThePool { try BulkImport.run(arguments, environment: Self.environment, in: url, timeout: 120) }
        #expect(!result.output.contains("e2e-S3CRET"))
        let ledger = try Ledger.records(path: url.appendingPathComponent(".bulk-import/state.jsonl").path)
        return (result, ledger)
    }

    /// Visible exactly once and together: each file Completed once, or no job Completed at all.
    static func completedPerFile(_ server: ImportTestServer) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in await server.jobs() where job.state == .completed { counts[job.files[0][0], default: 0] += 1 }
        return counts
    }

    /// Requests to `path`, the two-phase probe (an abort of job 0) left out.
    static func count(_ server: ImportTestServer, _ path: String) async -> Int {
        await server.requests().filter { $0.path == path && $0.bodyText != #"{"jobId":"0"}"# }.count
    }

    @Test("killed while the second create hangs: the re-run aborts what was created and commits a fresh group")
    func killedWhileCreating() async throws {
        try await LoopbackFixture.withServer(
            token: Self.token,
            {
                $0.jobTimeline = .polls(2)
                // The first create goes through, the second hangs.
                $0.faults = [.delay(.zero, times: 1, path: Self.create), .delay(.seconds(120), times: 1, path: Self.create)]
            }
        ) { server in
            let (rerun, ledger) = try await Self.drill(server) { await Self.count(server, Self.create) >= 2 }
            #expect(rerun.status == 0, "\(rerun)")
            #expect(await Self.completedPerFile(server) == ["data/a.parquet": 1, "data/b.parquet": 1])
            #expect(ledger.contains { $0.job == "a" && $0.event == .aborted }, "the first attempt's job is aborted")
        }
    }

    @Test("killed while following, before the decision: nothing visible; the re-run aborts and commits a fresh group")
    func killedWhileFollowing() async throws {
        try await LoopbackFixture.withServer(token: Self.token, { $0.jobTimeline = .polls(1000) }) { server in
            let (rerun, ledger) = try await Self.drill(
                server, before: { await server.update { $0.jobTimeline = .polls(2) } },
                ready: { await Self.count(server, "/v2/vectordb/jobs/import/describe") >= 4 })
            #expect(rerun.status == 0, "\(rerun)")
            #expect(await Self.completedPerFile(server) == ["data/a.parquet": 1, "data/b.parquet": 1])
            #expect(await server.jobs().filter { $0.state == .failed }.count == 2)
            #expect(ledger.filter { $0.event == .aborted }.count == 2)
        }
    }

    @Test("killed after the commit was decided: the re-run commits the same jobs, creates nothing, aborts nothing")
    func killedWhileCommitting() async throws {
        try await LoopbackFixture.withServer(
            token: Self.token,
            {
                $0.jobTimeline = .polls(2)
                $0.faults = [.delay(.seconds(120), times: 1, path: "/v2/vectordb/jobs/import/commit")]
            }
        ) { server in
            let (rerun, ledger) = try await Self.drill(server) { await Self.count(server, "/v2/vectordb/jobs/import/commit") >= 1 }
            #expect(rerun.status == 0, "\(rerun)")
            #expect(await Self.completedPerFile(server) == ["data/a.parquet": 1, "data/b.parquet": 1])
            #expect(await server.jobs().count == 2, "nothing was created again")
            #expect(await Self.count(server, "/v2/vectordb/jobs/import/abort") == 0)
            #expect(ledger.filter { $0.event == .commitDecided }.count == 2)
        }
    }

    @Test("killed while aborting a failed group: the re-run finishes the abort; nothing ever becomes visible")
    func killedWhileAborting() async throws {
        try await LoopbackFixture.withServer(
            token: Self.token,
            {
                $0.jobTimeline = .polls(2)
                // The first abort is the two-phase probe; the second, the group's first, hangs.
                $0.faults = [
                    .delay(.zero, times: 1, path: "/v2/vectordb/jobs/import/abort"),
                    .delay(.seconds(120), times: 1, path: "/v2/vectordb/jobs/import/abort"),
                ]
            }
        ) { server in
            let (rerun, ledger) = try await Self.drill(server, failing: true) {
                await Self.count(server, "/v2/vectordb/jobs/import/abort") >= 1
            }
            #expect(rerun.status == 1, "the group fails again: \(rerun)")
            #expect(await Self.completedPerFile(server).isEmpty)
            #expect(await server.jobs().allSatisfy { $0.state == .failed || $0.state == .uncommitted })
            #expect(!ledger.contains { $0.event == .commitDecided })
            #expect(ledger.contains { $0.job == "a" && $0.event == .aborted })
        }
    }
}
