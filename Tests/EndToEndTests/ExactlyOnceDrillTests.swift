import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// Drills of the exactly-once promise on the built binary against the loopback double: a state
/// that is lost, creates whose outcome is unknown, and an operator who resolves them by hand.
@Suite("exactly once, drilled", .serialized)
struct ExactlyOnceDrillTests {
    typealias Space = RunCommandTests.Workspace

    static func entries(_ space: Space) throws -> [String: LedgerEntry] {
        Dictionary(try Ledger.snapshot(path: space.ledger).map { ($0.job, $0) }, uniquingKeysWith: { $1 })
    }

    @Test func theStateDeletedAfterARunIsRebuiltFromTheTargetWithNoNewCreate() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Space(server: server, count: 6)
            defer { space.folder.remove() }
            let first = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05"])
            #expect(first.status == 0, "\(first)")
            try FileManager.default.removeItem(atPath: space.ledger)

            let again = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05", "--format", "json"])
            #expect(again.status == 0, "\(again)")
            let summary = try parseJSONObject(String(again.stdout.split(separator: "\n").last ?? ""))
            #expect(summary["adopted"] as? Int == 6 && summary["submitted"] as? Int == 0 && summary["completed"] as? Int == 6, "\(again)")
            #expect(await server.jobs().count == 6)
            #expect(await RunCommandTests.createdPerFile(server).values.allSatisfy { $0 == 1 })
            // Every job is recorded with the id the target has for its file.
            let byFile = Dictionary(await server.jobs().map { ($0.files[0][0], $0.id) }, uniquingKeysWith: { $1 })
            for (name, entry) in try Self.entries(space) {
                let index = name.dropFirst("job-".count)
                #expect(entry.jobIDs == [byFile["data/part-\(index).parquet"] ?? "?"], "\(entry)")
            }
            RunCommandTests.expectNoSecret([again.output, space.written()])
        }
    }

    @Test func retryUnknownWithoutReconciliationSendsTheSameKey() async throws {
        try await RunCommandTests.withServer({ $0.honoursIdempotencyKey = true }) { server in
            let space = try Space(server: server, count: 1)
            defer { space.folder.remove() }
            await server.inject(.dropConnection(afterProcessing: true, times: 1, path: "/v2/vectordb/jobs/import/create"))
            let first = try await space.run(["run", space.manifest])
            #expect(first.status == 1 && first.stdout.contains("unknown    job-0"), "\(first)")
            let retried = try await space.run(["run", space.manifest, "--retry-unknown", "--no-reconcile"])
            #expect(retried.status == 0 && retried.stdout.contains("1 submitted"), "\(retried)")
            let keys = await server.requests().filter { $0.path.hasSuffix("/import/create") }.map { $0.header("Idempotency-Key") }
            #expect(keys.count == 2 && keys[0] != nil && keys[0] == keys[1], "\(keys)")
            #expect(await server.jobs().count == 1)
            #expect(await server.statistics().idempotentReplays == 1)
        }
    }

    @Test func anOperatorResolvesAnUnknownJobWithItsIDOrAsNotCreated() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Space(server: server, count: 2)
            defer { space.folder.remove() }
            // Both creates reach the server; their answers are lost.
            await server.inject(.dropConnection(afterProcessing: true, times: 2, path: "/v2/vectordb/jobs/import/create"))
            let first = try await space.run(["run", space.manifest, "--concurrency", "1"])
            #expect(first.status == 1, "\(first)")
            let ids = await server.jobs().map(\.id)
            #expect(ids.count == 2)

            // An id the target does not know is refused, and nothing is recorded.
            let wrong = try await space.run(["resolve", "job-0", space.manifest, "--job-id", "999999"])
            #expect(wrong.status == 1 && wrong.stderr.contains("does not know job 999999"), "\(wrong)")
            #expect(try Self.entries(space)["job-0"]?.status == .unknown)

            let resolved = try await space.run([
                "resolve", "job-0", space.manifest, "--job-id", ids[0], "--note", "found it in the console",
            ])
            #expect(resolved.status == 0 && resolved.stdout.contains("recorded as job \(ids[0])"), "\(resolved)")
            let entry = try #require(try Self.entries(space)["job-0"])
            #expect(entry.status == .submitted && entry.jobIDs == [ids[0]])
            #expect(entry.note == "resolved by an operator: found it in the console")

            // Marking job-1 not created (wrongly, here): the next run sends it under a new key.
            let notCreated = try await space.run(["resolve", "job-1", space.manifest, "--not-created"])
            #expect(notCreated.status == 0, "\(notCreated)")
            // A job with a recorded id cannot be marked not created.
            let refused = try await space.run(["resolve", "job-0", space.manifest, "--not-created"])
            #expect(refused.status == 1 && refused.stderr.contains("only a job without a recorded id"), "\(refused)")

            let rerun = try await space.run(["run", space.manifest, "--no-reconcile"])
            #expect(rerun.stdout.contains("skipped    job-0: already submitted as job \(ids[0])"), "\(rerun)")
            #expect(rerun.stdout.contains("submitted  job-1"), "\(rerun)")
            let keys = await server.requests().filter { $0.path.hasSuffix("/import/create") && $0.bodyText.contains("part-1.parquet") }
                .compactMap { $0.header("Idempotency-Key") }
            #expect(keys.count == 2 && keys[1] == keys[0] + "-r2", "\(keys)")

            let usage = try await space.run(["resolve", "job-0", space.manifest])
            #expect(usage.status == 64, "\(usage)")
            RunCommandTests.expectNoSecret([wrong.output, resolved.output, notCreated.output, rerun.output, space.written()])
        }
    }
}
