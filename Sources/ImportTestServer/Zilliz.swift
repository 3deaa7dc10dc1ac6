import Foundation
import JSON

/// Zilliz Cloud: the v2 control plane (import-api.md 2b) and the legacy v1 data plane (2a).
///
/// Where the reference names no error code, this double uses Milvus's: 1801 wrong type, 1802
/// missing field, 1100 invalid value, 100 collection not found. Every Zilliz answer is HTTP 200.
extension HandlerContext {
    func zillizError(_ code: Int, _ message: String) -> OutgoingResponse {
        .json(obj(("code", .from(code)), ("message", .string(message))), code: code)
    }

    func zillizV2AuthFailure() -> OutgoingResponse? {
        guard let token = configuration.token else { return nil }
        if bearerToken == token { return nil }
        return zillizError(21119, "The apikey is illegal.")
    }

    func zillizV1AuthFailure() -> OutgoingResponse? {
        guard let token = configuration.token else { return nil }
        guard let given = bearerToken, !given.isEmpty else {
            return zillizError(80001, "Invalid token: the request carries no API key.")
        }
        if given == token { return nil }
        return zillizError(80002, "Invalid token: Your token is not valid.")
    }

    func zillizUnknownCluster(_ clusterId: String) -> OutgoingResponse? {
        guard let known = configuration.knownClusters, !known.contains(clusterId) else { return nil }
        return zillizError(96018, "Cluster not exist or you don't have permission. clusterId=\(clusterId)")
    }

    static let urlPrefixes = ["s3://", "gs://", "https://", "http://"]

    /// How Zilliz Cloud's progress names a file: "the path of the data file object in the object
    /// storage" (its documents show `folder/1.parquet`), not the url it was sent: the bucket (the
    /// host of `s3://`/`gs://` urls, the first part of the path of `storage.cloud.google.com` and
    /// Azure urls) is left out.
    static func objectPath(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" }.lowercased()
        var path = rest.drop { $0 != "/" }.drop { $0 == "/" }
        if host == "storage.cloud.google.com" || host.hasSuffix(".blob.core.windows.net") {
            path = path.drop { $0 != "/" }.drop { $0 == "/" }
        }
        return String(path)
    }

    static func acceptableURL(_ url: String) -> Bool {
        urlPrefixes.contains { url.hasPrefix($0) && url.count > $0.count }
    }

    /// The cluster a v2 call is about: `clusterId`, or `projectId`+`regionId` for project databases.
    func zillizV2Scope(_ reader: FieldReader) throws -> Result<String, OutgoingResponseBox> {
        let clusterId = try reader.string("clusterId") ?? ""
        if !clusterId.isEmpty {
            if clusterId.contains(where: { $0.isWhitespace || $0 == "/" }) {
                return .failure(OutgoingResponseBox(zillizError(96036, "Invalid clusterId: \(clusterId)")))
            }
            if let refused = zillizUnknownCluster(clusterId) { return .failure(OutgoingResponseBox(refused)) }
            return .success(clusterId)
        }
        let projectId = try reader.string("projectId") ?? ""
        let regionId = try reader.string("regionId") ?? ""
        if projectId.isEmpty {
            return .failure(OutgoingResponseBox(zillizError(1802, "missing required parameter: clusterId")))
        }
        if regionId.isEmpty {
            return .failure(OutgoingResponseBox(zillizError(1802, "missing required parameter: regionId (with projectId)")))
        }
        return .success("\(projectId)/\(regionId)")
    }

    var zillizV2Body: JSONValue {
        if case .success(let value) = routed.json, case .object = value { return value }
        return .object([])
    }

