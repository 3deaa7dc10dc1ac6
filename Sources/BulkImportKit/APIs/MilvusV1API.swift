/// Self-hosted Milvus 2.2 and 2.3: the HTTP API under `/api/v1` on the HTTP port (9091), as a real
/// 2.3.5 answers it. One create imports one file group and makes a task; reads take a JSON body
/// even on GET; answers carry a `status` object instead of an envelope.
struct MilvusV1API: ImportAPIClient {
    var capabilities: ImportAPICapabilities {
        ImportAPICapabilities(createsOneTaskPerFileGroup: true, capsUnfinishedJobs: true, maxFileGroups: nil, jobFiles: .list)
    }

    var rules: ImportAPIRules { ImportAPIRules(readsFilesAsServerPaths: true) }

    var twoPhase: TwoPhaseSupport {
        .never(why: "Milvus 2.2/2.3's /api/v1 import API has no auto_commit, commit or abort (they came with REST v2 on Milvus 2.7/3.0)")
    }

    func createRequests(for job: ImportJob, idempotencyKey: String?, builder: RequestBuilder) -> [ImportRequest] {
        job.files.map { group in
            var body: [(String, JSONValue)] = [("collection_name", .string(job.collectionName))]
            if let p = job.partitionName { body.append(("partition_name", .string(p))) }
            body.append(("files", .array(group.map(JSONValue.string))))
            if !job.options.isEmpty {
                body.append(("options", .array(job.options.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })))
            }
            return ImportRequest(
                method: "POST", url: job.target.endpoint.url("/api/v1/import"),
                headers: builder.baseHeaders(bearer: job.target.token), body: .object(body))
        }
    }

    func progressRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest {
        // The task id goes as a number: the server ignores a `?task=` query and a string id.
        let task: JSONValue = Int(jobID).map(JSONValue.int) ?? .string(jobID)
        return ImportRequest(
            method: "GET", url: job.target.endpoint.url("/api/v1/import/state"),
            headers: builder.baseHeaders(bearer: job.target.token), body: .object([("task", task)]))
    }

    func listRequest(for target: ImportTarget, collectionName: String?, builder: RequestBuilder) -> ImportRequest {
        var body: [(String, JSONValue)] = [("limit", .int(100))]
        if let c = collectionName { body.insert(("collection_name", .string(c)), at: 0) }
        return ImportRequest(
            method: "GET", url: target.endpoint.url("/api/v1/import/tasks"),
            headers: builder.baseHeaders(bearer: target.token), body: .object(body))
    }

    /// Without a `limit`, the server answers every task it keeps on the collection.
    func listPageRequest(for target: ImportTarget, collectionName: String, page: Int, builder: RequestBuilder) -> ImportRequest {
        ImportRequest(
            method: "GET", url: target.endpoint.url("/api/v1/import/tasks"),
            headers: builder.baseHeaders(bearer: target.token), body: .object([("collection_name", .string(collectionName))]))
    }

    /// A task imports one group: its `files`.
    func fileGroups(of job: ListedJob) -> [[String]]? {
        job.files.map { [$0] }
    }

    /// The collection's statistics, which answer in milliseconds whether it exists: a create for a
    /// missing one is refused only after about 50 s of the server's own retries.
    func preflightRequest(for job: ImportJob, builder: RequestBuilder) -> ImportRequest? {
        ImportRequest(
            method: "GET", url: job.target.endpoint.url("/api/v1/collection/statistics"),
            headers: builder.baseHeaders(bearer: job.target.token),
            body: .object([("collection_name", .string(job.collectionName))]))
    }

    func missingCollection(inPreflight response: HTTPResponse) -> String? {
        do {
            try Self.status(try ResponseEnvelope.object(response), response)
            return nil
        } catch {
            // Only a clear "not found" stops the job; any other failure leaves it to the create.
            return error.message.contains("collection not found") ? error.message : nil
        }
    }

    func createdJobIDs(from response: HTTPResponse) throws(ImportError) -> [String] {
        let object = try ResponseEnvelope.object(response)
        try Self.status(object, response)
        let tasks = (object["tasks"]?.array ?? []).compactMap(\.lenientString)
        guard !tasks.isEmpty else { throw .malformed(httpStatus: response.status, message: "the create response has no tasks") }
        return tasks
    }

    func progress(from response: HTTPResponse) throws(ImportError) -> JobProgress {
        do {
            let object = try ResponseEnvelope.object(response)
            try Self.status(object, response)
            return Self.task(object).progress
        } catch {
            throw classified(error)
        }
    }

    func listedJobs(from response: HTTPResponse) throws(ImportError) -> [ListedJob] {
        let object = try ResponseEnvelope.object(response)
        try Self.status(object, response)
        return ResponseEnvelope.objects(object["tasks"]).map { task in
            let (id, collection, progress) = Self.task(task)
            var files: [String]?
            var partition: String?
            for info in ResponseEnvelope.objects(task["infos"]) {
                switch info["key"]?.lenientString {
                case "files":
                    // The server joins a task's files with "," (rootcoord's import manager).
                    files = (info["value"]?.lenientString ?? "").split(separator: ",").map { String($0).trimmingWhitespace() }
                case "partition": partition = ResponseEnvelope.nonEmpty(info["value"]?.lenientString)
                default: break
                }
            }
            // `create_ts` is in seconds (Go's time.Now().Unix()); 0 is Go's "not set".
            let created = task["create_ts"]?.lenientInt.flatMap { $0 > 0 ? $0 : nil }
            return ListedJob(
                jobID: id ?? "?", collectionName: collection, state: progress.state, progress: progress.progress, files: files,
                createdAt: created, partitionName: partition, reason: progress.reason)
        }
    }

    /// An unknown task id reads "key not found[key=by-dev/meta/importtask/123]".
    func meansJobNotFound(_ error: ImportError) -> Bool {
        let m = error.message.lowercased()
        return (m.contains("key not found") && m.contains("importtask")) || Self.saysJobNotFound(m)
    }

    /// The `status` object: empty, or an error. Bodies the server refuses outright (HTTP 400) carry
    /// `error_code` and `reason` without the `status` wrapper.
    static func status(_ object: JSONValue, _ response: HTTPResponse) throws(ImportError) {
        let status = object["status"].flatMap { $0.object != nil ? $0 : nil } ?? (response.status != 200 ? object : .object([]))
        let errorCode = status["error_code"]?.lenientInt ?? 0
        let code = status["code"]?.lenientInt ?? 0
        if errorCode != 0 || code != 0 || response.status != 200 {
            var reason = status["reason"]?.lenientString ?? (response.status != 200 ? "HTTP \(response.status)" : "error")
            // "attempt #9: rpc error: ... collection not found[...]": keep the part a person needs.
            if let range = reason.range(of: "collection not found") { reason = String(reason[range.lowerBound...]) }
            // Milvus 2.2 sends only the legacy error_code, whose numbers mean something else than
            // `code` (1 is "unexpected error", not "not ready"): it is kept in the words, not as a code.
            if code == 0 && errorCode != 0 { reason += " (error_code \(errorCode))" }
            throw .server(
                httpStatus: response.status, code: code != 0 ? code : nil, message: reason,
                retryAfter: ResponseEnvelope.retryAfter(response))
        }
    }

    /// Milvus 2.3 repeats its wrapping: "...: importing data failed: importing data failed".
    static func trimRepeats(_ reason: String) -> String {
        var text = reason
        let suffix = ": importing data failed"
        while text.hasSuffix(suffix + suffix) { text.removeLast(suffix.count) }
        return text
    }

    /// One task (a state answer, or an entry of a task list). States: 0 Pending, 1 Failed,
    /// 2 Started, 5 Persisted, 6 Completed, 7 FailedAndCleaned, 8 Flushed.
    static func task(_ object: JSONValue) -> (id: String?, collection: String?, progress: JobProgress) {
        var infos: [String: String] = [:]
        for info in ResponseEnvelope.objects(object["infos"]) {
            if let k = info["key"]?.lenientString { infos[k] = info["value"]?.lenientString ?? "" }
        }
        let state: JobState
        switch object["state"]?.lenientInt ?? 0 {
        case 0: state = .pending
        case 1, 7: state = .failed
        case 6: state = .completed
        default: state = .importing
        }
        // Clamped like the other APIs' progress: JobProgress promises 0...100 to everything that
        // prints or folds it, whatever number the server put in the string.
        let percent = min(100, max(0, Int(infos["progress_percent"] ?? "") ?? (state == .completed ? 100 : 0)))
        let reason = ResponseEnvelope.nonEmpty(infos["failed_reason"]).map(trimRepeats)
        let rows = object["row_count"]?.lenientInt
        let progress = JobProgress(
            state: state, progress: percent, importedRows: rows, reason: reason,
            files: reason.map { [FileProgress(file: infos["files"] ?? "?", state: .failed, progress: percent, reason: $0)] } ?? [])
        return (object["id"]?.lenientString, ResponseEnvelope.nonEmpty(infos["collection"]), progress)
    }
}
