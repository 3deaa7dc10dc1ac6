/// Self-hosted Milvus 2.4 and later: REST v2 on the main port (19530), `/v2/vectordb/jobs/import/*`.
struct MilvusV2API: RESTv2Answers {
    var capabilities: ImportAPICapabilities {
        ImportAPICapabilities(acceptsIdempotencyKey: true, capsUnfinishedJobs: true, maxFileGroups: 1024, jobFiles: .progress)
    }

    var rules: ImportAPIRules { ImportAPIRules(refusesLocalPaths: true) }

    func createRequests(for job: ImportJob, idempotencyKey: String?, builder: RequestBuilder) -> [ImportRequest] {
        var body: [(String, JSONValue)] = []
        if let db = RequestBuilder.nonDefaultDatabase(job.dbName) { body.append(("dbName", .string(db))) }
        body.append(("collectionName", .string(job.collectionName)))
        if let p = job.partitionName { body.append(("partitionName", .string(p))) }
        body.append(("files", .array(job.files.map { .array($0.map(JSONValue.string)) })))
        if !job.options.isEmpty { body.append(("options", .object(job.options.map { ($0.key, .string($0.value)) }))) }
        var headers = Self.headers(job.target, dbName: job.dbName, builder: builder)
        if let idempotencyKey { headers.append(HTTPHeader("Idempotency-Key", idempotencyKey)) }
        return [
            ImportRequest(
                method: "POST", url: job.target.endpoint.url("/v2/vectordb/jobs/import/create"),
                headers: headers, body: .object(body))
        ]
    }

    func progressRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest {
        ImportRequest(
            method: "POST", url: job.target.endpoint.url("/v2/vectordb/jobs/import/describe"),
            headers: Self.headers(job.target, dbName: job.dbName, builder: builder),
            body: .object([("jobId", .string(jobID))]))
    }

    func listRequest(for target: ImportTarget, collectionName: String?, builder: RequestBuilder) -> ImportRequest {
        var body: [(String, JSONValue)] = []
        if let db = RequestBuilder.nonDefaultDatabase(target.dbName) { body.append(("dbName", .string(db))) }
        if let c = collectionName { body.append(("collectionName", .string(c))) }
        return ImportRequest(
            method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/list"),
            headers: Self.headers(target, dbName: target.dbName, builder: builder), body: .object(body))
    }

    /// Two-phase imports came with Milvus 2.7/3.0; older REST v2 servers have no such endpoint.
    var twoPhase: TwoPhaseSupport { .probe }

    /// `{"jobId"}`, as pymilvus `commit_import` sends it to a Milvus (its empty cloud keys left out).
    func commitRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest? {
        phaseRequest("/v2/vectordb/jobs/import/commit", job, jobID, builder)
    }

    /// `{"jobId"}`, as pymilvus `abort_import` sends it.
    func abortRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest? {
        phaseRequest("/v2/vectordb/jobs/import/abort", job, jobID, builder)
    }

    private func phaseRequest(_ path: String, _ job: ImportJob, _ jobID: String, _ builder: RequestBuilder) -> ImportRequest {
        ImportRequest(
            method: "POST", url: job.target.endpoint.url(path), headers: Self.headers(job.target, dbName: job.dbName, builder: builder),
            body: .object([("jobId", .string(jobID))]))
    }

    /// The bearer token, the database of a non-default one, and the server-side timeout.
    static func headers(_ target: ImportTarget, dbName: String?, builder: RequestBuilder) -> [HTTPHeader] {
        var headers = builder.baseHeaders(bearer: target.token)
        if let db = RequestBuilder.nonDefaultDatabase(dbName) { headers.append(HTTPHeader("DB-Name", db)) }
        headers.append(HTTPHeader("Request-Timeout", String(builder.requestTimeoutSeconds)))
        return headers
    }
}
