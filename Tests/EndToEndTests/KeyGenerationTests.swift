import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// The Idempotency-Key changes when it must: a job sent again on purpose (after it failed, with
/// `--resubmit`) carries a new key, so a server that remembers keys (Milvus 2.6.24+) makes a new
/// job instead of answering with the old one; `plan` shows the key `run` will send.
@Suite("keys that change when they must", .serialized)
struct KeyGenerationTests {
    typealias Space = RunCommandTests.Workspace

    static func keys(_ server: ImportTestServer, file: String) async -> [String] {
        await server.jobs().filter { $0.files.first?.first == file }.map { $0.idempotencyKey ?? "none" }
    }

    static func plannedKey(_ space: Space, job: String) async throws -> (run: String?, key: String?) {
        let plan = try await space.run(["plan", space.manifest, "--format", "json"])
        #expect(plan.status == 0, "\(plan)")
        let root = try parseJSONObject(plan.stdout)
        let jobs = try #require(root["jobs"] as? [[String: Any]])
        let item = try #require(jobs.first { $0["name"] as? String == job })
        let headers = (item["request"] as? [String: Any])?["headers"] as? [String: String]
        return (item["run"] as? String, headers?["Idempotency-Key"])
    }

    @Test func aFailedJobAndAResubmittedOneGetNewKeysAndNewJobs() async throws {
        try await RunCommandTests.withServer({ $0.honoursIdempotencyKey = true }) { server in
            let space = try Space(server: server, count: 2, failing: [1])
            defer { space.folder.remove() }
            let first = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05"])
            #expect(first.status == 1, "\(first)")
            let firstKeys = await Self.keys(server, file: "data/fail-1.parquet")
            #expect(firstKeys.count == 1)
            let base = try #require(firstKeys.first)
            #expect(base.hasPrefix("bulk-import-") && !base.contains("-r"))

            // plan shows the key run is about to send: the failed job's second generation.
            let planned = try await Self.plannedKey(space, job: "job-1")
            #expect(planned.run == "send" && planned.key == base + "-r2", "\(planned)")
            #expect(try await Self.plannedKey(space, job: "job-0").run == "skip")

            let again = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05"])
            #expect(again.stdout.contains("1 submitted, 1 skipped"), "\(again)")
            #expect(await Self.keys(server, file: "data/fail-1.parquet") == [base, base + "-r2"])
            #expect(await server.statistics().idempotentReplays == 0)

            // A completed job imported again on purpose: a new key too.
            let resubmit = try await space.run(["run", space.manifest, "--resubmit", "--job", "job-0"])
            #expect(resubmit.status == 0, "\(resubmit)")
            let completedKeys = await Self.keys(server, file: "data/part-0.parquet")
            #expect(completedKeys.count == 2 && completedKeys[1] == completedKeys[0] + "-r2", "\(completedKeys)")
            #expect(await server.statistics().idempotentReplays == 0)
            // The state records the generation each create was sent under.
            let ledger = try String(contentsOfFile: space.ledger, encoding: .utf8)
            #expect(ledger.contains(#""idempotencyKey":"\#(base)-r2","generation":2"#))
        }
    }
}
