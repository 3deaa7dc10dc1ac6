import ImportTestServer
import TestSupport

/// The loopback double and the manifest the end-to-end suites run the binary against, in one place.
enum LoopbackFixture {
    /// Runs `body` against a fresh server that requires `token` and finishes jobs on their second
    /// poll, and shuts it down afterwards, whether `body` returns or throws.
    static func withServer<T>(
        token: String, _ configure: (inout ImportTestServerConfiguration) -> Void = { _ in },
        _ body: (ImportTestServer) async throws -> T
    ) async throws -> T {
        var configuration = ImportTestServerConfiguration()
        configuration.token = token
        configuration.jobTimeline = .polls(2)
        configure(&configuration)
        let started = configuration
        return try await withOpened({ try await ImportTestServer.start(configuration: started) }, close: { try await $0.shutdown() }, body)
    }

    /// A manifest of `count` jobs (`job-0`...) on target `local` at `server`, each importing one
    /// file into `products`; the jobs in `failing` import a file the server fails.
    static func manifest(server: ImportTestServer, count: Int, failing: Set<Int> = []) -> String {
        var text = """
            version: 1
            targets:
              local:
                milvus:
                  uri: \(server.baseURL)
                  token: $<MILVUS_TOKEN>
            jobs:

            """
        for i in 0..<count {
            let file = failing.contains(i) ? "data/fail-\(i).parquet" : "data/part-\(i).parquet"
            text += "  - {name: job-\(i), target: local, collection_name: products, files: [\(file)]}\n"
        }
        return text
    }
}
