import Dispatch
import Foundation
import Testing

@testable import ImportTestServer

/// Runs the built `import-test-server` binary, as the Python benchmark does.
@Suite("import-test-server executable")
struct ExecutableTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("import-test-server")
    }

    struct Running {
        var process: Process
        var stdin: Pipe
        var stdout: Pipe
        var stderr: Pipe
        var port: Int
        var firstLine: String
    }

    /// Off the cooperative pool: these calls block.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    static func launch(_ arguments: [String]) async throws -> Running {
        let path = binary.path
        try #require(FileManager.default.isExecutableFile(atPath: path), "build the executable first: \(path)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let reader = stdout.fileHandleForReading
        let line: String = await blocking {
            var bytes: [UInt8] = []
            while true {
                let chunk = reader.readData(ofLength: 1)
                if chunk.isEmpty || chunk.first == UInt8(ascii: "\n") { break }
                bytes.append(contentsOf: chunk)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let prefix = "listening on http://127.0.0.1:"
        #expect(line.hasPrefix(prefix), "\(line)")
        let port = try #require(Int(line.dropFirst(prefix.count)))
        return Running(process: process, stdin: stdin, stdout: stdout, stderr: stderr, port: port, firstLine: line)
    }

    static func waitForExit(_ process: Process) async -> Int32 {
        await blocking {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    @Test("prints one line, serves with the given options, stops when stdin closes")
    func stdinClose() async throws {
        let running = try await Self.launch(["--latency-ms", "5", "--token", "T", "--collections", "a,b", "--honour-idempotency"])
        let health = try await TestClient.send(port: running.port, method: .GET, path: "/healthz")
        #expect(health.status == 200)
        let body = #"{"collectionName":"a","files":[["x.json"]]}"#
        let denied = try await TestClient.send(port: running.port, path: Paths.create, body: body)
        #expect(denied.status == 401)
        let auth = [("Authorization", "Bearer T"), ("Idempotency-Key", "same")]
        let first = try await TestClient.send(port: running.port, path: Paths.create, headers: auth, body: body)
        let second = try await TestClient.send(port: running.port, path: Paths.create, headers: auth, body: body)
        #expect(first.code == 0)
        #expect(first.data?["jobId"] == second.data?["jobId"])
        let unknown = try await TestClient.send(
            port: running.port, path: Paths.create, headers: auth, body: #"{"collectionName":"zz","files":[["x.json"]]}"#)
        #expect(unknown.code == 100)

        try running.stdin.fileHandleForWriting.close()
        #expect(await Self.waitForExit(running.process) == 0)
        let rest = running.stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.isEmpty, "stdout must hold exactly one line")
    }

    @Test("stops on SIGTERM when told to ignore stdin")
    func sigterm() async throws {
        let running = try await Self.launch(["--ignore-stdin", "--port", "0"])
        #expect(try await TestClient.send(port: running.port, method: .GET, path: "/healthz").status == 200)
        running.process.terminate()
        #expect(await Self.waitForExit(running.process) == 0)
        try running.stdin.fileHandleForWriting.close()
    }

    @Test("rejects unknown options with exit code 64")
    func badOption() async throws {
        let path = Self.binary.path
        try #require(FileManager.default.isExecutableFile(atPath: path))
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--nope"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        #expect(await Self.waitForExit(process) == 64)
    }
}
