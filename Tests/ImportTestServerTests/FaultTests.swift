import Foundation
import Synchronization
import Testing

@testable import ImportTestServer

@Suite("Fault injection")
struct FaultTests {
    let body = #"{"collectionName":"c","files":[["a.json"]]}"#

    @Test("429 and 503 with Retry-After for the next N requests to one path")
    func retryAfter() async throws {
        try await withServer(.init(faults: [.rateLimited(retryAfter: 2, times: 2, path: Paths.create)])) { server in
            let other = try await TestClient.post(server, Paths.list, "{}")
            #expect(other.status == 200)
            for _ in 0..<2 {
                let limited = try await TestClient.post(server, Paths.create, body)
                #expect(limited.status == 429)
                #expect(limited.header("Retry-After") == "2")
            }
            #expect(try await TestClient.post(server, Paths.create, body).status == 200)
            #expect(await server.statistics().jobsCreated == 1)

            await server.inject(.unavailable(retryAfter: 5))
            let unavailable = try await TestClient.post(server, Paths.describe, #"{"jobId":"1"}"#)
            #expect(unavailable.status == 503)
            #expect(unavailable.header("Retry-After") == "5")
            #expect(await server.configuration().faults.isEmpty)
        }
    }

    @Test("a tripwire acts once, on the server's thread, as the n-th matching request arrives and before it is handled")
    func tripwire() async throws {
        let seen = Seen()
        try await withServer(.init()) { (server: ImportTestServer) async throws -> Void in
            await server.trip(onRequest: 2, path: Paths.create) {
                // Outside the server's lock: reading the server from here does not deadlock.
                let created = server.core.box.withLockedValue { $0.jobsCreated }
                seen.append(created)
            }
            #expect(try await TestClient.post(server, Paths.list, "{}").status == 200)
            for _ in 0..<3 { #expect(try await TestClient.post(server, Paths.create, body).status == 200) }
            #expect(seen.values == [1], "it ran once, as the second create came, before it was handled")
            #expect(await server.disarm(), "it had run")

            await server.trip(onRequest: 1) { seen.append(-1) }
            #expect(await server.disarm() == false, "it had not run")
            #expect(try await TestClient.post(server, Paths.create, body).status == 200)
            #expect(seen.values == [1], "a disarmed tripwire never acts")
        }
    }

    @Test("5xx without Retry-After, for every request until cleared")
    func serverErrors() async throws {
        try await withServer(.init(faults: [.httpStatus(500, times: nil)])) { server in
            for _ in 0..<3 {
                let failed = try await TestClient.post(server, Paths.create, body)
                #expect(failed.status == 500)
                #expect(failed.header("Retry-After") == nil)
            }
            await server.clearFaults()
            #expect(try await TestClient.post(server, Paths.create, body).status == 200)
            #expect(await server.statistics().jobsCreated == 1)
        }
    }

    @Test("HTTP 200 with business codes 8 and 1, shaped per API")
    func businessErrors() async throws {
        try await withServer { server in
            await server.inject(.businessError(code: 8, times: 1, path: Paths.create))
            let limited = try await TestClient.post(server, Paths.create, body)
            #expect(limited.status == 200)
            #expect(limited.code == 8)
            #expect(limited.message.contains("rate limit"))

            await server.inject(.businessError(code: 1, message: "service not ready", path: Paths.legacyCreate))
            let notReady = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"c","files":["a.json"]}"#)
            #expect(notReady.json?["status"]?["code"]?.intValue == 1)
            #expect(notReady.json?["status"]?["reason"]?.stringValue == "service not ready")
            #expect(await server.statistics().jobsCreated == 0)
        }
    }

    @Test("dropped connection before processing: no response, no job")
    func dropBefore() async throws {
        try await withServer(.init(faults: [.dropConnection(afterProcessing: false)])) { server in
            await #expect(throws: TestClientError.self) {
                _ = try await TestClient.post(server, Paths.create, body)
            }
            #expect(await server.statistics().jobsCreated == 0)
            let log = await server.requests()
            #expect(log.count == 1)
            #expect(log[0].responseStatus == nil)
            #expect(log[0].fault == "dropConnection(afterProcessing: false)")
        }
    }

    @Test("dropped connection after processing: no response, but the job exists (the ambiguous case)")
    func dropAfter() async throws {
        try await withServer(.init(faults: [.dropConnection(afterProcessing: true, path: Paths.create)])) { server in
            do {
                _ = try await TestClient.post(server, Paths.create, body)
                Issue.record("expected the connection to drop")
            } catch TestClientError.closedBeforeResponse {
            }
            #expect(await server.jobsCreated(collection: "c") == 1)
            let retry = try await TestClient.post(server, Paths.create, body)
            #expect(retry.code == 0)
            #expect(await server.statistics().importsPerFile["a.json"] == 2)
        }
    }

