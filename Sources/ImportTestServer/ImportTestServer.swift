import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A TEST DOUBLE of the bulk-import HTTP APIs of Milvus and Zilliz Cloud. It is NOT a Milvus: it
/// stores no data, reads no files and checks only what `shared/reference/import-api.md` says the
/// servers check at submit time. It exists so that clients can be tested, and benchmarked, on
/// loopback with faults that real servers produce only rarely.
///
/// On one port (127.0.0.1 only) it serves:
/// - Milvus REST v2: `POST /v2/vectordb/jobs/import/create`, `/describe` (alias `/get_progress`), `/list`;
/// - Milvus 2.2/2.3: `POST /api/v1/import`, `GET /api/v1/import/state`, `GET /api/v1/import/tasks`,
///   `GET /api/v1/collection/statistics`, `GET /healthz`;
/// - Zilliz Cloud v2: the same `/v2/vectordb/jobs/import/...` paths when the body has `clusterId` or
///   `projectId` (create also on `objectUrls`, `objectUrl`, `volumeName`), plus `/getProgress`;
/// - Zilliz Cloud v1: `POST /v1/vector/collections/import`, `GET .../import/get`, `GET .../import/list`.
///
/// Jobs move Pending → Importing → Completed by ``ImportTestServerConfiguration/jobTimeline``, or end
/// Failed when a file name contains ``ImportTestServerConfiguration/failMarker``. Faults
/// (``Fault``) are set at start or injected at run time. Every request is logged
/// (``requests()``), and ``statistics()`` counts requests in flight (and their maximum) and jobs
/// created per collection and per file.
///
/// Where the reference names no code or shape, this double chooses, and tests should not lean on
/// the choice: Zilliz validation errors reuse Milvus codes (1801, 1802, 1100, 100); Zilliz auth
/// errors are HTTP 200; Zilliz v1 `list` names its array `tasks` and reports Pending as
/// `ImportRunning`; injected HTTP errors carry `{"code": <HTTP status>, "message": ...}`; a
/// `Failed` job reports progress 0. A create whose client hung up during the latency is still
/// carried out, as a real server may.
///
/// ```swift
/// let server = try await ImportTestServer.start(configuration: .init(token: "root:Milvus"))
/// defer { Task { try await server.shutdown() } }
/// await server.inject(.rateLimited(retryAfter: 1, times: 2, path: "/v2/vectordb/jobs/import/create"))
/// ```
public final class ImportTestServer: Sendable {
    /// The address it listens on (always loopback).
    public let host: String
    /// The port it listens on (the ephemeral one chosen when started with port 0).
    public let port: Int
    /// `http://HOST:PORT`, without a trailing slash.
    public var baseURL: String { "http://\(host):\(port)" }

