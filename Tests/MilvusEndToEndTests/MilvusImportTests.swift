import BulkImportKit
import Foundation
import TestSupport
import Testing

/// `bulk-import` against a real Milvus 2.3.5 (its `/api/v1` HTTP API): real files, real imports,
/// row counts from the server itself.
@Suite(
    "A real Milvus 2.3.5", .serialized,
    .enabled(if: MilvusServer.available, "Milvus 2.3.5 could not be installed from PyPI; run scripts/milvus-local install to see why"),
    .milvusServer)
struct MilvusImportTests {
    let dimension = 4

    var server: MilvusServer {
        get throws { try #require(MilvusServer.current, "the suite's Milvus server is not running") }
    }

    /// A manifest of `jobs` (name → file groups) on the server's `/api/v1` API.
    func manifest(_ folder: TemporaryFolder, collection: String, jobs: [(String, [[String]])], collectionFor: [String: String] = [:]) throws
        -> String
    {
        var text = """
            version: 1
            targets:
              milvus23:
                milvus:
                  uri: \(try server.httpURI)
                  api: v1
            jobs:

            """
        for (name, groups) in jobs {
            text += "  - name: \(name)\n    target: milvus23\n    collection_name: \(collectionFor[name] ?? collection)\n    files:\n"
            for group in groups { text += "      - [" + group.joined(separator: ", ") + "]\n" }
        }
        return try folder.write("imports.yaml", text)
    }

    func run(_ arguments: [String], in folder: TemporaryFolder, timeout: Double = 300) async throws -> ProcessResult {
        let url = folder.url
        return try await offThePool { try BulkImport.run(arguments, in: url, timeout: timeout) }
    }

    @Test func jsonParquetAndNpyGroupsArriveExactlyOnceAndAReRunAddsNothing() async throws {
        let server = try server
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let collection = "e2e_once"
        try await server.createCollection(collection, dimension: dimension)
        func data(_ sub: String, _ rows: Int, _ format: String, _ start: Int) async throws -> [String] {
            try await server.writeData(
                folder.url.appendingPathComponent(sub), rows: rows, dimension: dimension, format: format, start: start)
        }
        let jobs: [(String, [[String]])] = [
            ("json-and-parquet", [try await data("a", 100, "json", 0), try await data("a", 150, "parquet", 100)]),
            ("npy-and-json", [try await data("b-npy", 50, "npy", 250), try await data("b", 20, "json", 300)]),
            ("parquet", [try await data("c", 80, "parquet", 320)]),
        ]
        let path = try manifest(folder, collection: collection, jobs: jobs)

        let first = try await run(["run", path, "--wait", "--poll-interval", "0.5", "--progress", "lines"], in: folder)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("3 completed"), "\(first)")
        #expect(try await server.rowCount(collection) == 400)

        let again = try await run(["run", path, "--wait", "--poll-interval", "0.5"], in: folder)
        #expect(again.status == 0 && again.stdout.contains("3 skipped"), "\(again)")
        #expect(try await server.rowCount(collection) == 400)

        let status = try await run(["status", path], in: folder)
        #expect(status.status == 0, "\(status)")
        let list = try await run(["list", "milvus23", path, "--collection", collection, "--format", "json"], in: folder)
        #expect(list.status == 0, "\(list)")
        let listed = try parseJSONObject(list.stdout)["jobs"] as? [[String: Any]] ?? []
        // One task per file group: 5 tasks, each known to the ledger by its job's name.
        #expect(listed.count == 5, "\(list)")
        #expect(Set(listed.compactMap { $0["ledgerJob"] as? String }) == ["json-and-parquet", "npy-and-json", "parquet"])
        #expect(listed.allSatisfy { $0["state"] as? String == "Completed" })

        // The state lost after a completed run: the re-run asks the server, which lists every task
        // with its files, and adopts them all. Nothing is imported again.
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent(".bulk-import/state.jsonl"))
        let adopted = try await run(["run", path, "--wait", "--poll-interval", "0.5", "--format", "json"], in: folder)
        #expect(adopted.status == 0, "\(adopted)")
        let summary = try parseJSONObject(String(adopted.stdout.split(separator: "\n").last ?? ""))
        #expect(summary["adopted"] as? Int == 3 && summary["submitted"] as? Int == 0 && summary["completed"] as? Int == 3, "\(adopted)")
        #expect(try await server.rowCount(collection) == 400)
        let relisted = try await run(["list", "milvus23", path, "--collection", collection, "--format", "json"], in: folder)
        #expect((try parseJSONObject(relisted.stdout)["jobs"] as? [[String: Any]] ?? []).count == 5, "\(relisted)")
    }

    @Test func theServersFailureReasonsReachTheUserAndTheExitCodeIsOne() async throws {
        let server = try server
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let collection = "e2e_fail"
        try await server.createCollection(collection, dimension: dimension)
        let good = try await server.writeData(
            folder.url.appendingPathComponent("ok"), rows: 10, dimension: dimension, format: "json", start: 0)
        let wrong = try await server.writeData(
            folder.url.appendingPathComponent("bad"), rows: 10, dimension: dimension, format: "json", start: 10, badDimension: true)
        let path = try manifest(
            folder, collection: collection,
            jobs: [
                ("ok", [good]),
                ("missing-file", [[folder.url.appendingPathComponent("nowhere/rows.json").path]]),
                ("wrong-dimension", [wrong]),
                ("no-such-collection", [good]),
            ], collectionFor: ["no-such-collection": "e2e_nope"])
        let result = try await run(["run", path, "--wait", "--poll-interval", "0.5", "--progress", "lines"], in: folder)
        #expect(result.status == 1, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let missing = lines.filter { $0.contains("missing-file") || $0.contains("nowhere/rows.json") }.joined(separator: "\n")
        #expect(missing.contains("no such file or directory"), "\(result)")
        #expect(result.stdout.contains("doesn't equal to vector dimension"), "\(result)")
        #expect(result.stdout.contains("4 jobs selected; 3 submitted, 1 failed"), "\(result)")
        #expect(result.stdout.contains("1 completed, 2 failed on the server"), "\(result)")
        // A missing collection is found in milliseconds, not after the server's ~50 s of retries.
        #expect(
            result.stdout.contains("failed     no-such-collection: collection not found[database=default][collection=e2e_nope]"),
            "\(result)")
        #expect(try await server.rowCount(collection) == 10)
    }

    @Test func killDashNineMidRunThenAReRunImportsEveryFileExactlyOnce() async throws {
        let server = try server
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let collection = "e2e_kill"
        try await server.createCollection(collection, dimension: dimension)
        let count = 24
        var jobs: [(String, [[String]])] = []
        for i in 0..<count {
            // Ten distinct rows a file, written here: a Python start per file would take longer.
            let rows = (0..<10).map { r in "{\"vector\": [" + (0..<dimension).map { "\(i * 10 + r).\($0)" }.joined(separator: ", ") + "]}" }
            let file = try folder.write("part-\(i).json", "{\"rows\": [" + rows.joined(separator: ", ") + "]}\n")
            jobs.append(("part-\(i)", [[file]]))
        }
        let path = try manifest(folder, collection: collection, jobs: jobs)
        let ledger = folder.url.appendingPathComponent(".bulk-import/state.jsonl").path

        let tool = try BulkImport.start(["run", path, "--concurrency", "1", "--progress", "lines"], in: folder.url)
        // Watched and killed from a thread of its own: a task on a loaded cooperative pool can wake
        // after the run has ended.
        await offThePool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let text = (try? String(contentsOfFile: ledger, encoding: .utf8)) ?? ""
                if text.components(separatedBy: #""event":"submitted""#).count > 6 { break }
                usleep(5_000)
            }
            tool.signal(SIGKILL)
        }
        let killed = await tool.finished()
        #expect(killed.status == 128 + SIGKILL, "\(killed)")
        let submittedBefore = try Ledger.snapshot(path: ledger).filter { !$0.jobIDs.isEmpty }.count
        #expect(submittedBefore < count, "the run ended before the kill; the test proves nothing")

        let rerun = try await run(["run", path, "--wait", "--poll-interval", "0.5", "--progress", "lines"], in: folder)
        // A create in flight at the kill is unknown: reported, and not sent again.
        let unknown = rerun.stdout.split(separator: "\n").filter { $0.hasPrefix("unknown") }
        #expect(rerun.status == (unknown.isEmpty ? 0 : 1), "\(rerun)")
        #expect(unknown.count <= 1, "\(rerun)")

        let list = try await run(["list", "milvus23", path, "--collection", collection, "--format", "json"], in: folder)
        let tasks = try parseJSONObject(list.stdout)["jobs"] as? [[String: Any]] ?? []
        var perFile: [String: Int] = [:]
        for task in tasks { for file in task["files"] as? [String] ?? [] { perFile[file, default: 0] += 1 } }
        #expect(perFile.values.allSatisfy { $0 == 1 }, "a file was imported twice: \(perFile)")
        #expect(perFile.count >= count - unknown.count && perFile.count <= count)
        #expect(tasks.allSatisfy { $0["state"] as? String == "Completed" }, "\(list)")
        // Every row arrived exactly once: ten rows a task, one task a file.
        #expect(try await server.rowCount(collection) == 10 * perFile.count)
    }
}
