import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// Atomic groups on the loopback double: all visible or none, every phase in the state.
@Suite("Atomic groups against the loopback test server")
struct AtomicGroupTests {
    static func atomic(_ jobs: [ImportJob]) -> [ImportJob] {
        jobs.map {
            var job = $0
            job.atomicGroup = "m.yaml"
            return job
        }
    }

    static func events(_ h: Harness) throws -> [String] {
        try Ledger.records(path: h.ledgerPath).map { "\($0.job) \($0.event.rawValue)" }
    }

    static func job(_ name: String, group: String? = nil) throws -> ImportJob {
        let target = ImportTarget(name: "local", api: .milvusV2, endpoint: try Endpoint(parsing: "http://127.0.0.1:1", defaultScheme: nil))
        var job = ImportJob(
            name: name, location: ManifestLocation(file: "m.yaml"), target: target, collectionName: "c", files: [["\(name).parquet"]])
        job.atomicGroup = group
        return job
    }

    @Test("a run without atomic groups submits its own array of jobs, not a copy; groups keep manifest order")
    func partitionCopiesOnlyForGroups() throws {
        let jobs = try (0..<100).map { try Self.job("j\($0)") }
        let (plain, groups) = AtomicGroupRunner.partition(jobs)
        #expect(groups.isEmpty)
        let same = plain.withUnsafeBufferPointer { p in jobs.withUnsafeBufferPointer { $0.baseAddress == p.baseAddress } }
        #expect(same, "a manifest with no atomic group must not pay for a second array of every job")

        let mixed = [try Self.job("a"), try Self.job("b", group: "m.yaml"), try Self.job("c"), try Self.job("d", group: "m.yaml")]
        let split = AtomicGroupRunner.partition(mixed)
        #expect(split.plain.map(\.name) == ["a", "c"])
        #expect(split.groups.map(\.name) == ["m.yaml"] && split.groups.first?.jobs.map(\.name) == ["b", "d"])
    }

    @Test("every job is created with auto_commit=false, all reach Uncommitted, the decision is recorded, then all are committed")
    func commitsTogether() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(3) }) { h in
            let jobs = Self.atomic([h.milvusJob("a"), h.milvusJob("b")])
            let summary = try await h.run(jobs)
            #expect(summary.completed == 2 && summary.exitCode == 0, "\(summary)")
            for create in await h.creates() { #expect(create.bodyText.contains(#""auto_commit":"false""#)) }
            #expect(await h.server.jobs().allSatisfy { $0.state == .completed })
            let events = try Self.events(h)
            let decided = try #require(events.firstIndex(of: "a commit-decided"))
            #expect(events[decided + 1] == "b commit-decided", "one append for the group: \(events)")
            let firstCommit = try #require(events.firstIndex { $0.hasSuffix(" committed") })
            #expect(decided < firstCommit)
            #expect(!events.contains { $0.contains("abort") })
            // The digest is the job's own: a second run skips the group.
            let again = try await h.run(jobs)
            let creates = await h.creates().count
            #expect(again.skipped == 2 && creates == 2)
        }
    }

    @Test("one job fails on the server: every job is aborted, nothing is Completed")
    func abortsTogether() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(3) }) { h in
            let jobs = Self.atomic([h.milvusJob("a"), h.milvusJob("b", files: [["data/fail-b.parquet"]])])
            let log = EventLog()
            let summary = try await h.run(jobs, log: log)
            #expect(summary.exitCode == 1 && summary.completed == 0, "\(summary)")
            #expect(await h.server.jobs().allSatisfy { $0.state == .failed })
            #expect(await h.server.jobs().contains { $0.reason == "import job aborted by request" })
            let events = try Self.events(h)
            #expect(events.contains("a abort-decided") && events.contains("a aborted"), "\(events)")
            #expect(!events.contains { $0.contains("commit") })
            #expect(try Ledger.snapshot(path: h.ledgerPath).allSatisfy { $0.status == .failed })
        }
    }

    @Test("a server without two-phase imports: nothing is created, every job fails with why")
    func olderServerRefused() async throws {
        try await Harness.with({ $0.twoPhaseImports = false }) { h in
            let log = EventLog()
            let summary = try await h.run(Self.atomic([h.milvusJob("a"), h.milvusJob("b")]), log: log)
            #expect(summary.failed == 2 && summary.exitCode == 1)
            #expect(await h.creates().isEmpty)
            #expect(log.lines.contains { $0.contains("two-phase imports need Milvus 2.7/3.0") }, "\(log.lines)")
        }
    }

    @Test("a run stopped before the decision leaves nothing visible; the next run aborts it and sends the group afresh")
    func resumesUndecided() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(1000) }) { h in
            let jobs = Self.atomic([h.milvusJob("a"), h.milvusJob("b")])
            var options = RunOptions()
            options.waitTimeout = .milliseconds(200)
            let first = try await h.run(jobs, options: options)
            #expect(first.stillRunning == 2 && first.exitCode == 1, "\(first)")
            #expect(await h.server.jobs().allSatisfy { !$0.state.isTerminal })
            await h.server.update { $0.jobTimeline = .polls(2) }
            let log = EventLog()
            let second = try await h.run(jobs, log: log)
            #expect(second.completed == 2 && second.exitCode == 0, "\(second) \(log.lines)")
            let states = await h.server.jobs().map(\.state)
            #expect(states.filter { $0 == .failed }.count == 2 && states.filter { $0 == .completed }.count == 2, "\(states)")
            // The second sending is a new generation: a new Idempotency-Key.
            let keys = Set(await h.creates().compactMap { $0.header("Idempotency-Key") })
            #expect(keys.count == 4)
        }
    }
}
