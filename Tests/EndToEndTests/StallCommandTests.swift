import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `--stall-after` as a user gives it: the built binary against the loopback double, a job held
/// at one progress until the test lets it move.
@Suite("--stall-after end to end", .serialized)
struct StallCommandTests {
    static let token = "root:e2e-St4LL-token"
    static let environment = ["MILVUS_TOKEN": token]

    @Test(arguments: [["run", "--wait"], ["status", "--wait"]])
    func aBadStallAfterIsAUsageError(command: [String]) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let manifest = try folder.write("imports.yaml", "version: 1\njobs: []\n")
        let result = try await offThePool {
            try BulkImport.run(command + [manifest, "--stall-after", "soon"], environment: Self.environment, in: folder.url)
        }
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--stall-after 'soon' is not a duration"), "\(result)")
        #expect(result.stderr.contains("30m, 1h30m or 90s"), "\(result)")
    }

    @Test func aHeldJobGetsOneStalledEventWithItsFilesThenFinishes() async throws {
        try await LoopbackFixture.withServer(
            token: Self.token,
            {
                $0.progressScript = ProgressScript([
                    .init(state: "Importing", progress: 20, importedRows: 10, totalRows: 100),
                    .init(
                        state: "Importing", progress: 62, importedRows: 100, totalRows: 100,
                        files: [.init(state: "Retry", progress: 40, reason: "node down")], polls: nil),
                ])
            }
        ) { server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try folder.write("imports.yaml", LoopbackFixture.manifest(server: server, count: 1))
            let tool = try BulkImport.start(
                [
                    "run", manifest, "--wait", "--poll-interval", "0.05", "--stall-after", "300ms", "--wait-timeout", "120", "--format",
                    "json",
                ], environment: Self.environment, in: folder.url)
            var stalled: [String: Any]?
            while stalled == nil, let line = await offThePool({ tool.nextLine() }) {
                let event = try parseJSONObject(line)
                if event["event"] as? String == "stalled" { stalled = event }
            }
            guard let event = stalled else {
                Issue.record("no stalled event: \(await tool.finished(timeout: 5))")
                return
            }
            #expect(event["job"] as? String == "job-0" && event["progress"] as? Int == 62)
            #expect((event["advice"] as? String)?.contains("dataCoord.import.waitForIndex") == true)
            let files = try #require(event["files"] as? [[String: Any]])
            #expect(files.first?["state"] as? String == "Retry" && files.first?["file"] as? [String] == ["data/part-0.parquet"])
            await server.update {
                $0.progressScript?.steps[1].polls = 1
                $0.progressScript?.steps.append(.init(state: "Completed", progress: 100, importedRows: 100, totalRows: 100))
            }
            let result = await tool.finished(timeout: 120)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.components(separatedBy: #""event":"stalled""#).count == 2, "\(result.stdout)")
            #expect(!result.output.contains(Self.token) && !result.output.contains("St4LL"))
        }
    }
}