    mutating func zillizV2Create() -> OutgoingResponse {
        if let denied = zillizV2AuthFailure() { return denied }
        let reader = FieldReader(fields: zillizV2Body, structName: "CreateImportJobReq")
        do {
            let scope: String
            switch try zillizV2Scope(reader) {
            case .failure(let box): return box.response
            case .success(let value): scope = value
            }
            let dbName = try reader.string("dbName") ?? ""
            let collection = try reader.string("collectionName") ?? ""
            let partition = try reader.string("partitionName") ?? ""
            let objectUrls = try reader.stringGroups("objectUrls")
            let objectUrl = try reader.string("objectUrl")
            let volumeName = try reader.string("volumeName") ?? ""
            let dataPaths = try reader.stringGroups("dataPaths")
            _ = try reader.string("accessKey")
            _ = try reader.string("secretKey")
            _ = try reader.string("token")
            let options = try reader.stringMap("options") ?? []
            if collection.isEmpty { return zillizError(1802, "missing required parameter: collectionName") }

            var groups: [[String]]
            if let objectUrls {
                groups = objectUrls
                for group in groups where group.count != 1 {
                    return zillizError(
                        1100, "invalid objectUrls: each inner list holds exactly one URL, got \(group.count)")
                }
                for url in groups.joined() where !HandlerContext.acceptableURL(url) {
                    return zillizError(1100, "invalid objectUrl: \(url)")
                }
            } else if let objectUrl, !objectUrl.isEmpty {
                guard HandlerContext.acceptableURL(objectUrl) else {
                    return zillizError(1100, "invalid objectUrl: \(objectUrl)")
                }
                groups = [[objectUrl]]
            } else if !volumeName.isEmpty, let dataPaths {
                groups = dataPaths.map { $0.map { "volume://\(volumeName)/\($0)" } }
                for group in groups where group.count != 1 {
                    return zillizError(1100, "invalid dataPaths: each inner list holds exactly one path")
                }
            } else {
                return zillizError(1802, "missing required parameter: objectUrls")
            }
            if groups.isEmpty { return zillizError(1802, "missing required parameter: objectUrls") }
            let maxFiles = min(1000, configuration.maxFilesPerRequest)
            if groups.count > maxFiles {
                return zillizError(1100, "too many files in one import: \(groups.count), at most \(maxFiles)")
            }
            if let known = configuration.knownCollections, !known.contains(collection) {
                return zillizError(100, "collection not found[collection=\(collection)]")
            }
            let serial = nextSerial()
            let id = zillizJobId(serial: serial)
            _ = createJob(
                api: .zillizV2, id: id, serial: serial, dbName: dbName.isEmpty ? "default" : dbName,
                collectionName: collection, partitionName: partition.isEmpty ? "_default" : partition,
                clusterId: scope, files: groups, options: options, idempotencyKey: nil)
            return .json(obj(("code", 0), ("data", obj(("jobId", .string(id))))), code: 0)
        } catch let error as FieldTypeError {
            return zillizError(1801, "invalid request body: \(error.message)")
        } catch {
            return zillizError(1801, "invalid request body: \(error)")
        }
    }

    /// Finds a Zilliz job of this cluster and observes it.
    mutating func zillizJob(_ jobId: String, scope: String, advancing: Bool) -> (Job, Job.Observation)? {
        guard let job = state.jobs[jobId], job.api == .zillizV2 || job.api == .zillizV1, job.clusterId == scope else {
            return nil
        }
        return observe(jobId, advancing: advancing)
    }

    mutating func zillizV2Progress() -> OutgoingResponse {
        if let denied = zillizV2AuthFailure() { return denied }
        let reader = FieldReader(fields: zillizV2Body, structName: "GetImportProgressReq")
        do {
            let scope: String
            switch try zillizV2Scope(reader) {
            case .failure(let box): return box.response
            case .success(let value): scope = value
            }
            let jobId = try reader.string("jobId") ?? ""
            if jobId.isEmpty { return zillizError(1802, "missing required parameter: jobId") }
            guard let found = zillizJob(jobId, scope: scope, advancing: true) else {
                return zillizError(96026, "Job not found. jobId=\(jobId)")
            }
            return .json(obj(("code", 0), ("data", zillizV2ProgressData(found.0, found.1))), code: 0)
        } catch let error as FieldTypeError {
            return zillizError(1801, "invalid request body: \(error.message)")
        } catch {
            return zillizError(1801, "invalid request body: \(error)")
        }
    }

