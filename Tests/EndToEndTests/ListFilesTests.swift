import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `list` shows each job's files and creation time where the API gives them, as a user runs it.
@Suite("list shows files and creation time", .serialized)
struct ListFilesTests {
    static let token = "root:list-S3CRET-token"

    @Test func filesComeFromTheListOrWithFilesFromProgressAndCreationTimeFromMilvus23() async throws {
        var configuration = ImportTestServerConfiguration()
        configuration.token = Self.token
        configuration.jobTimeline = .immediate
        let started = configuration
        try await withOpened({ try await ImportTestServer.start(configuration: started) }, close: { try await $0.shutdown() }) { server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try folder.write(
                "imports.yaml",
                """
                version: 1
                targets:
                  new:
                    milvus:
                      uri: \(server.baseURL)
                      token: $<MILVUS_TOKEN>
                  old:
                    milvus:
                      uri: \(server.baseURL)
                      api: v1
                jobs:
                  - {name: rows, target: new, collection_name: products, files: [data/a.parquet, data/b.parquet]}
                  - {name: legacy, target: old, collection_name: products, files: [/srv/c.json]}

                """)
            let environment = ["MILVUS_TOKEN": Self.token]
            func run(_ arguments: [String]) async throws -> ProcessResult {
                let at = folder.url
                return try await offThePool { try BulkImport.run(arguments, environment: environment, in: at) }
            }
            let created = try await run(["run", manifest])
            #expect(created.status == 0, "\(created)")

            let plain = try await run(["list", "new", manifest, "--collection", "products", "--format", "json"])
            #expect(plain.status == 0, "\(plain)")
            #expect(!plain.stdout.contains("\"files\""))
            let withFiles = try await run(["list", "new", manifest, "--collection", "products", "--files", "--format", "json"])
            #expect(withFiles.status == 0, "\(withFiles)")
            #expect(withFiles.stdout.contains(#""files":["data/a.parquet","data/b.parquet"],"ledgerJob":"rows""#), "\(withFiles.stdout)")

            let old = try await run(["list", "old", manifest, "--collection", "products"])
            #expect(old.status == 0, "\(old)")
            let lines = old.stdout.split(separator: "\n")
            #expect(lines.first?.contains("CREATED (UTC)") == true, "\(old.stdout)")
            #expect(lines.first?.contains("FILES") == true)
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let year = utc.component(.year, from: Date())
            #expect(lines.count { $0.contains("/srv/c.json") && $0.contains("\(year)-") && $0.contains("legacy") } == 1, "\(old.stdout)")
            #expect(![created, plain, withFiles, old].contains { $0.output.contains(Self.token) })
        }
    }
}
