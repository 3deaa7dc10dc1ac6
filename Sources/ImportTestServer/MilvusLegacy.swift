import JSON

/// Milvus 2.2 and 2.3: the older HTTP API under `/api/v1` (import-api.md section 1b).
///
/// Its bodies are protobuf messages written by Go's `encoding/json`: snake_case keys, enums as
/// numbers, and zero values left out (`omitempty`), so a `Pending` task (state 0) has no `state`.
extension HandlerContext {
    /// A body that does not parse: HTTP 400 with a bare `commonpb.Status` (error_code 5, IllegalArgument).
    func legacyBadRequest(_ detail: String) -> OutgoingResponse {
        .json(
            obj(("error_code", 5), ("reason", .string("bad request: parse body failed: \(detail)"))),
            status: 400, code: 5)
    }

    /// An error `status` inside an HTTP 200 answer.
    func legacyStatusError(_ reason: String, code: Int, detail: String? = nil) -> OutgoingResponse {
        var status: [(String, JSONValue)] = [("error_code", 1), ("reason", .string(reason)), ("code", .from(code))]
        if let detail { status.append(("detail", .string(detail))) }
        return .json(obj(("status", .object(status))), code: 1)
    }

    func legacyBody(goType: String, emptyIsObject: Bool) -> Result<JSONValue, OutgoingResponseBox> {
        switch routed.json {
        case nil:
            if emptyIsObject { return .success(.object([])) }
            return .failure(OutgoingResponseBox(legacyBadRequest("EOF")))
        case .failure(let error):
            return .failure(OutgoingResponseBox(legacyBadRequest(error.description)))
        case .success(let value):
            if let problem = FieldReader.topLevelProblem(value, goType: goType) {
                return .failure(OutgoingResponseBox(legacyBadRequest(problem)))
            }
            if case .null = value { return .success(.object([])) }
            return .success(value)
        }
    }

    func legacyCollectionNotFound(_ db: String, _ collection: String) -> OutgoingResponse {
        legacyStatusError(
            "attempt #9: rpc error: code = Unknown desc = collection not found[database=\(db)][collection=\(collection)]",
            code: 65535,
            detail: "stack trace: github.com/milvus-io/milvus/pkg/tracer.StackTrace (import-test-server: a test double)")
    }

