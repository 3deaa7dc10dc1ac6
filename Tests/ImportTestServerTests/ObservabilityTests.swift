import Foundation
import Testing

@testable import ImportTestServer

@Suite("Request log, counters and lifecycle")
struct ObservabilityTests {
    @Test("every request is logged with method, path, query, headers, body, time, fault and answer")
    func requestLog() async throws {
        try await withServer(.init(faults: [.rateLimited(retryAfter: 1, path: Paths.v1List)])) { server in
            let before = Date()
            _ = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["a.json"]]}"#,
                headers: [("Idempotency-Key", "k1"), ("DB-Name", "default")])
            _ = try await TestClient.get(server, "\(Paths.v1List)?clusterId=in01-x&pageSize=5")
            _ = try await TestClient.get(server, Paths.legacyTasks)
            let log = await server.requests()
            #expect(log.count == 3)
            #expect(log.map(\.sequence) == [0, 1, 2])

            #expect(log[0].method == "POST")
            #expect(log[0].path == Paths.create)
            #expect(log[0].query == nil)
            #expect(log[0].header("idempotency-key") == "k1")
            #expect(log[0].header("DB-Name") == "default")
            #expect(log[0].bodyText == #"{"collectionName":"c","files":[["a.json"]]}"#)
            #expect(log[0].api == .milvusV2)
            #expect(log[0].responseStatus == 200)
            #expect(log[0].responseCode == 0)
            #expect(log[0].receivedAt >= before.addingTimeInterval(-1))

            #expect(log[1].method == "GET")
            #expect(log[1].path == Paths.v1List)
            #expect(log[1].query == "clusterId=in01-x&pageSize=5")
            #expect(log[1].api == .zillizV1)
            #expect(log[1].fault == "httpStatus(429, retryAfter: 1) on \(Paths.v1List)")
            #expect(log[1].responseStatus == 429)

            #expect(log[2].api == .milvusLegacy)
            #expect(log[2].body.isEmpty)

            await server.resetStatistics()
            #expect(await server.requests().isEmpty)
            #expect(await server.statistics().jobsCreated == 0)
            #expect(await server.jobs().count == 1)
        }
    }

    @Test("in-flight requests are counted and their maximum kept")
    func maxInFlight() async throws {
        // Each request is held 6 s: all eight are in flight at once (maxInFlight == 8 below proves
        // it, with no wall-time bound that a loaded machine could miss) if latency holds no thread.
        try await withServer(.init(latency: .seconds(6))) { server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        let response = try await TestClient.post(
                            server, Paths.create, #"{"collectionName":"c","files":[["f\#(i).json"]]}"#)
                        #expect(response.code == 0)
                    }
                }
                try await group.waitForAll()
            }
            // The server counts a request finished when its last write completes, which may be a
            // moment after the client has read the response.
            var stats = await server.statistics()
            let settled = ContinuousClock.now + .seconds(60)
            while stats.inFlight != 0 && ContinuousClock.now < settled {
                try await Task.sleep(for: .milliseconds(10))
                stats = await server.statistics()
            }
            #expect(stats.maxInFlight == 8)
            #expect(stats.inFlight == 0)
            #expect(stats.requestCount == 8)
            #expect(stats.jobsCreatedPerCollection == ["c": 8])
            #expect(stats.importsPerFile.values.allSatisfy { $0 == 1 })
            #expect(stats.connectionsAccepted == 8)
        }
    }

    @Test("keep-alive connections serve request after request; Expect: 100-continue is answered")
    func keepAlive() async throws {
        try await withServer(.init(latency: .milliseconds(5))) { server in
            let bodies = (0..<5).map { #"{"collectionName":"c","files":[["k\#($0).json"]]}"# }
            let responses = try await TestClient.keepAlive(
                port: server.port, path: Paths.create, bodies: bodies, extraHeaders: [("Expect", "100-continue")])
            #expect(responses.map(\.status) == [200, 200, 200, 200, 200])
            #expect(Set(responses.compactMap { $0.data?["jobId"]?.stringValue }).count == 5)
            let stats = await server.statistics()
            #expect(stats.connectionsAccepted == 1)
            #expect(stats.jobsCreated == 5)
        }
    }

    @Test("jobs() lists every job with its API, files and state")
    func jobSnapshots() async throws {
        try await withServer(.init(jobTimeline: .polls(5))) { server in
            _ = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","partitionName":"p","files":[["a.json"]]}"#)
            _ = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"d","files":["x.npy","y.npy"]}"#)
            let jobs = await server.jobs()
            #expect(jobs.map(\.api) == [.milvusV2, .milvusLegacy])
            #expect(jobs[0].partitionName == "p")
            #expect(jobs[1].files == [["x.npy", "y.npy"]])
            #expect(jobs.allSatisfy { $0.state == .pending })
            await server.finishAllJobs()
            #expect(await server.jobs().allSatisfy { $0.state == .completed })
        }
    }

    @Test("it listens on loopback only and shuts down cleanly")
    func loopbackOnly() async throws {
        await #expect(throws: ImportTestServer.StartError.self) {
            let server = try await ImportTestServer.start(host: "0.0.0.0")
            try? await server.shutdown()  // only if it wrongly started
        }
        let server = try await ImportTestServer.start()
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        #expect(server.port > 0)
        try await server.shutdown()
        await #expect(throws: (any Error).self) {
            _ = try await TestClient.post(server, Paths.list, "{}")
        }
        try await server.shutdown()  // twice is fine
    }
}
