extension RequestBuilder {
    /// The request that asks for the progress of one job id.
    public func progressRequest(for job: ImportJob, jobID: String) -> ImportRequest {
        let target = job.target
        switch target.api {
        case .milvusV2:
            return ImportRequest(method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/describe"),
                                 headers: milvusHeaders(target, dbName: job.dbName), body: .object([("jobId", .string(jobID))]))
        case .milvusV1:
            // The 2.3 API reads a JSON body even on GET, and wants the task id as a number.
            let task: JSONValue = Int(jobID).map(JSONValue.int) ?? .string(jobID)
            return ImportRequest(method: "GET", url: target.endpoint.url("/api/v1/import/state"),
                                 headers: baseHeaders(bearer: target.token), body: .object([("task", task)]))
        case .zillizV2:
            return ImportRequest(method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/getProgress"),
                                 headers: baseHeaders(bearer: target.apiKey),
                                 body: .object(zillizIdentity(target) + [("jobId", .string(jobID))]))
        case .zillizV1:
            let query = "jobId=\(Self.percentEncode(jobID))&clusterId=\(Self.percentEncode(target.clusterID ?? ""))"
            return ImportRequest(method: "GET", url: target.endpoint.url("/v1/vector/collections/import/get?\(query)"),
                                 headers: baseHeaders(bearer: target.apiKey), body: nil)
        }
    }

    /// The request that lists the import jobs on a target.
    public func listRequest(for target: ImportTarget, collectionName: String? = nil) -> ImportRequest {
        switch target.api {
        case .milvusV2:
            var body: [(String, JSONValue)] = []
            if let db = Self.nonDefaultDatabase(target.dbName) { body.append(("dbName", .string(db))) }
            if let c = collectionName { body.append(("collectionName", .string(c))) }
            return ImportRequest(method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/list"),
                                 headers: milvusHeaders(target, dbName: target.dbName), body: .object(body))
        case .milvusV1:
            var body: [(String, JSONValue)] = [("limit", .int(100))]
            if let c = collectionName { body.insert(("collection_name", .string(c)), at: 0) }
            return ImportRequest(method: "GET", url: target.endpoint.url("/api/v1/import/tasks"),
                                 headers: baseHeaders(bearer: target.token), body: .object(body))
        case .zillizV2:
            var body = zillizIdentity(target) + [("pageSize", .int(100)), ("currentPage", .int(1))]
            if let db = target.dbName { body.append(("dbName", .string(db))) }
            return ImportRequest(method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/list"),
                                 headers: baseHeaders(bearer: target.apiKey), body: .object(body))
        case .zillizV1:
            let query = "clusterId=\(Self.percentEncode(target.clusterID ?? ""))&pageSize=100&currentPage=1"
            return ImportRequest(method: "GET", url: target.endpoint.url("/v1/vector/collections/import/list?\(query)"),
                                 headers: baseHeaders(bearer: target.apiKey), body: nil)
        }
    }

    /// Milvus 2.2/2.3 only: the collection's statistics, which answer in milliseconds whether the
    /// collection exists (a create for a missing one is refused only after about 50 s of the
    /// server's own retries). nil for the other APIs.
    public func collectionCheckRequest(for job: ImportJob) -> ImportRequest? {
        guard job.target.api == .milvusV1 else { return nil }
        return ImportRequest(method: "GET", url: job.target.endpoint.url("/api/v1/collection/statistics"),
                             headers: baseHeaders(bearer: job.target.token),
                             body: .object([("collection_name", .string(job.collectionName))]))
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
