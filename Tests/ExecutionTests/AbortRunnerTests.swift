import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// `bulk-import abort` on the loopback double: what is aborted, what is not, and why.
@Suite("Abort against the loopback test server")
struct AbortRunnerTests {
    static func manual(_ job: ImportJob) -> ImportJob {
        var job = job
        job.options.append(ImportOption("auto_commit", "false"))
        return job
    }

    func abort(_ h: Harness, _ jobs: [ImportJob]) async throws -> [AbortRunner.Outcome] {
        let ledger = try await h.openLedger()
        let runner = AbortRunner(service: HTTPImportService(transport: h.transport, timeout: .seconds(10)), ledger: ledger)
        let outcomes = try await runner.abort(jobs)
        await ledger.close()
        return outcomes
    }

    func aborts(_ h: Harness) async -> [RecordedRequest] {
        await h.server.requests().filter { $0.path.hasSuffix("/abort") }
    }

    @Test("a running auto_commit=false job is aborted, recorded, and ends Failed on the server; again is a no-op")
    func abortsARunningJob() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(100) }) { h in
            let job = Self.manual(h.milvusJob("p1"))
            #expect(try await h.run([job]).submitted == 1)
            let outcome = try #require(try await abort(h, [job]).first)
            #expect(outcome.kind == .aborted, "\(outcome)")
            let entry = try #require(try Ledger.snapshot(path: h.ledgerPath).first)
            #expect(entry.status == .failed && entry.twoPhase == .aborted)
            #expect(await h.server.jobs().first?.state == .failed)
            #expect(await h.server.jobs().first?.reason == "import job aborted by request")
            let again = try #require(try await abort(h, [job]).first)
            #expect(again.kind == .aborted && again.message.contains("before"))
            #expect(await aborts(h).count == 1)
        }
    }

    @Test("an auto-commit job, a Milvus 2.3 job, a finished job and an unsent one are not aborted, each with its reason")
    func saysWhyNot() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(100) }) { h in
            let auto = h.milvusJob("auto")
            let legacy = Self.manual(h.milvusJob("legacy", api: .milvusV1))
            let unsent = Self.manual(h.milvusJob("unsent"))
            _ = try await h.run([auto, legacy])
            let outcomes = try await abort(h, [auto, legacy, unsent])
            #expect(outcomes.map(\.kind) == [.cannot, .cannot, .notSubmitted])
            #expect(outcomes[0].message.contains("auto-commit"))
            #expect(outcomes[1].message.contains("milvus-v1") && outcomes[1].message.contains("no auto_commit"))
            #expect(await aborts(h).isEmpty)
        }
        try await Harness.with({ $0.jobTimeline = .immediate }) { h in
            let done = Self.manual(h.milvusJob("done"))
            _ = try await h.run([done])
            // Uncommitted is not an end: the job is aborted.
            #expect(try await abort(h, [done]).first?.kind == .aborted)
        }
    }

    @Test("a server without two-phase imports: the job is not aborted and the server's answer is said")
    func olderServer() async throws {
        try await Harness.with({
            $0.jobTimeline = .polls(100)
            $0.twoPhaseImports = false
        }) { h in
            let job = Self.manual(h.milvusJob("p1"))
            _ = try await h.run([job])
            let outcome = try #require(try await abort(h, [job]).first)
            #expect(outcome.kind == .cannot)
            #expect(outcome.message.contains("the server said") && outcome.message.contains("404"), "\(outcome.message)")
            #expect(try Ledger.snapshot(path: h.ledgerPath).first?.status == .submitted)
        }
    }
}
