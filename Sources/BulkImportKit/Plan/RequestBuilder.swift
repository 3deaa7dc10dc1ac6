/// Builds the exact HTTP requests of every import API, as `../shared/reference/import-api.md`
/// describes them. The plan printed by `plan` and what `run` puts on the wire come from here; each
/// API's own requests are its ``ImportAPIClient``'s (the `APIs` folder), and this type holds what
/// they share: the request settings and the common headers.
public struct RequestBuilder: Sendable {
    /// The server-side timeout sent to Milvus in `Request-Timeout`, in seconds.
    public var requestTimeoutSeconds: Int

    public init(requestTimeoutSeconds: Int = 60) {
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// The requests that create `job`: one, except on the Milvus 2.2/2.3 API, which takes one file
    /// group per request.
    /// A job of an atomic group is created with `auto_commit: "false"` (see `AtomicGroupRunner`).
    public func createRequests(for job: ImportJob, idempotencyKey: String? = nil) -> [ImportRequest] {
        let sent = job.atomicGroup == nil ? job : job.uncommitted
        return job.target.api.client.createRequests(for: sent, idempotencyKey: idempotencyKey, builder: self)
    }

    /// The request that asks for the progress of one job id.
    public func progressRequest(for job: ImportJob, jobID: String) -> ImportRequest {
        job.target.api.client.progressRequest(for: job, jobID: jobID, builder: self)
    }

    /// The request that lists the import jobs on a target.
    public func listRequest(for target: ImportTarget, collectionName: String? = nil) -> ImportRequest {
        target.api.client.listRequest(for: target, collectionName: collectionName, builder: self)
    }

    /// The request that asks, before any create, whether the job's collection exists (Milvus
    /// 2.2/2.3, which refuses a create for a missing one only after about 50 s); nil for the others.
    public func collectionCheckRequest(for job: ImportJob) -> ImportRequest? {
        job.target.api.client.preflightRequest(for: job, builder: self)
    }

    // MARK: What the APIs share

    /// `Authorization` (when there is a credential), `Content-Type`, `Accept` and `User-Agent`.
    func baseHeaders(bearer: Secret?) -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        if let bearer { headers.append(HTTPHeader("Authorization", "Bearer ", secret: bearer)) }
        headers.append(HTTPHeader("Content-Type", "application/json"))
        headers.append(HTTPHeader("Accept", "application/json"))
        headers.append(HTTPHeader("User-Agent", "bulk-import/\(BulkImportVersion.current)"))
        return headers
    }

    /// The database to name on the wire: none for the default database.
    static func nonDefaultDatabase(_ name: String?) -> String? {
        guard let name, !name.isEmpty, name != "default" else { return nil }
        return name
    }

    /// `text` percent-encoded for a query string: everything but unreserved ASCII.
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
