import Foundation
import JSON
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A request read completely off the wire.
struct IncomingRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    var headers: [RecordedHeader]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The query's parameters, percent-decoded (`+` is a space).
    var queryItems: [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var items: [String: String] = [:]
        for part in query.split(separator: "&") {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = IncomingRequest.decode(String(pieces[0]))
            let value = pieces.count > 1 ? IncomingRequest.decode(String(pieces[1])) : ""
            if items[name] == nil { items[name] = value }
        }
        return items
    }

    static func decode(_ text: String) -> String {
        let plusless = text.replacingOccurrences(of: "+", with: " ")
        return plusless.removingPercentEncoding ?? plusless
    }
}

/// What to send back.
struct OutgoingResponse: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var extraHeaders: [(String, String)] = []
    var businessCode: Int?

    static func json(_ value: JSONValue, status: Int = 200, code: Int? = nil) -> OutgoingResponse {
        OutgoingResponse(
            status: status, contentType: "application/json; charset=utf-8", body: JSONWriter.bytes(value),
            businessCode: code)
    }

    static func text(_ text: String, status: Int) -> OutgoingResponse {
        OutgoingResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }
}

/// The endpoints, by path and (for the shared v2 paths) by body.
enum Endpoint: Sendable, Equatable {
    case milvusCreate, milvusDescribe, milvusList
    case milvusCommit, milvusAbort
    case legacyCreate, legacyState, legacyTasks, legacyStatistics
    case zillizV2Create, zillizV2Progress, zillizV2List
    case zillizV1Create, zillizV1Get, zillizV1List
    case healthz
    case notFound

    var api: ImportAPI? {
        switch self {
        case .milvusCreate, .milvusDescribe, .milvusList, .milvusCommit, .milvusAbort: return .milvusV2
        case .legacyCreate, .legacyState, .legacyTasks, .legacyStatistics: return .milvusLegacy
        case .zillizV2Create, .zillizV2Progress, .zillizV2List: return .zillizV2
        case .zillizV1Create, .zillizV1Get, .zillizV1List: return .zillizV1
        case .healthz, .notFound: return nil
        }
    }

    /// Routes a request. `json` is the parsed body, when it parsed.
    ///
    /// A Zilliz-only key counts only when it has a value: pymilvus sends every key of both APIs to
    /// a Milvus, the unused ones as `""` or `null`, and a real Milvus ignores keys its `ImportReq`
    /// does not have.
    static func route(method: String, path: String, json: JSONValue?) -> Endpoint {
        func has(_ keys: String...) -> Bool {
            guard let json else { return false }
            return keys.contains { key in
                guard let value = json[key] else { return false }
                if value.isNull { return false }
                if case .string(let text) = value, text.isEmpty { return false }
                return true
            }
        }
        let zillizBody = has("clusterId", "projectId")
        switch (method, path) {
        case ("POST", "/v2/vectordb/jobs/import/create"):
            return has("clusterId", "projectId", "objectUrls", "objectUrl", "volumeName") ? .zillizV2Create : .milvusCreate
        case ("POST", "/v2/vectordb/jobs/import/describe"), ("POST", "/v2/vectordb/jobs/import/get_progress"):
            return zillizBody ? .zillizV2Progress : .milvusDescribe
        case ("POST", "/v2/vectordb/jobs/import/getProgress"):
            return .zillizV2Progress
        case ("POST", "/v2/vectordb/jobs/import/list"):
            return zillizBody ? .zillizV2List : .milvusList
        // This double has two-phase imports on Milvus only: a Zilliz body is not routed.
        case ("POST", "/v2/vectordb/jobs/import/commit"): return zillizBody ? .notFound : .milvusCommit
        case ("POST", "/v2/vectordb/jobs/import/abort"): return zillizBody ? .notFound : .milvusAbort
        case ("POST", "/api/v1/import"): return .legacyCreate
        case ("GET", "/api/v1/import/state"): return .legacyState
        case ("GET", "/api/v1/import/tasks"): return .legacyTasks
        case ("GET", "/api/v1/collection/statistics"): return .legacyStatistics
        case ("POST", "/v1/vector/collections/import"): return .zillizV1Create
        case ("GET", "/v1/vector/collections/import/get"): return .zillizV1Get
        case ("GET", "/v1/vector/collections/import/list"): return .zillizV1List
        case ("GET", "/healthz"): return .healthz
        default: return .notFound
        }
    }
}

/// A request, routed.
struct RoutedRequest: Sendable {
    var request: IncomingRequest
    var json: Result<JSONValue, JSONParseError>?
    var endpoint: Endpoint

    init(_ request: IncomingRequest) {
        self.request = request
        if request.body.isEmpty {
            json = nil
        } else {
            do { json = .success(try JSONParser.parse(request.body, options: .goServer)) } catch {
                json = .failure(error)
            }
        }
        let parsed: JSONValue? = if case .success(let value) = json { value } else { nil }
        endpoint = Endpoint.route(method: request.method, path: request.path, json: parsed)
    }
}