    let core: ServerCore
    private let serverChannel: Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: Channel]>

    private init(
        host: String, port: Int, core: ServerCore, serverChannel: Channel, connections: NIOLockedValueBox<[ObjectIdentifier: Channel]>
    ) {
        self.host = host
        self.port = port
        self.core = core
        self.serverChannel = serverChannel
        self.connections = connections
    }

    /// Errors from ``start(host:port:configuration:group:)``.
    public struct StartError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Starts listening. `host` must be a loopback address: this double never listens elsewhere.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        configuration: ImportTestServerConfiguration = ImportTestServerConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ImportTestServer {
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") else {
            throw StartError(description: "import-test-server listens on loopback only, not on \(host)")
        }
        let bindHost = host == "localhost" ? "127.0.0.1" : host
        let core = ServerCore(configuration: configuration)
        let connections = NIOLockedValueBox<[ObjectIdentifier: Channel]>([:])
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                core.connectionAccepted()
                let id = ObjectIdentifier(channel)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: id) }
                }
                let maxBody = core.box.withLockedValue { $0.configuration.maxBodyBytes }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ImportHTTPHandler(core: core, maxBodyBytes: maxBody))
                }
            }
            .bind(host: bindHost, port: port)
            .get()
        guard let boundPort = channel.localAddress?.port else {
            try? await channel.close()
            throw StartError(description: "could not read the bound port")
        }
        return ImportTestServer(
            host: bindHost.contains(":") ? "[\(bindHost)]" : bindHost, port: boundPort, core: core,
            serverChannel: channel, connections: connections)
    }

    /// Stops listening and closes every open connection.
    public func shutdown() async throws {
        do {
            try await serverChannel.close()
        } catch ChannelError.alreadyClosed {
        }
        let open = connections.withLockedValue { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
    }

    /// Every request seen so far, in order (empty when ``ImportTestServerConfiguration/recordRequests`` is off).
    public func requests() async -> [RecordedRequest] {
        core.box.withLockedValue { $0.log }
    }

    /// Counters: requests, in flight, max in flight, jobs per collection and per file.
    public func statistics() async -> ImportTestServerStatistics {
        core.box.withLockedValue { state in
            ImportTestServerStatistics(
                requestCount: state.requestCount, inFlight: state.inFlight, maxInFlight: state.maxInFlight,
                connectionsAccepted: state.connectionsAccepted, jobsCreated: state.jobsCreated,
                jobsCreatedPerCollection: state.jobsPerCollection, importsPerFile: state.importsPerFile,
                idempotentReplays: state.idempotentReplays)
        }
    }

    /// Jobs created so far for a collection (over all APIs).
    public func jobsCreated(collection: String) async -> Int {
        core.box.withLockedValue { $0.jobsPerCollection[collection] ?? 0 }
    }

    /// Every job, in creation order, with the state a list call would show now.
    public func jobs() async -> [JobSnapshot] {
        let now = NIODeadline.now()
        let wallNow = Date()
        return core.box.withLockedValue { state in
            let timeline = state.configuration.jobTimeline
            return state.jobs.values.sorted { $0.serial < $1.serial }.map { original in
                var job = original
                let seen = job.observe(now: now, wallNow: wallNow, timeline: timeline, advancing: false)
                let reason = job.phase.abortedAt != nil ? TwoPhase.abortReason : job.failure?.reason
                return JobSnapshot(
                    id: job.id, api: job.api, dbName: job.dbName, collectionName: job.collectionName,
                    partitionName: job.partitionName, clusterId: job.clusterId, files: job.files,
                    idempotencyKey: job.idempotencyKey, createdAt: job.createdWall, state: seen.state,
                    progress: seen.progress, reason: seen.state == .failed ? reason : nil)
            }
        }
    }

    /// The configuration in force now (with the faults' remaining uses).
    public func configuration() async -> ImportTestServerConfiguration {
        core.box.withLockedValue { $0.configuration }
    }

    /// Changes the configuration while running; it applies to requests read from now on
    /// (``ImportTestServerConfiguration/maxBodyBytes``: to connections accepted from now on).
    public func update(_ change: @Sendable (inout ImportTestServerConfiguration) -> Void) async {
        core.box.withLockedValue { change(&$0.configuration) }
    }

    /// Adds a fault after those already queued.
    public func inject(_ fault: Fault) async {
        core.box.withLockedValue { $0.configuration.faults.append(fault) }
    }

    /// Runs `action` on the server's own thread as the `number`-th request from now (to exactly
    /// `path`, when given) is read, before it is handled; it replaces an action not yet run.
    ///
    /// A test that must act at a moment of a client's run (signal it mid-run, say) acts here
    /// rather than in its own tasks: the server's threads are not the cooperative pool a loaded
    /// test process can keep busy for seconds, so the moment cannot slip past the run's end.
    public func trip(onRequest number: Int, path: String? = nil, _ action: @escaping @Sendable () -> Void) async {
        core.box.withLockedValue { $0.tripwire = ServerCore.Tripwire(remaining: max(1, number), path: path, action: action) }
    }

    /// Removes the action ``trip(onRequest:path:_:)`` set, if it has not run. Returns `true` when
    /// there was none left to remove (it had run, or none was set).
    @discardableResult
    public func disarm() async -> Bool {
        core.box.withLockedValue { state in
            defer { state.tripwire = nil }
            return state.tripwire == nil
        }
    }

    /// Removes every queued fault.
    public func clearFaults() async {
        core.box.withLockedValue { $0.configuration.faults.removeAll() }
    }

    /// Sets the latency added to every request.
    public func setLatency(_ latency: Duration) async {
        core.box.withLockedValue { $0.configuration.latency = latency }
    }

    /// Clears the request log and the counters (max in flight restarts from the current in-flight
    /// count). Jobs are kept.
    public func resetStatistics() async {
        core.box.withLockedValue { state in
            state.log.removeAll()
            state.maxInFlight = state.inFlight
            state.jobsCreated = 0
            state.jobsPerCollection.removeAll()
            state.importsPerFile.removeAll()
            state.idempotentReplays = 0
        }
    }

    /// Makes every job terminal now (Completed, or Failed for those marked to fail).
    public func finishAllJobs() async {
        core.box.withLockedValue { state in
            for id in Array(state.jobs.keys) { state.jobs[id]?.forcedTerminal = true }
            state.unfinishedMilvus.removeAll()
        }
    }
}
