import Testing

@testable import ImportTestServer

/// The double answers the states and shapes of newer Milvus servers when a test scripts them
/// (`internal/datacoord/import_util.go`: `GetJobProgress`, `GetTaskProgresses`).
@Suite("Milvus REST v2: scripted progress")
struct ProgressScriptTests {
    static func create(_ server: ImportTestServer, files: String = #"[["a/1.parquet"],["b/id.npy","b/vec.npy"]]"#) async throws -> String {
        let created = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","files":\#(files)}"#)
        return try #require(created.data?["jobId"]?.stringValue)
    }

    static func describe(_ server: ImportTestServer, _ id: String) async throws -> JSONValue {
        try #require(try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(id)"}"#).data)
    }

    @Test func twoPhaseStatesComeOneDescribeAtATimeAndTheListShowsTheCurrentOne() async throws {
        var configuration = ImportTestServerConfiguration()
        configuration.progressScript = ProgressScript([
            .init(state: "Importing", progress: 50, importedRows: 5, totalRows: 10),
            .init(state: "Uncommitted", progress: 99, importedRows: 10, totalRows: 10, polls: 2),
            .init(state: "Committing", progress: 99, importedRows: 10, totalRows: 10),
            .init(state: "Completed", progress: 100, importedRows: 10, totalRows: 10, completeTime: "2026-11-30T20:00:00Z"),
        ])
        try await withServer(configuration) { server in
            let id = try await Self.create(server)
            var states: [String] = []
            for _ in 0..<6 {
                let data = try await Self.describe(server, id)
                states.append("\(data["state"]?.stringValue ?? "?") \(data["progress"]?.intValue ?? -1)")
                if states.count == 3 {
                    let list = try await TestClient.post(server, Paths.list, #"{"collectionName":"c"}"#)
                    #expect(list.data?["records"]?.arrayValue?.first?["state"]?.stringValue == "Uncommitted")
                }
            }
            #expect(states == ["Importing 50", "Uncommitted 99", "Uncommitted 99", "Committing 99", "Completed 100", "Completed 100"])
            // The groups of a job in a state without scripted files are in the matching task state.
            let done = try await Self.describe(server, id)
            #expect(done["details"]?.arrayValue?.map { $0["state"]?.stringValue } == ["Completed", "Completed"])
        }
    }

    @Test func aFailedJobReportsZerosAndItsFilesCarryTaskStatesNamesAndEmptyTimes() async throws {
        var configuration = ImportTestServerConfiguration()
        configuration.progressScript = ProgressScript([
            .init(
                state: "Importing", progress: 63, importedRows: 630, totalRows: 1000,
                files: [
                    .init(state: "Completed", progress: 100, importedRows: 500, totalRows: 500, completeTime: ""),
                    .init(state: "Retry", progress: 26, importedRows: 130, totalRows: 500, reason: "connection reset", name: .protobuf),
                ]),
            .init(state: "Failed", progress: 0, reason: "task failed: connection reset", polls: nil),
        ])
        try await withServer(configuration) { server in
            let id = try await Self.create(server)
            let running = try await Self.describe(server, id)
            let details = try #require(running["details"]?.arrayValue)
            #expect(details[0]["fileName"]?.stringValue == "[a/1.parquet]")
            #expect(details[0]["completeTime"]?.stringValue == "")
            #expect(details[1]["fileName"]?.stringValue == #"id:2 paths:"b/id.npy" paths:"b/vec.npy""#)
            #expect(details[1]["state"]?.stringValue == "Retry")
            #expect(details[1]["importedRows"]?.intValue == 130)
            let failed = try await Self.describe(server, id)
            #expect(failed["state"]?.stringValue == "Failed")
            #expect(failed["progress"]?.intValue == 0 && failed["importedRows"]?.intValue == 0 && failed["totalRows"]?.intValue == 0)
            #expect(failed["reason"]?.stringValue == "task failed: connection reset")
        }
    }

    @Test func aHeldStepRepeatsUntilTheScriptChangesAndOnlyMarkedJobsFollowIt() async throws {
        var configuration = ImportTestServerConfiguration()
        configuration.jobTimeline = .polls(1)
        configuration.progressScript = ProgressScript(
            [.init(state: "Importing", progress: 70, importedRows: 5000, totalRows: 0, polls: nil)], fileMarker: "backup")
        try await withServer(configuration) { server in
            let scripted = try await Self.create(server, files: #"[["backup/1.parquet"]]"#)
            let plain = try await Self.create(server, files: #"[["plain/1.parquet"]]"#)
            for _ in 0..<3 {
                let data = try await Self.describe(server, scripted)
                #expect(data["state"]?.stringValue == "Importing" && data["totalRows"]?.intValue == 0)
            }
            #expect(try await Self.describe(server, plain)["state"]?.stringValue == "Completed")
            await server.update {
                $0.progressScript?.steps[0].polls = 3
                $0.progressScript?.steps.append(.init(state: "Completed", progress: 100, importedRows: 5000, totalRows: 0))
            }
            #expect(try await Self.describe(server, scripted)["state"]?.stringValue == "Completed")
        }
    }
}
