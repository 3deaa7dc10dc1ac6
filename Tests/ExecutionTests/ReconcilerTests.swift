import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// `Reconciler` against the loopback double, for every API: what it adopts, what it may send, and
/// how many requests it costs.
@Suite("Reconciler")
struct ReconcilerTests {
    /// Creates `job` on the double as `run` would, and returns its ids.
    @discardableResult
    func create(_ job: ImportJob, _ harness: Harness) async throws -> [String] {
        let service = HTTPImportService(transport: harness.transport)
        var ids: [String] = []
        for request in RequestBuilder().createRequests(for: job) {
            ids += try await service.create(request, api: job.target.api)
        }
        return ids
    }

    func reconciler(_ harness: Harness, maxListPages: Int = 100) -> Reconciler {
        Reconciler(service: HTTPImportService(transport: harness.transport, timeout: .seconds(10)), maxListPages: maxListPages)
    }

    func requests(_ harness: Harness, path: String) async -> Int {
        await harness.server.requests().count { $0.path == path }
    }

    func job(_ base: ImportJob, _ name: String, files: [[String]]) -> ImportJob {
        var job = base
        job.name = name
        job.files = files
        return job
    }

    @Test("Milvus v2: the same files are adopted, other files are absent, and the list is read once")
    func milvusV2AdoptAndAbsent() async throws {
        try await Harness.with { harness in
            let files = [["data/a.parquet"], ["data/b/id.npy", "data/b/v.npy"]]
            let first = harness.milvusJob("vectors", files: files)
            let ids = try await create(first, harness)
            try await create(harness.milvusJob("other", collection: "elsewhere", files: files), harness)
            let r = reconciler(harness)
            let reordered = job(first, "vectors", files: [["data/b/v.npy", "data/b/id.npy"], ["data/a.parquet"]])
            let adopted = await r.reconcile(reordered)
            guard case .adopt(let jobIDs, let groupIDs, _, let note) = adopted else {
                Issue.record("expected adopt, got \(adopted)")
                return
            }
            #expect(jobIDs == ids)
            #expect(groupIDs.isEmpty)
            #expect(note.contains(ids[0]))
            let absent = await r.reconcile(job(first, "more", files: [["data/a.parquet"]]))
            guard case .absent = absent else {
                Issue.record("expected absent, got \(absent)")
                return
            }
            #expect(await requests(harness, path: "/v2/vectordb/jobs/import/list") == 1)
            // One progress read for the one job on the collection, shared by both calls.
            #expect(await requests(harness, path: "/v2/vectordb/jobs/import/describe") == 1)
            #expect(await harness.server.statistics().jobsCreated == 2)
        }
    }

    @Test("Milvus v2: a job that failed is reported failed with its reason; a later live one is adopted")
    func milvusV2Failed() async throws {
        try await Harness.with({ $0.jobTimeline = .immediate }) { harness in
            let failing = harness.milvusJob("bad", files: [["data/fail.parquet"]])
            let ids = try await create(failing, harness)
            let result = await reconciler(harness).reconcile(failing)
            guard case .failed(let jobIDs, let reason, _) = result else {
                Issue.record("expected failed, got \(result)")
                return
            }
            #expect(jobIDs == ids)
            #expect(reason.contains("The specified key does not exist"))
            await harness.server.update { $0.failMarker = nil }
            let again = try await create(failing, harness)
            guard case .adopt(let adopted, _, .completed, _) = await reconciler(harness).reconcile(failing) else {
                Issue.record("expected the later job to be adopted")
                return
            }
            #expect(adopted == again)
        }
    }

    @Test("Milvus 2.3: each group is matched to a task; some groups make a partial answer")
    func milvusV1Tasks() async throws {
        try await Harness.with { harness in
            let files = [["/d/a.json"], ["/d/b/id.npy", "/d/b/v.npy"], ["/d/c.json"]]
            let full = harness.milvusJob("tasks", files: files, token: nil, api: .milvusV1)
            let some = try await create(job(full, "tasks", files: [files[0], files[2]]), harness)
            let r = reconciler(harness)
            let partial = await r.reconcile(full)
            guard case .partial(let groupIDs, let note) = partial else {
                Issue.record("expected partial, got \(partial)")
                return
            }
            #expect(groupIDs == [0: some[0], 2: some[1]])
            #expect(note.contains("#2"))
            let rest = try await create(job(full, "tasks", files: [files[1]]), harness)
            let adopted = await reconciler(harness).reconcile(full)
            guard case .adopt(let ids, let groups, _, _) = adopted else {
                Issue.record("expected adopt, got \(adopted)")
                return
            }
            #expect(ids == [some[0], rest[0], some[1]])
            #expect(groups == [0: some[0], 1: rest[0], 2: some[1]])
            var elsewhere = full
            elsewhere.partitionName = "p2"
            guard case .absent = await reconciler(harness).reconcile(elsewhere) else {
                Issue.record("a task of another partition is not this job's")
                return
            }
            // The task list carries the files: no progress read.
            #expect(await requests(harness, path: "/api/v1/import/state") == 0)
        }
    }

    @Test("Milvus 2.3: only failed tasks make a failed answer")
    func milvusV1Failed() async throws {
        try await Harness.with({ $0.jobTimeline = .immediate }) { harness in
            let job = harness.milvusJob("bad", files: [["/d/fail.json"]], token: nil, api: .milvusV1)
            let ids = try await create(job, harness)
            guard case .failed(let jobIDs, let reason, _) = await reconciler(harness).reconcile(job) else {
                Issue.record("expected failed")
                return
            }
            #expect(jobIDs == ids)
            #expect(reason.contains("fail.json"))
        }
    }