    func zillizV2ProgressData(_ job: Job, _ seen: Job.Observation) -> JSONValue {
        let rows = Int64(configuration.rowsPerFile)
        let bytes = Int64(configuration.bytesPerFile)
        let urls = Array(job.files.joined())
        let reason = seen.state == .failed ? (job.failure?.reason ?? "") : ""
        let details: [JSONValue] = job.files.enumerated().map { index, group in
            let fileReason = seen.state == .failed && job.failure?.groupIndex == index ? reason : ""
            return obj(
                ("fileName", .string(HandlerContext.objectPath(group.first ?? ""))),
                ("fileSize", .int(bytes)),
                ("state", .string(seen.state.rawValue)),
                ("progress", .from(seen.progress)),
                ("completeTime", seen.completeTime.map { .string(isoTime($0)) } ?? .null),
                ("reason", .string(fileReason)),
                ("totalRows", .int(rows)))
        }
        return obj(
            ("jobId", .string(job.id)),
            ("collectionName", .string(job.collectionName)),
            ("fileName", .string(urls.map(HandlerContext.objectPath).joined(separator: ","))),
            ("fileSize", .int(bytes * Int64(job.files.count))),
            ("state", .string(seen.state.rawValue)),
            ("progress", .from(seen.progress)),
            ("completeTime", seen.completeTime.map { .string(isoTime($0)) } ?? .null),
            ("reason", .string(reason)),
            ("totalRows", .int(rows * Int64(job.files.count))),
            ("details", .array(details)))
    }

    mutating func zillizV2List() -> OutgoingResponse {
        if let denied = zillizV2AuthFailure() { return denied }
        let reader = FieldReader(fields: zillizV2Body, structName: "ListImportJobsReq")
        do {
            let scope: String
            switch try zillizV2Scope(reader) {
            case .failure(let box): return box.response
            case .success(let value): scope = value
            }
            let pageSize = Int(try reader.int("pageSize") ?? 10)
            let currentPage = Int(try reader.int("currentPage") ?? 1)
            let dbName = try reader.string("dbName") ?? ""
            guard (1...100).contains(pageSize) else {
                return zillizError(1100, "invalid pageSize: \(pageSize), it should be in [1, 100]")
            }
            guard currentPage >= 1 else { return zillizError(1100, "invalid currentPage: \(currentPage)") }
            return zillizListAnswer(
                scope: scope, dbName: dbName, pageSize: pageSize, currentPage: currentPage, recordsKey: "records",
                successCode: 0, stateName: { $0.rawValue })
        } catch let error as FieldTypeError {
            return zillizError(1801, "invalid request body: \(error.message)")
        } catch {
            return zillizError(1801, "invalid request body: \(error)")
        }
    }

    mutating func zillizListAnswer(
        scope: String, dbName: String, pageSize: Int, currentPage: Int, recordsKey: String, successCode: Int,
        stateName: (JobState) -> String
    ) -> OutgoingResponse {
        let jobs = sortedJobs {
            ($0.api == .zillizV2 || $0.api == .zillizV1) && $0.clusterId == scope
                && (dbName.isEmpty || $0.dbName == dbName)
        }
        let start = (currentPage - 1) * pageSize
        var records: [JSONValue] = []
        if start < jobs.count {
            for job in jobs[start..<min(jobs.count, start + pageSize)] {
                guard let seen = observe(job.id, advancing: false)?.1 else { continue }
                records.append(
                    obj(
                        ("collectionName", .string(job.collectionName)), ("jobId", .string(job.id)),
                        ("state", .string(stateName(seen.state)))))
            }
        }
        return .json(
            obj(
                ("code", .from(successCode)),
                (
                    "data",
                    obj(
                        ("count", .from(jobs.count)), ("currentPage", .from(currentPage)), ("pageSize", .from(pageSize)),
                        (recordsKey, .array(records)))
                )),
            code: successCode)
    }

    // MARK: v1

    static func zillizV1State(_ state: JobState) -> String {
        switch state {
        case .pending, .importing, .uncommitted, .committing: return "ImportRunning"
        case .completed: return "ImportCompleted"
        case .failed: return "ImportFailed"
        }
    }

    func zillizV1Missing(_ name: String) -> OutgoingResponse {
        zillizError(80000, "Incorrect parameter: \(name) is required.")
    }

