import Foundation

/// Reading what the import APIs answer, shared by the API clients: the JSON object of a response,
/// the `{"code", "message", "data"}` envelope, `Retry-After`, and values that servers send as
/// numbers or strings. Accepts what the reference says servers really send: `code` 0 or 200,
/// `jobId` or `jobID`, ids as strings or numbers.
enum ResponseEnvelope {
    typealias Object = [String: Any]

    /// The response's body as a JSON object, or the error that explains why it is not one.
    static func object(_ response: HTTPResponse) throws(ImportError) -> Object {
        let trace = response.header("X-Milvus-Trace-Id")
        guard !response.body.isEmpty else {
            if response.status != 200 {
                throw .server(httpStatus: response.status, code: nil, message: "HTTP \(response.status) with an empty body",
                              traceID: trace, retryAfter: retryAfter(response))
            }
            throw .malformed(httpStatus: response.status, message: "empty response body", traceID: trace)
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        } catch {
            let preview = String(decoding: response.body.prefix(120), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ")
            if response.status == 404 {
                throw .server(httpStatus: 404, code: nil,
                              message: "the server has no such endpoint (\(preview)); check the target's port and api: "
                                  + "Milvus 2.4+ serves REST v2 on its main port (19530), Milvus 2.2/2.3 serve /api/v1 on "
                                  + "their HTTP port (9091) with `api: v1`", traceID: trace)
            }
            if response.status != 200 {
                throw .server(httpStatus: response.status, code: nil,
                              message: "not JSON: \(preview)", traceID: trace,
                              retryAfter: retryAfter(response))
            }
            throw .malformed(httpStatus: response.status, message: "the response is not JSON: \(preview)", traceID: trace)
        }
        guard let object = parsed as? Object else {
            throw .malformed(httpStatus: response.status, message: "the response is JSON but not an object", traceID: trace)
        }
        return object
    }

    /// `Retry-After` in seconds: a number of seconds, or an HTTP date.
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        response.header("Retry-After").flatMap { RetryAfter.seconds($0) }
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let i as Int: return i
        case let d as Double where d.isFinite && abs(d) < 9e18: return Int(d)
        case let s as String: return Int(s)
        case let n as NSNumber: return n.intValue
        default: return nil
        }
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let i as Int: return String(i)
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }

    /// The data of a `{"code", "message", "data"}` envelope, or the error it carries.
    static func data(_ response: HTTPResponse) throws(ImportError) -> Object {
        let object = try object(response)
        let trace = response.header("X-Milvus-Trace-Id")
        let code = int(object["code"])
        let message = string(object["message"]) ?? string(object["msg"]) ?? ""
        guard response.status == 200, code == 0 || code == 200 else {
            throw .server(httpStatus: response.status, code: code,
                          message: message.isEmpty ? "the server answered without a success code" : message,
                          traceID: trace, retryAfter: retryAfter(response))
        }
        return object["data"] as? Object ?? [:]
    }

    /// The job id of an enveloped create answer (REST v2, Zilliz Cloud v1 and v2).
    static func createdJobID(_ response: HTTPResponse) throws(ImportError) -> String {
        let data = try data(response)
        guard let id = string(data["jobId"]) ?? string(data["jobID"]), !id.isEmpty else {
            throw .malformed(httpStatus: response.status, message: "the create response has no jobId",
                             traceID: response.header("X-Milvus-Trace-Id"))
        }
        return id
    }

    /// The progress of a REST v2 style job (Milvus 2.4+ and Zilliz Cloud v2 answer alike).
    static func jobProgress(_ response: HTTPResponse) throws(ImportError) -> JobProgress {
        let data = try data(response)
        let state = JobState(serverName: string(data["state"]) ?? "Pending")
        var files: [FileProgress] = []
        for detail in data["details"] as? [Object] ?? [] {
            files.append(FileProgress(
                file: string(detail["fileName"]) ?? "?", state: JobState(serverName: string(detail["state"]) ?? ""),
                progress: int(detail["progress"]) ?? 0, reason: nonEmpty(string(detail["reason"]))))
        }
        return JobProgress(
            state: state, progress: min(100, max(0, int(data["progress"]) ?? 0)),
            importedRows: int(data["importedRows"]), totalRows: int(data["totalRows"]),
            reason: nonEmpty(string(data["reason"])), files: files)
    }

    /// The jobs of an enveloped list answer: `records` (or `tasks`), with `progress` from 0 to 100
    /// or `readyPercentage` from 0 to 1, `state` or `status`.
    static func listedJobs(_ response: HTTPResponse) throws(ImportError) -> [ListedJob] {
        let data = try data(response)
        let records = data["records"] as? [Object] ?? data["tasks"] as? [Object] ?? []
        return records.map {
            let ready = ($0["readyPercentage"] as? Double).map { $0.isFinite ? min(1, max(0, $0)) : 0 }
            let progress = int($0["progress"]).map { min(100, max(0, $0)) } ?? ready.map { Int(($0 * 100).rounded()) }
            return ListedJob(jobID: string($0["jobId"]) ?? string($0["jobID"]) ?? "?", collectionName: string($0["collectionName"]),
                             state: JobState(serverName: string($0["state"]) ?? string($0["status"]) ?? ""), progress: progress)
        }
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
