/// Zilliz Cloud's legacy v1 data plane (`https://controller.api.<region>.zillizcloud.com`), the
/// seed's `bulk_import()`: one object url per import, reads by query string, `readyPercentage`
/// from 0 to 1.
struct ZillizV1API: ImportAPIClient {
    var capabilities: ImportAPICapabilities {
        ImportAPICapabilities(
            isRateLimitedPerEndpoint: true, maxFileGroups: 1,
            jobFiles: .notAtAll(
                why: "Zilliz Cloud's v1 API lists jobs without their files, and its progress answer is documented "
                    + "only with readyPercentage and errorMessage, so it cannot say whether a job holds this job's url"))
    }

    /// No database, no session token, no options and one object url: what the seed's
    /// `bulk_import()` sends is all this API takes.
    var rules: ImportAPIRules {
        ImportAPIRules(acceptsDatabase: false, acceptsSessionToken: false, acceptsOptions: false, takesExactlyOneObjectURL: true)
    }

    var twoPhase: TwoPhaseSupport {
        .never(why: "Zilliz Cloud's legacy v1 data plane takes no options and has no commit or abort; use the v2 API (`api: v2`)")
    }

    /// Zilliz Cloud's bad-key codes (80001, 80002), besides HTTP 401/403 and the words.
    func meansAuthenticationFailure(_ error: ImportError) -> Bool {
        if let code = error.code, [80001, 80002].contains(code) { return true }
        if let status = error.httpStatus, status == 401 || status == 403 { return true }
        return Self.saysAuthenticationFailed(error.message)
    }

    func createRequests(for job: ImportJob, idempotencyKey: String?, builder: RequestBuilder) -> [ImportRequest] {
        let target = job.target
        var body: [(String, JSONValue)] = [("clusterId", .string(target.clusterID ?? ""))]
        body.append(("collectionName", .string(job.collectionName)))
        if let p = job.partitionName { body.append(("partitionName", .string(p))) }
        body.append(("objectUrl", .string(job.files.first?.first ?? "")))
        var credentials = SecretFields()
        credentials.add("accessKey", job.accessKey)
        credentials.add("secretKey", job.secretKey)
        body += credentials.fields
        return [
            ImportRequest(
                method: "POST", url: target.endpoint.url("/v1/vector/collections/import"),
                headers: builder.baseHeaders(bearer: target.apiKey), body: .object(body),
                bodySecrets: credentials.secrets)
        ]
    }

    func progressRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest {
        let query = "jobId=\(RequestBuilder.percentEncode(jobID))&clusterId=\(RequestBuilder.percentEncode(job.target.clusterID ?? ""))"
        return ImportRequest(
            method: "GET", url: job.target.endpoint.url("/v1/vector/collections/import/get?\(query)"),
            headers: builder.baseHeaders(bearer: job.target.apiKey), body: nil)
    }

    func listRequest(for target: ImportTarget, collectionName: String?, builder: RequestBuilder) -> ImportRequest {
        let query = "clusterId=\(RequestBuilder.percentEncode(target.clusterID ?? ""))&pageSize=100&currentPage=1"
        return ImportRequest(
            method: "GET", url: target.endpoint.url("/v1/vector/collections/import/list?\(query)"),
            headers: builder.baseHeaders(bearer: target.apiKey), body: nil)
    }

    func createdJobIDs(from response: HTTPResponse) throws(ImportError) -> [String] {
        [try ResponseEnvelope.createdJobID(response)]
    }

    /// `readyPercentage` from 0 to 1 and `errorMessage`.
    func progress(from response: HTTPResponse) throws(ImportError) -> JobProgress {
        let data: JSONValue
        do { data = try ResponseEnvelope.data(response) } catch { throw classified(error) }
        let reported = data["readyPercentage"]?.double ?? Double(data["readyPercentage"]?.lenientInt ?? 0)
        // Clamped before scaling: a value past 1 (or 1e300, which Int() would trap on) is a
        // server's mistake, not a reason to report 200 % or to crash.
        let ready = reported.isFinite ? min(1, max(0, reported)) : 0
        let error = ResponseEnvelope.nonEmpty(data["errorMessage"]?.lenientString)
        let stateName = data["state"]?.lenientString ?? data["status"]?.lenientString
        var state = stateName.map(JobState.init(serverName:)) ?? (ready >= 1 ? .completed : .importing)
        if error != nil { state = .failed }
        return JobProgress(state: state, progress: Int((ready * 100).rounded()), reason: error)
    }

    func listedJobs(from response: HTTPResponse) throws(ImportError) -> [ListedJob] {
        try ResponseEnvelope.listedJobs(response)
    }
}
