import Foundation
import TestSupport
import Testing

/// A real Milvus 2.3.5 started by `scripts/milvus-local` for the suite that carries the
/// ``MilvusServerTrait`` (one instance per machine, so one per suite run), and its helpers.
struct MilvusServer: Sendable {
    /// The HTTP port's base URL: `/healthz` and the `/api/v1` import API.
    var httpURI: String

    @TaskLocal static var current: MilvusServer?

    static let script = BulkImport.packageRoot.appendingPathComponent("scripts/milvus-local").path

    /// The environment the script runs in: PATH to find python3, nothing else from ours.
    static var scriptEnvironment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root",
        ]
    }

    /// Runs `scripts/milvus-local arguments`; throws with its output when it fails.
    @discardableResult
    static func script(_ arguments: [String], timeout: Double = 600) throws -> String {
        let result = try BulkImport.runProgram(script, arguments, environment: scriptEnvironment, timeout: timeout)
        guard result.status == 0 else {
            throw ScriptError(description: "scripts/milvus-local \(arguments.joined(separator: " ")) failed: \(result)")
        }
        return result.stdout
    }

    struct ScriptError: Error, CustomStringConvertible { var description: String }

    /// Whether the suite can run here: always in CI (where a failure to install must fail the
    /// tests, not skip them); elsewhere, when `scripts/milvus-local install` works.
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        do {
            try script(["install"])
            return true
        } catch {
            print("skipping the real-Milvus tests: \(error)")
            return false
        }
    }()

    static func start() throws -> MilvusServer {
        // The script stops Milvus when this process is gone, even if it is killed before `stop`.
        let output = try script(["start", "--watch-pid", String(getpid())])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let http = values["MILVUS_HTTP_URI"] else {
            throw ScriptError(description: "scripts/milvus-local start printed no MILVUS_HTTP_URI:\n\(output)")
        }
        return MilvusServer(httpURI: http)
    }

    static func stop() { _ = try? script(["stop"], timeout: 60) }

    func createCollection(_ name: String, dimension: Int) async throws {
        _ = try await offThePool { try Self.script(["collection", "create", name, "--dim", String(dimension)]) }
    }

    /// The collection's row count, from the server's own statistics.
    func rowCount(_ name: String) async throws -> Int {
        let text = try await offThePool { try Self.script(["collection", "count", name]) }.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let count = Int(text) else { throw ScriptError(description: "not a row count: \(text)") }
        return count
    }

    /// Writes `rows` rows (vectors of `dimension`, distinct from `start` on) and returns the files.
    func writeData(_ folder: URL, rows: Int, dimension: Int, format: String, start: Int, badDimension: Bool = false) async throws
        -> [String]
    {
        var arguments = [
            "data", "--out", folder.path, "--rows", String(rows), "--dim", String(dimension), "--format", format,
            "--start", String(start),
        ]
        if badDimension { arguments.append("--bad-dim") }
        let finalArguments = arguments
        return try await offThePool { try Self.script(finalArguments) }.split(separator: "\n").map(String.init)
    }
}

/// Starts the server before the suite's tests and stops it after them.
struct MilvusServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withOpened(
            { try await offThePool { try MilvusServer.start() } }, close: { _ in await offThePool { MilvusServer.stop() } }
        ) { server in
            try await MilvusServer.$current.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == MilvusServerTrait {
    /// A real Milvus 2.3.5 for the suite.
    static var milvusServer: Self { Self() }
}
