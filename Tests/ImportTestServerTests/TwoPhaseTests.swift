import Testing

@testable import ImportTestServer

/// Two-phase imports on the double: Uncommitted → Committing → Completed, abort → Failed.
@Suite("Two-phase imports on the loopback double")
struct TwoPhaseTests {
    static let commit = "/v2/vectordb/jobs/import/commit"
    static let abort = "/v2/vectordb/jobs/import/abort"

    static func create(_ server: ImportTestServer, autoCommit: String? = "false", file: String = "a.json") async throws -> String {
        let options = autoCommit.map { #","options":{"auto_commit":"\#($0)"}"# } ?? ""
        let created = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","files":[["\#(file)"]]\#(options)}"#)
        return try #require(created.data?["jobId"]?.stringValue)
    }

    static func state(_ server: ImportTestServer, _ id: String) async throws -> (String?, String?) {
        let data = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(id)"}"#).data
        return (data?["state"]?.stringValue, data?["reason"]?.stringValue)
    }

    @Test("an auto_commit=false job waits at Uncommitted, commits through Committing to Completed; a second commit succeeds")
    func commitWalk() async throws {
        try await withServer(.init(jobTimeline: .immediate)) { server in
            let id = try await Self.create(server)
            #expect(try await Self.state(server, id).0 == "Uncommitted")
            #expect(try await Self.state(server, id).0 == "Uncommitted")
            let listed = try await TestClient.post(server, Paths.list, "{}").data?["records"]?.arrayValue?.first
            #expect(listed?["state"]?.stringValue == "Uncommitted")
            let committed = try await TestClient.post(server, Self.commit, #"{"jobId":"\#(id)"}"#)
            #expect(committed.code == 0)
            #expect(try await Self.state(server, id).0 == "Committing")
            #expect(try await Self.state(server, id).0 == "Completed")
            #expect(try await TestClient.post(server, Self.commit, #"{"jobId":"\#(id)"}"#).code == 0)
            // Committed: abort is refused now.
            let late = try await TestClient.post(server, Self.abort, #"{"jobId":"\#(id)"}"#)
            #expect(late.code == 2100)
            #expect(late.message.contains("already completed"))
        }
    }

    @Test("abort makes a job Failed with a stable reason; a repeated abort is a no-op; commit after abort is refused")
    func abortWalk() async throws {
        try await withServer(.init(jobTimeline: .polls(5))) { server in
            let id = try await Self.create(server)
            // Aborted while still importing.
            #expect(try await TestClient.post(server, Self.abort, #"{"jobId":"\#(id)"}"#).code == 0)
            let (state, reason) = try await Self.state(server, id)
            #expect(state == "Failed")
            #expect(reason == TwoPhase.abortReason)
            #expect(try await TestClient.post(server, Self.abort, #"{"jobId":"\#(id)"}"#).code == 0)
            #expect(try await Self.state(server, id).1 == TwoPhase.abortReason)
            let commit = try await TestClient.post(server, Self.commit, #"{"jobId":"\#(id)"}"#)
            #expect(commit.code == 2100)
            #expect(commit.message.contains("expected Uncommitted"))
        }
    }

    @Test("abort and commit of an auto-commit job are refused with the server's words; unknown and bad ids too")
    func refusals() async throws {
        try await withServer(.init(jobTimeline: .polls(5))) { server in
            let id = try await Self.create(server, autoCommit: nil)
            let abort = try await TestClient.post(server, Self.abort, #"{"jobId":"\#(id)"}"#)
            #expect(abort.code == 2100)
            #expect(abort.message.contains("auto_commit=false"))
            #expect(try await Self.state(server, id).0 != "Failed")
            #expect(try await TestClient.post(server, Self.commit, #"{"jobId":"\#(id)"}"#).code == 2100)
            let unknown = try await TestClient.post(server, Self.abort, #"{"jobId":"0"}"#)
            #expect(unknown.code == 2100)
            #expect(unknown.message.contains("does not exist"))
            #expect(try await TestClient.post(server, Self.abort, #"{"jobId":"job-1"}"#).code == 1100)
            #expect(try await TestClient.post(server, Self.commit, #"{}"#).code == 1802)
        }
    }

    @Test("a server without two-phase imports answers 404 and completes auto_commit=false jobs")
    func olderServer() async throws {
        var configuration = ImportTestServerConfiguration(jobTimeline: .immediate)
        configuration.twoPhaseImports = false
        try await withServer(configuration) { server in
            let id = try await Self.create(server)
            #expect(try await Self.state(server, id).0 == "Completed")
            #expect(try await TestClient.post(server, Self.abort, #"{"jobId":"0"}"#).status == 404)
        }
    }
}
