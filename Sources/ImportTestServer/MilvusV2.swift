import JSON

/// Self-hosted Milvus, REST v2 (import-api.md section 1).
extension HandlerContext {
    func milvusError(_ code: Int, _ message: String, status: Int = 200) -> OutgoingResponse {
        .json(obj(("code", .from(code)), ("message", .string(message))), status: status, code: code)
    }

    func milvusMissing(_ structName: String, _ field: String) -> OutgoingResponse {
        milvusError(
            1802,
            "missing required parameters, error: Key: '\(structName).\(field)' Error:Field validation for '\(field)' failed on the 'required' tag"
        )
    }

    /// HTTP 401 code 1800 when a token is configured and the request lacks it.
    func milvusAuthFailure() -> OutgoingResponse? {
        guard let token = configuration.token else { return nil }
        if bearerToken == token { return nil }
        return milvusError(1800, "user hasn't authenticated", status: 401)
    }

    /// The body as an object, or the 1801 answer. An empty body is `{}` when `emptyIsObject`.
    func milvusBody(goType: String, emptyIsObject: Bool = false) -> Result<JSONValue, OutgoingResponseBox> {
        switch routed.json {
        case nil:
            if emptyIsObject { return .success(.object([])) }
            return .failure(OutgoingResponseBox(milvusError(1801, "can only accept json format request, error: EOF")))
        case .failure(let error):
            return .failure(
                OutgoingResponseBox(milvusError(1801, "can only accept json format request, error: \(error.description)")))
        case .success(let value):
            if let problem = FieldReader.topLevelProblem(value, goType: goType) {
                return .failure(OutgoingResponseBox(milvusError(1801, "can only accept json format request, error: \(problem)")))
            }
            if case .null = value { return .success(.object([])) }
            return .success(value)
        }
    }

    /// The database a call is about: the body's `dbName`, else the `DB-Name` header, else `default`.
    func milvusDatabase(_ bodyDbName: String?) -> String {
        if let name = bodyDbName, !name.isEmpty { return name }
        if let header = request.header("DB-Name"), !header.isEmpty { return header }
        return "default"
    }

    func milvusUnknownDatabase(_ db: String) -> OutgoingResponse? {
        guard let known = configuration.knownDatabases, db != "default", !known.contains(db) else { return nil }
        return milvusError(800, "database not found[database=\(db)]")
    }

    func milvusUnknownCollection(_ db: String, _ collection: String) -> OutgoingResponse? {
        guard let known = configuration.knownCollections, !known.contains(collection) else { return nil }
        return milvusError(100, "collection not found[database=\(db)][collection=\(collection)]")
    }

