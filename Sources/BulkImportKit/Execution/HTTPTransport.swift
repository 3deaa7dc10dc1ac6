import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP response: status, headers and the whole body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Sends requests. One shared client pools connections for the whole run.
public protocol HTTPTransport: Sendable {
    func send(_ request: ImportRequest, timeout: Duration) async throws(ImportError) -> HTTPResponse
    func shutdown() async
}

/// The transport over swift-server/async-http-client.
public final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient
    /// The largest response body read.
    private let maxBodyBytes = 16 << 20
    /// Writes a line per request and per response at `debug`.
    private let log: RequestLogger

    public init(connectTimeout: Duration = .seconds(10), log: RequestLogger = .disabled) {
        self.log = log
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.decompression = .enabled(limit: .ratio(50))
        // A refused connection fails at once; RetryPolicy retries it with backoff and reports each
        // attempt, instead of the client retrying silently until its connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func send(_ request: ImportRequest, timeout: Duration) async throws(ImportError) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.wireValue()) }
        if let body = request.wireBody() { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let nanos = Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let traceID = RequestLogger.newTraceID()
        let clock = ContinuousClock()
        let start = clock.now
        log.request(request, traceID: traceID)
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(nanos), logger: log.clientLogger(traceID: traceID))
            let body = try await response.body.collect(upTo: maxBodyBytes)
            let received = HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body))
            log.response(request, status: received.status, body: received.body, duration: clock.now - start, traceID: traceID)
            return received
        } catch let error as ImportError {
            log.failure(request, error: error, duration: clock.now - start, traceID: traceID)
            throw error
        } catch {
            let classified = Self.classify(error)
            log.failure(request, error: classified, duration: clock.now - start, traceID: traceID)
            throw classified
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Whether a failure happened before the request could reach the server, in a sentence
    /// (``TransportFailure``).
    static func classify(_ error: any Error) -> ImportError {
        TransportFailure.importError(from: error)
    }
}