    @Test("HTML instead of JSON")
    func html() async throws {
        try await withServer(.init(faults: [.html(status: 502)])) { server in
            let page = try await TestClient.post(server, Paths.create, body)
            #expect(page.status == 502)
            #expect(page.header("Content-Type") == "text/html")
            #expect(page.text.contains("<title>502 Bad Gateway</title>"))
            #expect(page.json == nil)
            #expect(await server.statistics().jobsCreated == 0)
        }
    }

    @Test("truncated body: the head promises more than arrives; the request was handled")
    func truncated() async throws {
        try await withServer(.init(faults: [.truncatedBody()])) { server in
            do {
                _ = try await TestClient.post(server, Paths.create, body)
                Issue.record("expected a truncated response")
            } catch TestClientError.truncated(let status, let bytes) {
                #expect(status == 200)
                #expect(bytes < 48)
            }
            #expect(await server.statistics().jobsCreated == 1)
        }
    }

    @Test("slow body: written in chunks with delays, complete in the end")
    func slowBody() async throws {
        // 150 ms between chunks: at 20 ms, a client slowed down by ThreadSanitizer read two chunks
        // in one go.
        try await withServer(.init(faults: [.slowBody(chunkSize: 10, interval: .milliseconds(150))])) { server in
            let start = ContinuousClock.now
            let response = try await TestClient.post(server, Paths.create, body)
            let elapsed = ContinuousClock.now - start
            #expect(response.code == 0)
            // Several reads: a client starved of CPU (a busy machine) can take two chunks in one
            // read, so the count of reads is only a floor; the time the chunks took is the proof.
            #expect(response.bodyParts >= 2)
            #expect(elapsed >= .milliseconds(600))
        }
    }

    @Test("latency and extra delay are applied without blocking other requests")
    func latency() async throws {
        try await withServer(.init(latency: .milliseconds(100))) { server in
            let start = ContinuousClock.now
            _ = try await TestClient.post(server, Paths.list, "{}")
            #expect(ContinuousClock.now - start >= .milliseconds(100))

            await server.setLatency(.zero)
            await server.inject(.delay(.milliseconds(300), path: Paths.describe))
            let delayedStart = ContinuousClock.now
            _ = try await TestClient.post(server, Paths.describe, #"{"jobId":"1"}"#)
            #expect(ContinuousClock.now - delayedStart >= .milliseconds(300))

            // The delay holds its own request only. Proved on the server's own record, not on which
            // client task ran first (a busy machine once let the quick one's task wait longer than a
            // 10 s delay): while the delayed request is still unanswered, another is answered.
            await server.inject(.delay(.seconds(120), path: Paths.describe))
            let held = Task { try? await TestClient.post(server, Paths.describe, #"{"jobId":"2"}"#) }
            defer { held.cancel() }
            let deadline = ContinuousClock.now + .seconds(60)
            while await !server.requests().contains(where: { $0.path == Paths.describe && $0.body == Array(#"{"jobId":"2"}"#.utf8) }) {
                guard ContinuousClock.now < deadline else { throw TestTimeout("the held request never reached the server") }
                try await Task.sleep(for: .milliseconds(10))
            }
            let quick = try await TestClient.post(server, Paths.list, "{}")
            #expect(quick.status == 200)
            let log = await server.requests()
            let listed = try #require(log.last { $0.path == Paths.list })
            let stillHeld = try #require(log.last { $0.path == Paths.describe })
            #expect(listed.responseStatus == 200)
            #expect(stillHeld.responseStatus == nil, "the delayed request was answered before the other one")
            #expect(listed.sequence > stillHeld.sequence)
        }
    }

    @Test("configuration changes at run time")
    func runtimeUpdate() async throws {
        try await withServer { server in
            let open = try await TestClient.post(server, Paths.create, body)
            #expect(open.status == 200)
            await server.update { $0.token = "secret" }
            let secured = try await TestClient.post(server, Paths.create, body)
            #expect(secured.status == 401)
            await server.update { configuration in
                configuration.token = nil
                configuration.knownCollections = ["other"]
            }
            let refused = try await TestClient.post(server, Paths.create, body)
            #expect(refused.code == 100)
        }
    }
}

private struct TestTimeout: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a server-side action saw, written from the server's thread.
private final class Seen: Sendable {
    private let box = Mutex<[Int]>([])
    var values: [Int] { box.withLock { $0 } }
    func append(_ value: Int) { box.withLock { $0.append(value) } }
}
