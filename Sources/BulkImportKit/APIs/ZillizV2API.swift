/// Zilliz Cloud's v2 control plane (`https://api.cloud.zilliz.com`), `/v2/vectordb/jobs/import/*`.
/// A cluster is named by `clusterId`; a project database by `projectId` and `regionId`.
struct ZillizV2API: RESTv2Answers {
    var capabilities: ImportAPICapabilities {
        ImportAPICapabilities(
            isRateLimitedPerEndpoint: true, maxFileGroups: 1000, jobFiles: .progress, reportsFilesAsSent: false)
    }

    var rules: ImportAPIRules { ImportAPIRules(acceptsProjectDatabases: true) }

    /// Zilliz Cloud's bad-key codes (80001, 80002, 21119), besides HTTP 401/403 and the words.
    func meansAuthenticationFailure(_ error: ImportError) -> Bool {
        if let code = error.code, [80001, 80002, 21119].contains(code) { return true }
        if let status = error.httpStatus, status == 401 || status == 403 { return true }
        return Self.saysAuthenticationFailed(error.message)
    }

    func createRequests(for job: ImportJob, idempotencyKey: String?, builder: RequestBuilder) -> [ImportRequest] {
        var body: [(String, JSONValue)] = Self.identity(job.target)
        if let db = job.dbName { body.append(("dbName", .string(db))) }
        body.append(("collectionName", .string(job.collectionName)))
        if let p = job.partitionName { body.append(("partitionName", .string(p))) }
        let paths = JSONValue.array(job.files.map { .array($0.map(JSONValue.string)) })
        if let volume = job.volumeName {
            // pymilvus 2.6.5+ `bulk_import(volume_name=, data_paths=)` (2.6.0-2.6.4 sent `stageName`).
            body.append(("volumeName", .string(volume)))
            body.append(("dataPaths", paths))
        } else {
            body.append(("objectUrls", paths))
        }
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

    /// pymilvus `commit_import`/`abort_import` send these paths with the cluster (or project) too;
    /// whether a cluster has them is the server's answer to a probe.
    var twoPhase: TwoPhaseSupport { .probe }

    func commitRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest? {
        ImportRequest(
            method: "POST", url: job.target.endpoint.url("/v2/vectordb/jobs/import/commit"),
            headers: builder.baseHeaders(bearer: job.target.apiKey), body: .object(Self.identity(job.target) + [("jobId", .string(jobID))]))
    }

    func abortRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest? {
        ImportRequest(
            method: "POST", url: job.target.endpoint.url("/v2/vectordb/jobs/import/abort"),
            headers: builder.baseHeaders(bearer: job.target.apiKey), body: .object(Self.identity(job.target) + [("jobId", .string(jobID))]))
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

    /// Zilliz Cloud's progress names a file by "the path of the data file object in the object
    /// storage" (its documents show `folder/1.parquet`, and also a bare `name.json`), not by the url
    /// sent, and a folder url by the files in it. The same object keys are the same files (a bucket
    /// is not compared: the server does not report it); a name that could be one of the urls'
    /// objects, or any file against a folder url, is unsure.
    func compareFiles(sent: [[String]], reported: [[String]]) -> FileComparison {
        if ReconciliationMatcher.normalized(sent) == ReconciliationMatcher.normalized(reported) { return .same }
        let urls = sent.flatMap { $0 }
        let names = reported.flatMap { $0 }
        guard !names.isEmpty else { return .different }
        if let folder = urls.first(where: { $0.hasSuffix("/") }) {
            return .unsure(why: "it names files (\(Self.some(names))) and the folder \(folder) is named only by the files in it")
        }
        let keys = urls.map(Self.objectKey)
        if names.count == keys.count, names.sorted() == keys.sorted() { return .same }
        let close = names.filter { name in
            keys.contains { $0 == name || $0.hasSuffix("/" + name) || name.hasSuffix("/" + $0) }
        }
        if !close.isEmpty {
            return .unsure(why: "it names \(Self.some(close)), which may be the object of one of this job's urls")
        }
        return .different
    }

    private static func some(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }

    /// The object key of a url in the forms Zilliz Cloud takes: `s3://bucket/key`, `gs://bucket/key`,
    /// `https://<bucket>.s3.<region>.amazonaws.com/key`, `https://storage.cloud.google.com/<bucket>/key`,
    /// `https://<account>.blob.core.windows.net/<container>/key`.
    static func objectKey(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        // After the scheme: the bucket (s3, gs) or a host; then the path.
        let rest = url[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" }.lowercased()
        var path = rest.drop { $0 != "/" }.drop { $0 == "/" }
        if host == "storage.cloud.google.com" || host.hasSuffix(".blob.core.windows.net") {
            // The bucket or container is the path's first part.
            path = path.drop { $0 != "/" }.drop { $0 == "/" }
        }
        return String(path)
    }

    /// `clusterId`, or `projectId` and `regionId` for a project database.
    static func identity(_ target: ImportTarget) -> [(String, JSONValue)] {
        if let cluster = target.clusterID { return [("clusterId", .string(cluster))] }
        return [("projectId", .string(target.projectID ?? "")), ("regionId", .string(target.regionID ?? ""))]
    }
}
