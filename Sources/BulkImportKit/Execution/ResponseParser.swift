import Foundation

/// Reads the response envelopes of every import API, accepting what the reference says servers
/// really send: `code` 0 or 200, `jobId` or `jobID`, ids as strings or numbers.
enum ResponseParser {
    typealias Object = [String: Any]

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

    static func retryAfter(_ response: HTTPResponse) -> Double? {
        guard let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0, seconds.isFinite { return seconds }
        // An HTTP date.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
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

    /// The data of a `{"code", "message", "data"}` envelope, or the error it carries.
    static func envelope(_ response: HTTPResponse) throws(ImportError) -> Object {
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

    /// The job id of a REST v2 or Zilliz create.
    static func createdJobID(_ response: HTTPResponse) throws(ImportError) -> String {
        let data = try envelope(response)
        guard let id = string(data["jobId"]) ?? string(data["jobID"]), !id.isEmpty else {
            throw .malformed(httpStatus: response.status, message: "the create response has no jobId",
                             traceID: response.header("X-Milvus-Trace-Id"))
        }
        return id
    }

    /// REST v2 and Zilliz v2 progress.
    static func progress(_ response: HTTPResponse) throws(ImportError) -> JobProgress {
        let data = try envelope(response)
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

    /// Zilliz v1 progress: `readyPercentage` from 0 to 1 and `errorMessage`.
    static func zillizV1Progress(_ response: HTTPResponse) throws(ImportError) -> JobProgress {
        let data = try envelope(response)
        let reported = (data["readyPercentage"] as? Double) ?? Double(int(data["readyPercentage"]) ?? 0)
        // Clamped before scaling: a value past 1 (or 1e300, which Int() would trap on) is a
        // server's mistake, not a reason to report 200 % or to crash.
        let ready = reported.isFinite ? min(1, max(0, reported)) : 0
        let error = nonEmpty(string(data["errorMessage"]))
        let stateName = string(data["state"]) ?? string(data["status"])
        var state = stateName.map(JobState.init(serverName:)) ?? (ready >= 1 ? .completed : .importing)
        if error != nil { state = .failed }
        return JobProgress(state: state, progress: Int((ready * 100).rounded()), reason: error)
    }

    /// The Milvus 2.2/2.3 API's `status` object: empty, or an error. Bodies it refuses outright
    /// (HTTP 400) carry `error_code` and `reason` without the `status` wrapper.
    static func legacyStatus(_ object: Object, _ response: HTTPResponse) throws(ImportError) {
        let status = object["status"] as? Object ?? (response.status != 200 ? object : [:])
        let errorCode = int(status["error_code"]) ?? 0
        let code = int(status["code"]) ?? 0
        if errorCode != 0 || code != 0 || response.status != 200 {
            var reason = string(status["reason"]) ?? (response.status != 200 ? "HTTP \(response.status)" : "error")
            // "attempt #9: rpc error: ... collection not found[...]": keep the part a person needs.
            if let range = reason.range(of: "collection not found") { reason = String(reason[range.lowerBound...]) }
            // Milvus 2.2 sends only the legacy error_code, whose numbers mean something else than
            // `code` (1 is "unexpected error", not "not ready"): it is kept in the words, not as a code.
            if code == 0 && errorCode != 0 { reason += " (error_code \(errorCode))" }
            throw .server(httpStatus: response.status, code: code != 0 ? code : nil, message: reason,
                          retryAfter: retryAfter(response))
        }
    }

    /// Milvus 2.3 repeats its wrapping: "...: importing data failed: importing data failed".
    static func trimRepeats(_ reason: String) -> String {
        var text = reason
        let suffix = ": importing data failed"
        while text.hasSuffix(suffix + suffix) { text.removeLast(suffix.count) }
        return text
    }

    /// The task ids of a Milvus 2.2/2.3 create.
    static func legacyTasks(_ response: HTTPResponse) throws(ImportError) -> [String] {
        let object = try object(response)
        try legacyStatus(object, response)
        let tasks = (object["tasks"] as? [Any] ?? []).compactMap(string)
        guard !tasks.isEmpty else { throw .malformed(httpStatus: response.status, message: "the create response has no tasks") }
        return tasks
    }

    /// A Milvus 2.2/2.3 task's progress.
    static func legacyProgress(_ response: HTTPResponse) throws(ImportError) -> JobProgress {
        let object = try object(response)
        try legacyStatus(object, response)
        return legacyTask(object).progress
    }

    /// One Milvus 2.2/2.3 task (a state answer, or an entry of a task list). States: 0 Pending,
    /// 1 Failed, 2 Started, 5 Persisted, 6 Completed, 7 FailedAndCleaned, 8 Flushed.
    static func legacyTask(_ object: Object) -> (id: String?, collection: String?, progress: JobProgress) {
        var infos: [String: String] = [:]
        for info in object["infos"] as? [Object] ?? [] {
            if let k = string(info["key"]) { infos[k] = string(info["value"]) ?? "" }
        }
        let code = int(object["state"]) ?? 0
        let state: JobState
        switch code {
        case 0: state = .pending
        case 1, 7: state = .failed
        case 6: state = .completed
        default: state = .importing
        }
        // Clamped like the other APIs' progress: JobProgress promises 0...100 to everything that
        // prints or folds it, whatever number the server put in the string.
        let percent = min(100, max(0, Int(infos["progress_percent"] ?? "") ?? (state == .completed ? 100 : 0)))
        let reason = nonEmpty(infos["failed_reason"]).map(trimRepeats)
        let rows = int(object["row_count"])
        let progress = JobProgress(
            state: state, progress: percent, importedRows: rows, reason: reason,
            files: reason.map { [FileProgress(file: infos["files"] ?? "?", state: .failed, progress: percent, reason: $0)] } ?? [])
        return (string(object["id"]), nonEmpty(infos["collection"]), progress)
    }

    /// The jobs of a list answer, whichever API gave it.
    static func list(_ response: HTTPResponse, api: ImportAPI) throws(ImportError) -> [ListedJob] {
        if api == .milvusV1 {
            let object = try object(response)
            try legacyStatus(object, response)
            return (object["tasks"] as? [Object] ?? []).map { task in
                let (id, collection, progress) = legacyTask(task)
                var files: [String]?
                for info in task["infos"] as? [Object] ?? [] where string(info["key"]) == "files" {
                    files = (string(info["value"]) ?? "").split(separator: ",").map { String($0).trimmingWhitespace() }
                }
                return ListedJob(jobID: id ?? "?", collectionName: collection, state: progress.state, progress: progress.progress, files: files)
            }
        }
        let data = try envelope(response)
        let records = data["records"] as? [Object] ?? data["tasks"] as? [Object] ?? []
        return records.map {
            let ready = ($0["readyPercentage"] as? Double).map { $0.isFinite ? min(1, max(0, $0)) : 0 }
            let progress = int($0["progress"]).map { min(100, max(0, $0)) } ?? ready.map { Int(($0 * 100).rounded()) }
            return ListedJob(jobID: string($0["jobId"]) ?? string($0["jobID"]) ?? "?", collectionName: string($0["collectionName"]),
                             state: JobState(serverName: string($0["state"]) ?? string($0["status"]) ?? ""), progress: progress)
        }
    }

    static func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
}
