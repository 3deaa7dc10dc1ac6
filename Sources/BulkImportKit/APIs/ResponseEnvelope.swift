/// Reading what the import APIs answer, shared by the API clients: the JSON object of a response,
/// the `{"code", "message", "data"}` envelope, `Retry-After`, and values that servers send as
/// numbers or strings. Accepts what the reference says servers really send: `code` 0 or 200,
/// `jobId` or `jobID`, ids as strings or numbers.
enum ResponseEnvelope {
    /// The response's body as a JSON object, or the error that explains why it is not one.
    static func object(_ response: HTTPResponse) throws(ImportError) -> JSONValue {
        let trace = response.header("X-Milvus-Trace-Id")
        guard !response.body.isEmpty else {
            if response.status != 200 {
                throw .server(
                    httpStatus: response.status, code: nil, message: "HTTP \(response.status) with an empty body",
                    traceID: trace, retryAfter: retryAfter(response))
            }
            throw .malformed(httpStatus: response.status, message: "empty response body", traceID: trace)
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(response.body)
        } catch {
            let preview = String(decoding: response.body.prefix(120), as: UTF8.self).replacing("\n", with: " ")
            if response.status == 404 {
                throw .server(
                    httpStatus: 404, code: nil,
                    message: "the server has no such endpoint (\(preview)); check the target's port and api: "
                        + "Milvus 2.4+ serves REST v2 on its main port (19530), Milvus 2.2/2.3 serve /api/v1 on "
                        + "their HTTP port (9091) with `api: v1`", traceID: trace)
            }
            if response.status != 200 {
                throw .server(
                    httpStatus: response.status, code: nil,
                    message: "not JSON: \(preview)", traceID: trace,
                    retryAfter: retryAfter(response))
            }
            throw .malformed(httpStatus: response.status, message: "the response is not JSON: \(preview)", traceID: trace)
        }
        guard parsed.object != nil else {
            throw .malformed(httpStatus: response.status, message: "the response is JSON but not an object", traceID: trace)
        }
        return parsed
    }

    /// `Retry-After` in seconds: a number of seconds, or an HTTP date.
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        response.header("Retry-After").flatMap { RetryAfter.seconds($0) }
    }

    /// The objects of an array member; none when it is missing or not an array.
    static func objects(_ value: JSONValue?) -> [JSONValue] {
        (value?.array ?? []).filter { $0.object != nil }
    }

    static func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }

    /// The data of a `{"code", "message", "data"}` envelope, or the error it carries.
    static func data(_ response: HTTPResponse) throws(ImportError) -> JSONValue {
        let object = try object(response)
        let trace = response.header("X-Milvus-Trace-Id")
        let code = object["code"]?.lenientInt
        let message = object["message"]?.lenientString ?? object["msg"]?.lenientString ?? ""
        guard response.status == 200, code == 0 || code == 200 else {
            throw .server(
                httpStatus: response.status, code: code,
                message: message.isEmpty ? "the server answered without a success code" : message,
                traceID: trace, retryAfter: retryAfter(response))
        }
        return object["data"].flatMap { $0.object != nil ? $0 : nil } ?? .object([])
    }

    /// The job id of an enveloped create answer (REST v2, Zilliz Cloud v1 and v2).
    static func createdJobID(_ response: HTTPResponse) throws(ImportError) -> String {
        let data = try data(response)
        guard let id = data["jobId"]?.lenientString ?? data["jobID"]?.lenientString, !id.isEmpty else {
            throw .malformed(
                httpStatus: response.status, message: "the create response has no jobId",
                traceID: response.header("X-Milvus-Trace-Id"))
        }
        return id
    }

    /// The progress of a REST v2 style job (Milvus 2.4+ and Zilliz Cloud v2 answer alike).
    static func jobProgress(_ response: HTTPResponse) throws(ImportError) -> JobProgress {
        let data = try data(response)
        let state = JobState(serverName: data["state"]?.lenientString ?? "Pending")
        let files = objects(data["details"]).map { detail in
            let name = detail["fileName"]?.lenientString
            return FileProgress(
                file: name ?? "?", state: FileState(serverName: detail["state"]?.lenientString ?? ""),
                progress: detail["progress"]?.lenientInt ?? 0, reason: nonEmpty(detail["reason"]?.lenientString),
                paths: name.map(FileGroupName.paths(in:)) ?? [], importedRows: detail["importedRows"]?.lenientInt,
                totalRows: detail["totalRows"]?.lenientInt, completeTime: nonEmpty(detail["completeTime"]?.lenientString))
        }
        return JobProgress(
            state: state, progress: min(100, max(0, data["progress"]?.lenientInt ?? 0)),
            importedRows: data["importedRows"]?.lenientInt, totalRows: data["totalRows"]?.lenientInt,
            reason: nonEmpty(data["reason"]?.lenientString), files: files)
    }

    /// The jobs of an enveloped list answer: `records` (or `tasks`), with `progress` from 0 to 100
    /// or `readyPercentage` from 0 to 1, `state` or `status`.
    static func listedJobs(_ response: HTTPResponse) throws(ImportError) -> [ListedJob] {
        let data = try data(response)
        let records = data["records"]?.array != nil ? objects(data["records"]) : objects(data["tasks"])
        return records.map {
            let ready = $0["readyPercentage"]?.double.map { $0.isFinite ? min(1, max(0, $0)) : 0 }
            let progress = $0["progress"]?.lenientInt.map { min(100, max(0, $0)) } ?? ready.map { Int(($0 * 100).rounded()) }
            return ListedJob(
                jobID: $0["jobId"]?.lenientString ?? $0["jobID"]?.lenientString ?? "?",
                collectionName: $0["collectionName"]?.lenientString,
                state: JobState(serverName: $0["state"]?.lenientString ?? $0["status"]?.lenientString ?? ""),
                progress: progress, reason: nonEmpty($0["reason"]?.lenientString))
        }
    }

    /// A page of an enveloped, paged list answer (`count`, `currentPage`, `pageSize`): the next
    /// page follows while the pages so far hold fewer than `count` jobs (or, without a `count`,
    /// while a page comes back full).
    static func listedPage(_ response: HTTPResponse, page: Int, pageSize: Int) throws(ImportError) -> ListedPage {
        let jobs = try listedJobs(response)
        let data = try data(response)
        guard !jobs.isEmpty else { return ListedPage(jobs: [], nextPage: nil) }
        let size = data["pageSize"]?.lenientInt ?? pageSize
        let seen = (max(1, page) - 1) * size + jobs.count
        let more = data["count"]?.lenientInt.map { seen < $0 } ?? (jobs.count >= size)
        return ListedPage(jobs: jobs, nextPage: more ? page + 1 : nil)
    }
}

/// An API whose answers are REST v2's (Milvus 2.4+ and Zilliz Cloud v2 answer alike): an enveloped
/// job id, progress with per-file details, and a list of records.
protocol RESTv2Answers: ImportAPIClient {}

extension RESTv2Answers {
    func createdJobIDs(from response: HTTPResponse) throws(ImportError) -> [String] {
        [try ResponseEnvelope.createdJobID(response)]
    }

    func progress(from response: HTTPResponse) throws(ImportError) -> JobProgress {
        do { return try ResponseEnvelope.jobProgress(response) } catch { throw classified(error) }
    }

    func listedJobs(from response: HTTPResponse) throws(ImportError) -> [ListedJob] {
        try ResponseEnvelope.listedJobs(response)
    }
}
