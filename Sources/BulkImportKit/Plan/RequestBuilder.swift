/// Builds the exact HTTP requests of every import API, as `../shared/reference/import-api.md`
/// describes them. The plan printed by `plan` and what `run` puts on the wire come from here.
public struct RequestBuilder: Sendable {
    /// The tool's version, sent in `User-Agent`.
    public static let version = "0.1.0"

    /// The server-side timeout sent to Milvus in `Request-Timeout`, in seconds.
    public var requestTimeoutSeconds: Int

    public init(requestTimeoutSeconds: Int = 60) {
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// The requests that create `job`: one, except on the Milvus 2.2/2.3 API, which takes one file
    /// group per request.
    public func createRequests(for job: ImportJob, idempotencyKey: String? = nil) -> [ImportRequest] {
        let target = job.target
        switch target.api {
        case .milvusV2:
            var body: [(String, JSONValue)] = []
            if let db = Self.nonDefaultDatabase(job.dbName) { body.append(("dbName", .string(db))) }
            body.append(("collectionName", .string(job.collectionName)))
            if let p = job.partitionName { body.append(("partitionName", .string(p))) }
            body.append(("files", .array(job.files.map { .array($0.map(JSONValue.string)) })))
            if !job.options.isEmpty { body.append(("options", .object(job.options.map { ($0.key, .string($0.value)) }))) }
            var headers = milvusHeaders(target, dbName: job.dbName)
            if let idempotencyKey { headers.append(HTTPHeader("Idempotency-Key", idempotencyKey)) }
            return [ImportRequest(method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/create"),
                                  headers: headers, body: .object(body))]

        case .milvusV1:
            return job.files.map { group in
                var body: [(String, JSONValue)] = [("collection_name", .string(job.collectionName))]
                if let p = job.partitionName { body.append(("partition_name", .string(p))) }
                body.append(("files", .array(group.map(JSONValue.string))))
                if !job.options.isEmpty {
                    body.append(("options", .array(job.options.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })))
                }
                return ImportRequest(method: "POST", url: target.endpoint.url("/api/v1/import"),
                                     headers: baseHeaders(bearer: target.token), body: .object(body))
            }

        case .zillizV2:
            var body: [(String, JSONValue)] = zillizIdentity(target)
            if let db = job.dbName { body.append(("dbName", .string(db))) }
            body.append(("collectionName", .string(job.collectionName)))
            if let p = job.partitionName { body.append(("partitionName", .string(p))) }
            body.append(("objectUrls", .array(job.files.map { .array($0.map(JSONValue.string)) })))
            var secrets: [String: Secret] = [:]
            if let k = job.accessKey { body.append(("accessKey", .string(Secret.placeholder))); secrets["accessKey"] = k }
            if let s = job.secretKey { body.append(("secretKey", .string(Secret.placeholder))); secrets["secretKey"] = s }
            if let t = job.token { body.append(("token", .string(Secret.placeholder))); secrets["token"] = t }
            if !job.options.isEmpty { body.append(("options", .object(job.options.map { ($0.key, .string($0.value)) }))) }
            return [ImportRequest(method: "POST", url: target.endpoint.url("/v2/vectordb/jobs/import/create"),
                                  headers: baseHeaders(bearer: target.apiKey), body: .object(body), bodySecrets: secrets)]

        case .zillizV1:
            var body: [(String, JSONValue)] = [("clusterId", .string(target.clusterID ?? ""))]
            body.append(("collectionName", .string(job.collectionName)))
            if let p = job.partitionName { body.append(("partitionName", .string(p))) }
            body.append(("objectUrl", .string(job.files.first?.first ?? "")))
            var secrets: [String: Secret] = [:]
            if let k = job.accessKey { body.append(("accessKey", .string(Secret.placeholder))); secrets["accessKey"] = k }
            if let s = job.secretKey { body.append(("secretKey", .string(Secret.placeholder))); secrets["secretKey"] = s }
            return [ImportRequest(method: "POST", url: target.endpoint.url("/v1/vector/collections/import"),
                                  headers: baseHeaders(bearer: target.apiKey), body: .object(body), bodySecrets: secrets)]
        }
    }

    // MARK: Headers

    func baseHeaders(bearer: Secret?) -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        if let bearer { headers.append(HTTPHeader("Authorization", "Bearer ", secret: bearer)) }
        headers.append(HTTPHeader("Content-Type", "application/json"))
        headers.append(HTTPHeader("Accept", "application/json"))
        headers.append(HTTPHeader("User-Agent", "bulk-import/\(Self.version)"))
        return headers
    }

    func milvusHeaders(_ target: ImportTarget, dbName: String?) -> [HTTPHeader] {
        var headers = baseHeaders(bearer: target.token)
        if let db = Self.nonDefaultDatabase(dbName) { headers.append(HTTPHeader("DB-Name", db)) }
        headers.append(HTTPHeader("Request-Timeout", String(requestTimeoutSeconds)))
        return headers
    }

    func zillizIdentity(_ target: ImportTarget) -> [(String, JSONValue)] {
        if let cluster = target.clusterID { return [("clusterId", .string(cluster))] }
        return [("projectId", .string(target.projectID ?? "")), ("regionId", .string(target.regionID ?? ""))]
    }

    /// The database to name on the wire: none for the default database.
    static func nonDefaultDatabase(_ name: String?) -> String? {
        guard let name, !name.isEmpty, name != "default" else { return nil }
        return name
    }
}
