import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import TestSupport

@testable import ImportTestServer

/// What a test client got back.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// How many body parts arrived (more than one for a slowly written body).
    var bodyParts: Int

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONValue.parse(body) }
    var code: Int64? { json?["code"]?.intValue }
    var data: JSONValue? { json?["data"] }
    var message: String { json?["message"]?.stringValue ?? "" }
    func header(_ name: String) -> String? { headers.first(name: name) }
}

enum TestClientError: Error {
    /// The connection closed before any response head.
    case closedBeforeResponse
    /// A head arrived, then the connection closed (or the decoder failed) before the end.
    case truncated(status: Int, bodyBytes: Int)
}

/// An HTTP/1.1 client on NIO (no URLSession) for the tests: requests on one connection, one after
/// the other, the connection closed at the end.
enum TestClient {
    /// One request and its response, on a connection of its own.
    static func send(
        port: Int,
        method: HTTPMethod = .POST,
        path: String,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> TestResponse {
        var head = [("Connection", "close")] + headers
        if body != nil { head.append(("Content-Type", "application/json")) }
        return try await exchange(port: port, [(method, path, head, body)])[0]
    }

    /// Sends `requests` on ONE keep-alive connection, each after the previous answer, and returns
    /// the answers. A request with a body gets its Content-Length.
    static func exchange(
        port: Int, _ requests: [(method: HTTPMethod, path: String, headers: [(String, String)], body: String?)]
    ) async throws -> [TestResponse] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var responses: [TestResponse] = []
            for request in requests {
                var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path)
                head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
                for (name, value) in request.headers { head.headers.add(name: name, value: value) }
                if let body = request.body { head.headers.add(name: "Content-Length", value: String(body.utf8.count)) }
                // One write for all parts: the server may answer (and close) as soon as it has the head
                // of a request with an empty body.
                var parts: [HTTPClientRequestPart] = [.head(head)]
                if let body = request.body, !body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(string: body)))) }
                parts.append(.end(nil))
                try await outbound.write(contentsOf: parts)
                responses.append(try await response(from: &iterator))
            }
            return responses
        }
    }

    /// Reads one response: its head, its body and its end.
    private static func response(
        from iterator: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    ) async throws -> TestResponse {
        var status: Int?
        var headers = HTTPHeaders()
        var bytes: [UInt8] = []
        var parts = 0
        do {
            while let part = try await iterator.next() {
                switch part {
                case .head(let responseHead):
                    status = Int(responseHead.status.code)
                    headers = responseHead.headers
                case .body(let buffer):
                    parts += 1
                    bytes.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let status else { throw TestClientError.closedBeforeResponse }
                    return TestResponse(status: status, headers: headers, body: bytes, bodyParts: parts)
                }
            }
        } catch let error as TestClientError {
            throw error
        } catch {
            // The connection closed or the decoder failed: fall through.
        }
        if let status { throw TestClientError.truncated(status: status, bodyBytes: bytes.count) }
        throw TestClientError.closedBeforeResponse
    }

    /// POST a JSON body.
    static func post(_ server: ImportTestServer, _ path: String, _ body: String, headers: [(String, String)] = [])
        async throws -> TestResponse
    {
        try await send(port: server.port, method: .POST, path: path, headers: headers, body: body)
    }

    /// GET, with an optional JSON body (the Milvus 2.3 API reads bodies on GET).
    static func get(_ server: ImportTestServer, _ path: String, body: String? = nil, headers: [(String, String)] = [])
        async throws -> TestResponse
    {
        try await send(port: server.port, method: .GET, path: path, headers: headers, body: body)
    }
}

/// Paths used throughout the tests.
enum Paths {
    static let create = "/v2/vectordb/jobs/import/create"
    static let describe = "/v2/vectordb/jobs/import/describe"
    static let getProgress = "/v2/vectordb/jobs/import/getProgress"
    static let list = "/v2/vectordb/jobs/import/list"
    static let legacyCreate = "/api/v1/import"
    static let legacyState = "/api/v1/import/state"
    static let legacyTasks = "/api/v1/import/tasks"
    static let v1Create = "/v1/vector/collections/import"
    static let v1Get = "/v1/vector/collections/import/get"
    static let v1List = "/v1/vector/collections/import/list"
}

/// Runs `body` against a fresh server and always shuts it down.
func withServer<T>(
    _ configuration: ImportTestServerConfiguration = ImportTestServerConfiguration(),
    _ body: (ImportTestServer) async throws -> T
) async throws -> T {
    try await withOpened({ try await ImportTestServer.start(configuration: configuration) }, close: { try await $0.shutdown() }, body)
}

extension TestClient {
    /// Several POSTs on ONE keep-alive connection, one after the other; answers the statuses and bodies.
    static func keepAlive(port: Int, path: String, bodies: [String], extraHeaders: [(String, String)] = [])
        async throws -> [TestResponse]
    {
        try await exchange(port: port, bodies.map { (.POST, path, extraHeaders, $0) })
    }
}