/// What the connection handler should do with a request it has just read.
struct Ticket: Sendable {
    var sequence: Int
    var delay: Duration
    var fault: Fault.Kind?
}

/// All shared, mutable state of one server, behind one lock. Everything here runs on event-loop
/// threads and never blocks for long: one lock hold per request.
final class ServerCore: Sendable {
    struct State: Sendable {
        var configuration: ImportTestServerConfiguration
        var jobs: [String: Job] = [:]
        var unfinishedMilvus: Set<String> = []
        var idempotency: [String: String] = [:]
        var nextSerial = 0
        var zillizPrefix: String
        var log: [RecordedRequest] = []
        var requestCount = 0
        var inFlight = 0
        var maxInFlight = 0
        var connectionsAccepted = 0
        var jobsCreated = 0
        var jobsPerCollection: [String: Int] = [:]
        var importsPerFile: [String: Int] = [:]
        var idempotentReplays = 0
        var tripwire: Tripwire?
    }

    /// An action to run as the `remaining`-th matching request arrives (see ``ImportTestServer/trip(onRequest:path:_:)``).
    struct Tripwire: Sendable {
        var remaining: Int
        var path: String?
        var action: @Sendable () -> Void
    }

    let box: NIOLockedValueBox<State>

    init(configuration: ImportTestServerConfiguration) {
        let prefix = String(UInt32.random(in: 0x1000_0000...0xFFFF_FFFF), radix: 16)
        box = NIOLockedValueBox(State(configuration: configuration, zillizPrefix: prefix))
    }

    func connectionAccepted() {
        box.withLockedValue { $0.connectionsAccepted += 1 }
    }

    /// Logs the request, counts it in flight and picks its fault.
    func begin(_ routed: RoutedRequest) -> Ticket {
        let now = Date()
        var tripped: (@Sendable () -> Void)?
        defer { tripped?() }  // outside the lock: the action may call back into the server
        return box.withLockedValue { state in
            if var wire = state.tripwire, wire.path.map({ $0 == routed.request.path }) ?? true {
                wire.remaining -= 1
                if wire.remaining <= 0 {
                    tripped = wire.action
                    state.tripwire = nil
                } else {
                    state.tripwire = wire
                }
            }
            let sequence = state.requestCount
            state.requestCount += 1
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            var chosen: Fault?
            for index in state.configuration.faults.indices {
                let fault = state.configuration.faults[index]
                if let path = fault.path, path != routed.request.path { continue }
                if let times = fault.times {
                    if times <= 0 { continue }
                    state.configuration.faults[index].times = times - 1
                }
                chosen = fault
                break
            }
            state.configuration.faults.removeAll { $0.times.map { $0 <= 0 } ?? false }
            if state.configuration.recordRequests {
                state.log.append(
                    RecordedRequest(
                        sequence: sequence, method: routed.request.method, path: routed.request.path,
                        query: routed.request.query, headers: routed.request.headers, body: routed.request.body,
                        receivedAt: now, api: routed.endpoint.api, fault: chosen?.description,
                        responseStatus: nil, responseCode: nil))
            }
            var delay = state.configuration.latency
            if case .delay(let extra) = chosen?.kind { delay += extra }
            return Ticket(sequence: sequence, delay: delay, fault: chosen?.kind)
        }
    }

    /// The request was answered (or dropped: `status` nil).
    func finish(_ ticket: Ticket, status: Int?, code: Int?) {
        box.withLockedValue { state in
            state.inFlight -= 1
            if state.configuration.recordRequests, let index = state.log.indices.last(where: { state.log[$0].sequence == ticket.sequence })
            {
                state.log[index].responseStatus = status
                state.log[index].responseCode = code
            }
        }
    }

    /// Handles a request for real: validation, jobs, answers.
    func handle(_ routed: RoutedRequest) -> OutgoingResponse {
        let now = NIODeadline.now()
        let wallNow = Date()
        return box.withLockedValue { state in
            // Move the state into the context and back (swap, not copy), so the dictionaries stay
            // uniquely referenced and are mutated in place.
            var context = HandlerContext(
                state: ServerCore.State(configuration: state.configuration, zillizPrefix: ""), now: now,
                wallNow: wallNow, routed: routed)
            swap(&context.state, &state)
            let response = context.dispatch()
            swap(&context.state, &state)
            return response
        }
    }

    /// The error body a fault answers with, shaped for the API of the path.
    static func faultBody(for endpoint: Endpoint, code: Int, message: String) -> JSONValue {
        if endpoint.api == .milvusLegacy {
            return obj(("status", obj(("error_code", 1), ("reason", .string(message)), ("code", .from(code)))))
        }
        return obj(("code", .from(code)), ("message", .string(message)))
    }
}

