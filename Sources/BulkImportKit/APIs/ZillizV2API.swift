/// Zilliz Cloud's v2 control plane (`https://api.cloud.zilliz.com`), `/v2/vectordb/jobs/import/*`.
/// A cluster is named by `clusterId`; a project database by `projectId` and `regionId`.
struct ZillizV2API: RESTv2Answers {
    var capabilities: ImportAPICapabilities {
        ImportAPICapabilities(isRateLimitedPerEndpoint: true, maxFileGroups: 1000, jobFiles: .progress)
    }

    var rules: ImportAPIRules { ImportAPIRules(acceptsProjectDatabases: true) }

    func createRequests(for job: ImportJob, idempotencyKey: String?, builder: RequestBuilder) -> [ImportRequest] {
        var body: [(String, JSONValue)] = Self.identity(job.target)
        if let db = job.dbName { body.append(("dbName", .string(db))) }
        body.append(("collectionName", .string(job.collectionName)))
        if let p = job.partitionName { body.append(("partitionName", .string(p))) }
        body.append(("objectUrls", .array(job.files.map { .array($0.map(JSONValue.string)) })))
        var credentials = SecretFields()
        credentials.add("accessKey", job.accessKey)
        credentials.add("secretKey", job.secretKey)
        credentials.add("token", job.token)
        body += credentials.fields
        if !job.options.isEmpty { body.append(("options", .object(job.options.map { ($0.key, .string($0.value)) }))) }
        return [
            ImportRequest(
                method: "POST", url: job.target.endpoint.url("/v2/vectordb/jobs/import/create"),
                headers: builder.baseHeaders(bearer: job.target.apiKey), body: .object(body),
                bodySecrets: credentials.secrets)
        ]
    }

    func progressRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest {
        ImportRequest(
            method: "POST", url: job.target.endpoint.url("/v2/vectordb/jobs/import/getProgress"),
            headers: builder.baseHeaders(bearer: job.target.apiKey),
            body: .object(Self.identity(job.target) + [("jobId", .string(jobID))]))
    }

    func listRequest(for target: ImportTarget, collectionName: String?, builder: RequestBuilder) -> ImportRequest {
        listRequest(for: target, page: 1, builder: builder)
    }

    /// The list is of the whole cluster (or database), 100 jobs a page at most: every page is read.
    func listPageRequest(for target: ImportTarget, collectionName: String, page: Int, builder: RequestBuilder) -> ImportRequest {
        listRequest(for: target, page: page, builder: builder)
    }

    func listedPage(from response: HTTPResponse, page: Int) throws(ImportError) -> ListedPage {
        try ResponseEnvelope.listedPage(response, page: page, pageSize: Self.pageSize)
    }

    static let pageSize = 100

    private func listRequest(for target: ImportTarget, page: Int, builder: RequestBuilder) -> ImportRequest {
        var body = Self.identity(target) + [("pageSize", .int(Self.pageSize)), ("currentPage", .int(page))]
        if let db = target.dbName { body.append(("dbName", .string(db))) }
        return ImportRequest(
            method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/list"),
            headers: builder.baseHeaders(bearer: target.apiKey), body: .object(body))
    }

    /// `clusterId`, or `projectId` and `regionId` for a project database.
    static func identity(_ target: ImportTarget) -> [(String, JSONValue)] {
        if let cluster = target.clusterID { return [("clusterId", .string(cluster))] }
        return [("projectId", .string(target.projectID ?? "")), ("regionId", .string(target.regionID ?? ""))]
    }
}