    @Test("Zilliz Cloud v2: adopted by its url, absent without, and every page of the list is read")
    func zillizV2Pages() async throws {
        try await Harness.with { harness in
            let base = harness.zillizJob("articles")
            // 130 jobs on the cluster: the list takes two pages of 100.
            for i in 0..<129 {
                var other = job(base, "n\(i)", files: [["s3://bucket/other/\(i).parquet"]])
                other.collectionName = "noise"
                try await create(other, harness)
            }
            let ids = try await create(base, harness)
            let result = await reconciler(harness).reconcile(base)
            guard case .adopt(let jobIDs, _, _, _) = result else {
                Issue.record("expected adopt, got \(result)")
                return
            }
            #expect(jobIDs == ids)
            #expect(await requests(harness, path: "/v2/vectordb/jobs/import/list") == 2)
            // Only the job on the collection is read.
            #expect(await requests(harness, path: "/v2/vectordb/jobs/import/getProgress") == 1)
            guard case .absent = await reconciler(harness).reconcile(job(base, "new", files: [["s3://bucket/articles/2.parquet"]])) else {
                Issue.record("expected absent")
                return
            }
            let short = await reconciler(harness, maxListPages: 1).reconcile(base)
            guard case .cannotTell(let why) = short else {
                Issue.record("a list cut short cannot tell, got \(short)")
                return
            }
            #expect(why.contains("incomplete"))
        }
    }

    @Test("Zilliz Cloud v1 cannot tell which files a job has, and asks nothing")
    func zillizV1CannotTell() async throws {
        try await Harness.with { harness in
            let job = harness.zillizJob("legacy", api: .zillizV1)
            try await create(job, harness)
            let before = await harness.server.requests().count
            guard case .cannotTell(let why) = await reconciler(harness).reconcile(job) else {
                Issue.record("expected cannotTell")
                return
            }
            #expect(why.contains("v1"))
            #expect(await harness.server.requests().count == before)
        }
    }

    @Test("a list that fails or a progress that cannot be read cannot tell, and says what it could not learn")
    func errorsCannotTell() async throws {
        try await Harness.with { harness in
            let job = harness.milvusJob("vectors")
            try await create(job, harness)
            await harness.server.inject(.httpStatus(500, times: nil, path: "/v2/vectordb/jobs/import/list"))
            guard case .cannotTell(let listWhy) = await reconciler(harness).reconcile(job) else {
                Issue.record("expected cannotTell on a failing list")
                return
            }
            #expect(listWhy.contains("could not list"))
            await harness.server.clearFaults()
            await harness.server.inject(.businessError(code: 1, times: nil, path: "/v2/vectordb/jobs/import/describe"))
            let other = await reconciler(harness).reconcile(self.job(job, "other", files: [["data/zzz.parquet"]]))
            guard case .cannotTell(let progressWhy) = other else {
                Issue.record("expected cannotTell on unreadable progress, got \(other)")
                return
            }
            #expect(progressWhy.contains("could not be read"))
        }
    }

    @Test("20 concurrent reconciles of one collection share one list and one progress read per job")
    func oneListForManyCallers() async throws {
        try await Harness.with({ $0.latency = .milliseconds(30) }) { harness in
            let existing = (0..<3).map { harness.milvusJob("e\($0)", files: [["data/e\($0).parquet"]]) }
            for job in existing { try await create(job, harness) }
            let r = reconciler(harness)
            let jobs = (0..<20).map { harness.milvusJob("j\($0)", files: [["data/e\($0).parquet"]]) }
            let results = await withTaskGroup(of: Reconciliation.self) { group in
                for job in jobs { group.addTask { await r.reconcile(job) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let adopted = results.count { if case .adopt = $0 { true } else { false } }
            let absent = results.count { if case .absent = $0 { true } else { false } }
            #expect(adopted == 3)
            #expect(absent == 17)
            #expect(await requests(harness, path: "/v2/vectordb/jobs/import/list") == 1)
            #expect(await requests(harness, path: "/v2/vectordb/jobs/import/describe") == 3)
        }
    }

    @Test("Zilliz Cloud v2 names objects, not urls: a name that may be this job's cannot tell, and so can a folder")
    func zillizV2UnsureNames() async throws {
        try await Harness.with { harness in
            let base = harness.zillizJob("articles")  // s3://bucket/articles/1.parquet, shown as articles/1.parquet
            try await create(base, harness)
            let r = reconciler(harness)
            let deeper = await r.reconcile(job(base, "deeper", files: [["s3://bucket/2026/articles/1.parquet"]]))
            guard case .cannotTell(let why) = deeper else {
                Issue.record("expected cannotTell, got \(deeper)")
                return
            }
            #expect(why.contains("articles/1.parquet"))
            guard case .cannotTell = await r.reconcile(job(base, "folder", files: [["s3://bucket/articles/"]])) else {
                Issue.record("a folder url cannot be matched to the files Zilliz Cloud names")
                return
            }
            guard case .absent = await r.reconcile(job(base, "other", files: [["s3://bucket/articles/2.parquet"]])) else {
                Issue.record("another object is another job")
                return
            }
            guard case .adopt = await r.reconcile(base) else {
                Issue.record("the same object is this job")
                return
            }
        }
    }
}