/// One request's view of the state, while the lock is held.
struct HandlerContext {
    var state: ServerCore.State
    let now: NIODeadline
    let wallNow: Date
    let routed: RoutedRequest

    var configuration: ImportTestServerConfiguration { state.configuration }
    var request: IncomingRequest { routed.request }

    mutating func dispatch() -> OutgoingResponse {
        switch routed.endpoint {
        case .milvusCreate: return milvusCreate()
        case .milvusDescribe: return milvusDescribe()
        case .milvusList: return milvusList()
        case .milvusCommit: return milvusCommit()
        case .milvusAbort: return milvusAbort()
        case .legacyCreate: return legacyCreate()
        case .legacyState: return legacyState()
        case .legacyTasks: return legacyTasks()
        case .legacyStatistics: return legacyStatistics()
        case .zillizV2Create: return zillizV2Create()
        case .zillizV2Progress: return zillizV2Progress()
        case .zillizV2List: return zillizV2List()
        case .zillizV1Create: return zillizV1Create()
        case .zillizV1Get: return zillizV1Get()
        case .zillizV1List: return zillizV1List()
        case .healthz: return .text("OK", status: 200)
        case .notFound: return .text("404 page not found", status: 404)
        }
    }

    // MARK: Shared helpers

    /// The bearer token the request carries: `nil` when absent, "" when the header is not Bearer.
    var bearerToken: String? {
        guard let value = request.header("Authorization") else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 7, trimmed.prefix(7).lowercased() == "bearer " else { return "" }
        return String(trimmed.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    mutating func nextSerial() -> Int {
        state.nextSerial += 1
        return state.nextSerial
    }

    func milvusJobId(serial: Int) -> String {
        String(450_000_000_000_000_000 + Int64(serial) * 7)
    }

    func zillizJobId(serial: Int) -> String {
        let hex = String(serial, radix: 16)
        let body = state.zillizPrefix + String(repeating: "0", count: max(0, 14 - hex.count)) + hex
        return "job-" + body
    }

    func failure(for groups: [[String]]) -> (groupIndex: Int, reason: String)? {
        guard let marker = configuration.failMarker, !marker.isEmpty else { return nil }
        for (index, group) in groups.enumerated() {
            if let file = group.first(where: { $0.contains(marker) }) {
                return (index, "failed to import file '\(file)': \(configuration.failureReason)")
            }
        }
        return nil
    }

    mutating func createJob(
        api: ImportAPI, id: String, serial: Int, dbName: String, collectionName: String, partitionName: String,
        clusterId: String?, files: [[String]], options: [(String, String)], idempotencyKey: String?
    ) -> Job {
        let job = Job(
            serial: serial, id: id, api: api, dbName: dbName, collectionName: collectionName,
            partitionName: partitionName, clusterId: clusterId, files: files, options: options,
            idempotencyKey: idempotencyKey, createdAt: now, createdWall: wallNow, failure: failure(for: files))
        state.jobs[id] = job
        if api == .milvusV2 || api == .milvusLegacy { state.unfinishedMilvus.insert(id) }
        state.jobsCreated += 1
        state.jobsPerCollection[collectionName, default: 0] += 1
        for file in files.joined() { state.importsPerFile[file, default: 0] += 1 }
        return job
    }

    /// Whether the unfinished-job limit refuses a new Milvus job. Finished jobs are swept out of the
    /// unfinished set only when the set has reached the limit, so a create costs O(1) until then.
    mutating func milvusJobLimitReached() -> Bool {
        guard let limit = configuration.unfinishedJobLimit else { return false }
        if state.unfinishedMilvus.count < limit { return false }
        return unfinishedMilvusCount() >= limit
    }

    /// Drops finished jobs from the unfinished set and says how many are left.
    mutating func unfinishedMilvusCount() -> Int {
        for id in state.unfinishedMilvus {
            guard var job = state.jobs[id] else {
                state.unfinishedMilvus.remove(id)
                continue
            }
            let seen = job.observe(now: now, wallNow: wallNow, timeline: configuration.jobTimeline, advancing: false)
            state.jobs[id] = job
            if seen.state.isTerminal { state.unfinishedMilvus.remove(id) }
        }
        return state.unfinishedMilvus.count
    }

    mutating func observe(_ id: String, advancing: Bool) -> (Job, Job.Observation)? {
        guard var job = state.jobs[id] else { return nil }
        let seen = job.observe(now: now, wallNow: wallNow, timeline: configuration.jobTimeline, advancing: advancing)
        state.jobs[id] = job
        return (job, seen)
    }

    func sortedJobs(_ include: (Job) -> Bool) -> [Job] {
        state.jobs.values.filter(include).sorted { $0.serial < $1.serial }
    }

    static let jobLimitMessage =
        "The number of jobs has reached the limit, please try again later. If your request is set to only import a single file, please consider importing multiple files in one request for better efficiency."
}