    mutating func zillizV1Create() -> OutgoingResponse {
        if let denied = zillizV1AuthFailure() { return denied }
        let body: JSONValue
        switch routed.json {
        case .success(let value) where value.objectValue != nil: body = value
        case .failure(let error): return zillizError(80000, "Incorrect parameter: \(error.description)")
        default: return zillizError(80000, "Incorrect parameter: the body must be a JSON object.")
        }
        let reader = FieldReader(fields: body, structName: "ImportReq")
        do {
            let clusterId = try reader.string("clusterId") ?? ""
            let collection = try reader.string("collectionName") ?? ""
            let partition = try reader.string("partitionName") ?? ""
            let objectUrl = try reader.string("objectUrl") ?? ""
            _ = try reader.string("accessKey")
            _ = try reader.string("secretKey")
            if clusterId.isEmpty { return zillizV1Missing("clusterId") }
            if collection.isEmpty { return zillizV1Missing("collectionName") }
            if objectUrl.isEmpty { return zillizV1Missing("objectUrl") }
            if let refused = zillizUnknownCluster(clusterId) { return refused }
            guard HandlerContext.acceptableURL(objectUrl) else {
                return zillizError(80000, "Incorrect parameter: invalid objectUrl \(objectUrl)")
            }
            if let known = configuration.knownCollections, !known.contains(collection) {
                return zillizError(100, "collection not found[collection=\(collection)]")
            }
            let serial = nextSerial()
            let id = zillizJobId(serial: serial)
            _ = createJob(
                api: .zillizV1, id: id, serial: serial, dbName: "default", collectionName: collection,
                partitionName: partition.isEmpty ? "_default" : partition, clusterId: clusterId,
                files: [[objectUrl]], options: [], idempotencyKey: nil)
            return .json(obj(("code", 200), ("data", obj(("jobId", .string(id))))), code: 200)
        } catch let error as FieldTypeError {
            return zillizError(80000, "Incorrect parameter: \(error.message)")
        } catch {
            return zillizError(80000, "Incorrect parameter: \(error)")
        }
    }

    mutating func zillizV1Get() -> OutgoingResponse {
        if let denied = zillizV1AuthFailure() { return denied }
        let query = request.queryItems
        let jobId = query["jobId"] ?? ""
        let clusterId = query["clusterId"] ?? ""
        if jobId.isEmpty { return zillizV1Missing("jobId") }
        if clusterId.isEmpty { return zillizV1Missing("clusterId") }
        if let refused = zillizUnknownCluster(clusterId) { return refused }
        guard let found = zillizJob(jobId, scope: clusterId, advancing: true) else {
            return zillizError(96026, "Job not found. jobId=\(jobId)")
        }
        let (job, seen) = found
        let ready = Double(seen.state == .failed ? 0 : seen.progress) / 100
        let bytes = Int64(configuration.bytesPerFile)
        let error: JSONValue = seen.state == .failed ? .string(job.failure?.reason ?? "import failed") : .null
        let completeTime: JSONValue = seen.completeTime.map { .string(isoTime($0)) } ?? .null
        let details: [JSONValue] = job.files.map { group in
            obj(
                ("fileName", .string(HandlerContext.objectPath(group.first ?? ""))), ("fileSize", .int(bytes)),
                ("readyPercentage", .double(ready)), ("completeTime", completeTime), ("errorMessage", error))
        }
        let data = obj(
            ("jobId", .string(job.id)),
            ("collectionName", .string(job.collectionName)),
            ("fileName", .string(job.files.joined().map(HandlerContext.objectPath).joined(separator: ","))),
            ("fileSize", .int(bytes * Int64(job.files.count))),
            ("state", .string(HandlerContext.zillizV1State(seen.state))),
            ("readyPercentage", .double(ready)),
            ("completeTime", completeTime),
            ("errorMessage", error),
            ("details", .array(details)))
        return .json(obj(("code", 200), ("data", data)), code: 200)
    }

    mutating func zillizV1List() -> OutgoingResponse {
        if let denied = zillizV1AuthFailure() { return denied }
        let query = request.queryItems
        let clusterId = query["clusterId"] ?? ""
        if clusterId.isEmpty { return zillizV1Missing("clusterId") }
        if let refused = zillizUnknownCluster(clusterId) { return refused }
        guard let pageSize = Int(query["pageSize"] ?? "10"), (1...100).contains(pageSize) else {
            return zillizError(80000, "Incorrect parameter: pageSize should be in [1, 100].")
        }
        guard let currentPage = Int(query["currentPage"] ?? "1"), currentPage >= 1 else {
            return zillizError(80000, "Incorrect parameter: currentPage should be at least 1.")
        }
        return zillizListAnswer(
            scope: clusterId, dbName: "", pageSize: pageSize, currentPage: currentPage, recordsKey: "tasks",
            successCode: 200, stateName: HandlerContext.zillizV1State)
    }
}
