import Testing

@testable import BulkImportKit

/// Commit, abort and the two-phase probe on each API (pymilvus `commit_import`/`abort_import`).
@Suite("Two-phase API calls")
struct TwoPhaseAPITests {
    @Test("Milvus v2 commits and aborts with {\"jobId\"} on /commit and /abort, with the database header")
    func milvusRequests() throws {
        var job = apiJob(.milvusV2)
        job.dbName = "db1"
        let builder = RequestBuilder()
        let commit = try #require(builder.commitRequest(for: job, jobID: "42"))
        #expect(commit.url == "http://h:1/v2/vectordb/jobs/import/commit")
        #expect(commit.method == "POST")
        #expect(commit.body == .object([("jobId", .string("42"))]))
        #expect(commit.header("DB-Name") == "db1")
        let abort = try #require(builder.abortRequest(for: job, jobID: "42"))
        #expect(abort.url == "http://h:1/v2/vectordb/jobs/import/abort")
        #expect(abort.body == .object([("jobId", .string("42"))]))
    }

    @Test("Zilliz Cloud v2 names the cluster as pymilvus does")
    func zillizRequests() throws {
        let abort = try #require(RequestBuilder().abortRequest(for: apiJob(.zillizV2), jobID: "job-1"))
        #expect(abort.url == "http://h:1/v2/vectordb/jobs/import/abort")
        #expect(abort.body == .object([("clusterId", .string("in01-x")), ("jobId", .string("job-1"))]))
    }

    @Test("Milvus 2.2/2.3 and Zilliz Cloud v1 have no commit or abort, and say why", arguments: [ImportAPI.milvusV1, .zillizV1])
    func never(api: ImportAPI) {
        #expect(RequestBuilder().commitRequest(for: apiJob(api), jobID: "1") == nil)
        #expect(RequestBuilder().abortRequest(for: apiJob(api), jobID: "1") == nil)
        #expect(api.client.twoPhase.refusal?.isEmpty == false)
        if case .unsupported = TwoPhaseProbe.verdict(.success(response(200, #"{"code":0}"#)), api: api) {
        } else {
            Issue.record("a v1 API is never two-phase")
        }
    }

    @Test("the probe's answer: 404 is no, a handler's error is yes, refused credentials say nothing")
    func verdicts() {
        let api = ImportAPI.milvusV2
        #expect(TwoPhaseProbe.verdict(.success(response(404, "404 page not found")), api: api) != .supported)
        if case .unsupported = TwoPhaseProbe.verdict(.success(response(404, "404 page not found")), api: api) {
        } else {
            Issue.record("404 means no endpoint")
        }
        #expect(
            TwoPhaseProbe.verdict(.success(response(200, #"{"code":2100,"message":"import job does not exist, jobID=0"}"#)), api: api)
                == .supported)
        if case .cannotTell = TwoPhaseProbe.verdict(
            .success(response(401, #"{"code":1800,"message":"user hasn't authenticated"}"#)), api: api)
        {
        } else {
            Issue.record("refused credentials tell nothing")
        }
        if case .cannotTell = TwoPhaseProbe.verdict(.failure(.transport("connection refused", sent: false)), api: api) {
        } else {
            Issue.record("an unsent probe tells nothing")
        }
    }

    @Test("an atomic job's create carries auto_commit=false without changing its digest")
    func uncommittedCreate() {
        var job = apiJob(.milvusV2)
        job.options = [ImportOption("timeout", "300s"), ImportOption("auto_commit", "true")]
        let sent = job.uncommitted
        #expect(sent.isManualCommit)
        #expect(!job.isManualCommit)
        let body = RequestBuilder().createRequests(for: sent)[0].body
        #expect(body?["options"] == .object([("timeout", .string("300s")), ("auto_commit", .string("false"))]))
        // What `plan` prints and `run` sends for a job of an atomic group.
        job.atomicGroup = "m.yaml"
        #expect(RequestBuilder().createRequests(for: job)[0].body == body)
    }
}