    mutating func milvusCreate() -> OutgoingResponse {
        if let denied = milvusAuthFailure() { return denied }
        let body: JSONValue
        switch milvusBody(goType: "httpserver.ImportReq") {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let reader = FieldReader(fields: body, structName: "ImportReq")
        let dbName: String?
        let collection: String
        let partition: String
        let files: [[String]]?
        let options: [(String, String)]
        do {
            dbName = try reader.string("dbName")
            collection = try reader.string("collectionName") ?? ""
            partition = try reader.string("partitionName") ?? ""
            files = try reader.stringGroups("files")
            options = try reader.stringMap("options") ?? []
        } catch let error as FieldTypeError {
            return milvusError(1801, "can only accept json format request, error: \(error.message)")
        } catch {
            return milvusError(1801, "can only accept json format request, error: \(error)")
        }
        if collection.isEmpty { return milvusMissing("ImportReq", "CollectionName") }
        guard let files else { return milvusMissing("ImportReq", "Files") }

        let db = milvusDatabase(dbName)
        if let refused = milvusUnknownDatabase(db) { return refused }
        if let refused = milvusUnknownCollection(db, collection) { return refused }

        let groups = files.filter { !$0.isEmpty }
        if groups.isEmpty {
            return milvusError(2100, "import request is empty: importing data failed")
        }
        if groups.count > configuration.maxFilesPerRequest {
            return milvusError(
                2100,
                "The max number of import files should not exceed \(configuration.maxFilesPerRequest), but got \(groups.count): importing data failed"
            )
        }
        for group in groups {
            if let problem = FileRules.problem(with: group) {
                return milvusError(2100, "\(problem): importing data failed")
            }
        }

        var key: String?
        if configuration.honoursIdempotencyKey, let value = request.header("Idempotency-Key"), !value.isEmpty {
            let printable = value.utf8.allSatisfy { (0x20...0x7E).contains($0) }
            guard printable, value.utf8.count <= 256 else {
                return milvusError(
                    1100,
                    "invalid parameter[expected=Idempotency-Key of at most 256 printable ASCII bytes][actual=\(value.utf8.count) bytes]"
                )
            }
            // Keys are scoped to the collection (milvus#52320), and a key answers its first job
            // whatever became of it: a Failed job's key keeps returning that job.
            if let existing = state.idempotency[HandlerContext.idempotencyScope(db, collection, value)] {
                state.idempotentReplays += 1
                return .json(obj(("code", 0), ("data", obj(("jobId", .string(existing))))), code: 0)
            }
            key = value
        }

        if milvusJobLimitReached() {
            return milvusError(2100, "\(HandlerContext.jobLimitMessage): importing data failed")
        }

        let serial = nextSerial()
        let id = milvusJobId(serial: serial)
        _ = createJob(
            api: .milvusV2, id: id, serial: serial, dbName: db, collectionName: collection,
            partitionName: partition.isEmpty ? "_default" : partition, clusterId: nil, files: groups,
            options: options, idempotencyKey: key)
        if let key { state.idempotency[HandlerContext.idempotencyScope(db, collection, key)] = id }
        markTwoPhase(id, options: options)
        return .json(obj(("code", 0), ("data", obj(("jobId", .string(id))))), code: 0)
    }

    /// The key under which an `Idempotency-Key` is remembered: per database and collection.
    static func idempotencyScope(_ db: String, _ collection: String, _ key: String) -> String {
        "\(db)\u{0}\(collection)\u{0}\(key)"
    }

    mutating func milvusDescribe() -> OutgoingResponse {
        if let denied = milvusAuthFailure() { return denied }
        let body: JSONValue
        switch milvusBody(goType: "httpserver.JobIDReq") {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let jobId: String
        do {
            jobId = try FieldReader(fields: body, structName: "JobIDReq").string("jobId") ?? ""
        } catch let error as FieldTypeError {
            return milvusError(1801, "can only accept json format request, error: \(error.message)")
        } catch {
            return milvusError(1801, "can only accept json format request, error: \(error)")
        }
        if jobId.isEmpty { return milvusMissing("JobIDReq", "JobID") }
        guard Int64(jobId) != nil else {
            return milvusError(1100, "parse job id failed: strconv.ParseInt: parsing \"\(jobId)\": invalid syntax")
        }
        guard let job = state.jobs[jobId], job.api == .milvusV2 else {
            return milvusError(2100, "import job does not exist, jobID=\(jobId)")
        }
        if let scripted = scriptedMilvusProgress(job, advancing: true) { return .json(obj(("code", 0), ("data", scripted.data)), code: 0) }
        guard let result = observe(jobId, advancing: true) else {
            return milvusError(2100, "import job does not exist, jobID=\(jobId)")
        }
        return .json(obj(("code", 0), ("data", milvusProgressData(result.0, result.1))), code: 0)
    }

    func milvusProgressData(_ job: Job, _ seen: Job.Observation) -> JSONValue {
        let rows = Int64(configuration.rowsPerFile)
        let bytes = Int64(configuration.bytesPerFile)
        let groups = Int64(job.files.count)
        let imported: (Int64) -> Int64 = { total in
            seen.state == .importing || seen.state == .completed ? total * Int64(seen.progress) / 100 : 0
        }
        var data: [(String, JSONValue)] = [
            ("jobId", .string(job.id)),
            ("collectionName", .string(job.collectionName)),
        ]
        if let done = seen.completeTime { data.append(("completeTime", .string(isoTime(done)))) }
        data.append(("state", .string(seen.state.rawValue)))
        data.append(("progress", .from(seen.progress)))
        data.append(("importedRows", .int(imported(rows * groups))))
        data.append(("totalRows", .int(rows * groups)))
        data.append(("fileSize", .int(bytes * groups)))
        if seen.state == .failed, let reason = job.phase.abortedAt != nil ? TwoPhase.abortReason : job.failure?.reason {
            data.append(("reason", .string(reason)))
        }
        let details: [JSONValue] = job.files.enumerated().map { index, group in
            var detail: [(String, JSONValue)] = [
                ("fileName", .string(FileRules.goList(group))),
                ("fileSize", .int(bytes)),
                ("progress", .from(seen.progress)),
            ]
            if let done = seen.completeTime { detail.append(("completeTime", .string(isoTime(done)))) }
            detail.append(("state", .string(seen.state.rawValue)))
            detail.append(("importedRows", .int(imported(rows))))
            detail.append(("totalRows", .int(rows)))
            if seen.state == .failed, let failure = job.failure, failure.groupIndex == index {
                detail.append(("reason", .string(failure.reason)))
            }
            return .object(detail)
        }
        data.append(("details", .array(details)))
        return .object(data)
    }

    mutating func milvusList() -> OutgoingResponse {
        if let denied = milvusAuthFailure() { return denied }
        let body: JSONValue
        switch milvusBody(goType: "httpserver.OptionalCollectionNameReq", emptyIsObject: true) {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let reader = FieldReader(fields: body, structName: "OptionalCollectionNameReq")
        let dbName: String?
        let collection: String
        do {
            dbName = try reader.string("dbName")
            collection = try reader.string("collectionName") ?? ""
        } catch let error as FieldTypeError {
            return milvusError(1801, "can only accept json format request, error: \(error.message)")
        } catch {
            return milvusError(1801, "can only accept json format request, error: \(error)")
        }
        let db = milvusDatabase(dbName)
        if let refused = milvusUnknownDatabase(db) { return refused }
        if !collection.isEmpty, let refused = milvusUnknownCollection(db, collection) { return refused }
        let jobs = sortedJobs {
            $0.api == .milvusV2 && $0.dbName == db && (collection.isEmpty || $0.collectionName == collection)
        }
        var records: [JSONValue] = []
        records.reserveCapacity(jobs.count)
        for job in jobs {
            guard let seen = observe(job.id, advancing: false)?.1 else { continue }
            let scripted = scriptedMilvusProgress(job, advancing: false)
            records.append(
                obj(
                    ("jobId", .string(job.id)), ("collectionName", .string(job.collectionName)),
                    ("state", .string(scripted?.state ?? seen.state.rawValue)), ("progress", .from(scripted?.progress ?? seen.progress))))
        }
        return .json(obj(("code", 0), ("data", obj(("records", .array(records))))), code: 0)
    }
}

/// Wraps a response so it can be a `Result` failure.
struct OutgoingResponseBox: Error {
    var response: OutgoingResponse
    init(_ response: OutgoingResponse) { self.response = response }
}
