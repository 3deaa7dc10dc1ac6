import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `bulk-import abort` as a user runs it: the built binary against the loopback double.
@Suite("abort end to end", .serialized)
struct AbortCommandTests {
    static let token = "root:e2e-S3CRET-token"
    static let environment = ["MILVUS_TOKEN": token]

    /// Two jobs: `manual` created with auto_commit "false", `auto` without.
    static func manifest(_ server: ImportTestServer) -> String {
        """
        version: 1
        targets:
          local:
            milvus:
              uri: \(server.baseURL)
              token: $<MILVUS_TOKEN>
        jobs:
          - {name: manual, target: local, collection_name: products, files: [data/a.parquet], options: {auto_commit: "false", timeout: 300s}}
          - {name: auto, target: local, collection_name: products, files: [data/b.parquet], options: {timeout: 300s}}

        """
    }

    func run(_ folder: TemporaryFolder, _ arguments: [String]) async throws -> ProcessResult {
        let url = folder.url
        return try await offThePool { try BulkImport.run(arguments, environment: Self.environment, in: url) }
    }

    @Test("aborts the running auto_commit=false job, says why not for the other, exits 1; JSON lines carry the same; no secret printed")
    func abortsAndExplains() async throws {
        try await LoopbackFixture.withServer(token: Self.token, { $0.jobTimeline = .polls(1000) }) { server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try folder.write("imports.yaml", Self.manifest(server))
            let submitted = try await run(folder, ["run", manifest])
            #expect(submitted.status == 0, "\(submitted)")

            let text = try await run(folder, ["abort", manifest])
            #expect(text.status == 1, "\(text)")
            #expect(text.stdout.contains("aborted    manual: job "), "\(text)")
            #expect(text.stdout.contains("cannot     auto: ") && text.stdout.contains("auto-commit"), "\(text)")
            #expect(text.stdout.contains("2 jobs selected: 1 aborted, 1 could not be aborted"), "\(text)")
            let jobs = await server.jobs()
            #expect(jobs.first { $0.files == [["data/a.parquet"]] }?.state == .failed)
            #expect(jobs.first { $0.files == [["data/b.parquet"]] }.map { !$0.state.isTerminal } == true)

            let json = try await run(folder, ["abort", manifest, "--job", "manual", "--format", "json"])
            #expect(json.status == 0, "\(json)")
            let lines = try json.stdout.split(separator: "\n").map { try parseJSONObject(String($0)) }
            #expect(lines.first?["outcome"] as? String == "aborted" && lines.first?["job"] as? String == "manual")
            #expect(lines.last?["event"] as? String == "summary" && lines.last?["exitCode"] as? Int == 0)
            #expect(await server.requests().filter { $0.path.hasSuffix("/abort") }.count == 1)

            let unmatched = try await run(folder, ["abort", manifest, "--job", "nope"])
            #expect(unmatched.status == 64, "\(unmatched)")
            for output in [text.output, json.output, unmatched.output] { #expect(!output.contains("e2e-S3CRET"), "\(output)") }
        }
    }
}