    mutating func legacyCreate() -> OutgoingResponse {
        let body: JSONValue
        switch legacyBody(goType: "milvuspb.ImportRequest", emptyIsObject: false) {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let reader = FieldReader(fields: body, structName: "ImportRequest")
        let collection: String
        let partition: String
        let files: [String]
        let options: [(String, String)]
        let db: String
        do {
            collection = try reader.string("collection_name") ?? ""
            partition = try reader.string("partition_name") ?? ""
            files = try reader.strings("files") ?? []
            options = try reader.keyValuePairs("options") ?? []
            db = try reader.string("db_name").flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            _ = try reader.bool("row_based")
            _ = try reader.strings("channel_names")
        } catch let error as FieldTypeError {
            return legacyBadRequest(error.message)
        } catch {
            return legacyBadRequest("\(error)")
        }
        if collection.isEmpty {
            return legacyStatusError("collection name should not be empty: invalid parameter", code: 1100)
        }
        if let known = configuration.knownCollections, !known.contains(collection) {
            return legacyCollectionNotFound(db, collection)
        }
        let group = files.filter { !$0.isEmpty }
        if group.isEmpty {
            return legacyStatusError("import request is empty: invalid parameter", code: 1100)
        }
        if let problem = FileRules.problem(with: group) {
            return legacyStatusError("\(problem): invalid parameter", code: 1100)
        }
        if milvusJobLimitReached() {
            return legacyStatusError("\(HandlerContext.jobLimitMessage): importing data failed", code: 2100)
        }
        let serial = nextSerial()
        let id = milvusJobId(serial: serial)
        _ = createJob(
            api: .milvusLegacy, id: id, serial: serial, dbName: db, collectionName: collection,
            partitionName: partition.isEmpty ? "_default" : partition, clusterId: nil, files: [group],
            options: options, idempotencyKey: nil)
        return .json(obj(("status", .object([])), ("tasks", .array([.int(Int64(id)!)]))), code: 0)
    }

    /// The numeric state of the 2.3 API: 0 Pending, 1 Failed, 2 Started, 5 Persisted, 6 Completed.
    static func legacyStateCode(_ seen: Job.Observation) -> Int {
        switch seen.state {
        case .pending: return 0
        case .importing, .uncommitted, .committing: return seen.progress < 50 ? 2 : 5
        case .completed: return 6
        case .failed: return 1
        }
    }

    func legacyTaskObject(_ job: Job, _ seen: Job.Observation, withStatus: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        if withStatus { pairs.append(("status", .object([]))) }
        let stateCode = HandlerContext.legacyStateCode(seen)
        if stateCode != 0 { pairs.append(("state", .from(stateCode))) }
        let rows = seen.state == .importing || seen.state == .completed ? configuration.rowsPerFile * seen.progress / 100 : 0
        if rows != 0 { pairs.append(("row_count", .from(rows))) }
        var failed: [(String, JSONValue)] = [("key", "failed_reason")]
        if seen.state == .failed, let failure = job.failure { failed.append(("value", .string(failure.reason))) }
        let infos: [JSONValue] = [
            obj(("key", "files"), ("value", .string(job.files.joined().joined(separator: ",")))),
            obj(("key", "collection"), ("value", .string(job.collectionName))),
            obj(("key", "partition"), ("value", .string(job.partitionName))),
            .object(failed),
            obj(("key", "progress_percent"), ("value", .string(String(seen.progress)))),
        ]
        pairs.append(("infos", .array(infos)))
        pairs.append(("id", .int(Int64(job.id) ?? 0)))
        pairs.append(("collection_id", .int(HandlerContext.collectionId(job.collectionName))))
        if seen.state == .completed {
            pairs.append(("segment_ids", .array([.int(HandlerContext.collectionId(job.collectionName) + Int64(job.serial))])))
        }
        pairs.append(("create_ts", .int(Int64(job.createdWall.timeIntervalSince1970))))
        return .object(pairs)
    }

    /// A stable, made-up collection id.
    static func collectionId(_ name: String) -> Int64 {
        var hash: UInt64 = 1_469_598_103_934_665_603
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        return 440_000_000_000_000_000 + Int64(hash % 1_000_000_000_000)
    }

    mutating func legacyState() -> OutgoingResponse {
        let body: JSONValue
        switch legacyBody(goType: "milvuspb.GetImportStateRequest", emptyIsObject: false) {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let task: Int64
        do {
            task = try FieldReader(fields: body, structName: "GetImportStateRequest").int("task") ?? 0
        } catch let error as FieldTypeError {
            return legacyBadRequest(error.message)
        } catch {
            return legacyBadRequest("\(error)")
        }
        let id = String(task)
        guard let job = state.jobs[id], job.api == .milvusLegacy, let result = observe(id, advancing: true) else {
            return legacyStatusError("failed to get import task, taskID=\(task): import task not found", code: 2100)
        }
        return .json(legacyTaskObject(result.0, result.1, withStatus: true), code: 0)
    }

    mutating func legacyTasks() -> OutgoingResponse {
        let body: JSONValue
        switch legacyBody(goType: "milvuspb.ListImportTasksRequest", emptyIsObject: true) {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let reader = FieldReader(fields: body, structName: "ListImportTasksRequest")
        let collection: String
        let limit: Int64
        do {
            collection = try reader.string("collection_name") ?? ""
            limit = try reader.int("limit") ?? 0
            _ = try reader.string("db_name")
        } catch let error as FieldTypeError {
            return legacyBadRequest(error.message)
        } catch {
            return legacyBadRequest("\(error)")
        }
        if !collection.isEmpty, let known = configuration.knownCollections, !known.contains(collection) {
            return legacyCollectionNotFound("default", collection)
        }
        var jobs = sortedJobs { $0.api == .milvusLegacy && (collection.isEmpty || $0.collectionName == collection) }
        if limit > 0, jobs.count > limit { jobs = Array(jobs.suffix(Int(limit))) }
        var tasks: [JSONValue] = []
        for job in jobs {
            guard let result = observe(job.id, advancing: false) else { continue }
            tasks.append(legacyTaskObject(result.0, result.1, withStatus: false))
        }
        var pairs: [(String, JSONValue)] = [("status", .object([]))]
        if !tasks.isEmpty { pairs.append(("tasks", .array(tasks))) }
        return .json(.object(pairs), code: 0)
    }

    mutating func legacyStatistics() -> OutgoingResponse {
        let body: JSONValue
        switch legacyBody(goType: "milvuspb.GetCollectionStatisticsRequest", emptyIsObject: false) {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let collection: String
        do {
            collection = try FieldReader(fields: body, structName: "GetCollectionStatisticsRequest").string("collection_name") ?? ""
        } catch let error as FieldTypeError {
            return legacyBadRequest(error.message)
        } catch {
            return legacyBadRequest("\(error)")
        }
        if collection.isEmpty || (configuration.knownCollections.map { !$0.contains(collection) } ?? false) {
            return legacyCollectionNotFound("default", collection)
        }
        var rows = 0
        for job in sortedJobs({ ($0.api == .milvusLegacy || $0.api == .milvusV2) && $0.collectionName == collection }) {
            guard let result = observe(job.id, advancing: false), result.1.state == .completed else { continue }
            rows += configuration.rowsPerFile * job.files.count
        }
        return .json(
            obj(("status", .object([])), ("stats", .array([obj(("key", "row_count"), ("value", .string(String(rows))))]))),
            code: 0)
    }
}
