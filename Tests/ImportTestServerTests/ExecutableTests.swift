import Foundation
import TestSupport
import Testing

@testable import ImportTestServer

/// Runs the built `import-test-server` binary, as the Python benchmark does.
@Suite("import-test-server executable")
struct ExecutableTests {
    static var binary: String { BulkImport.productsFolder.appendingPathComponent("import-test-server").path }

    /// A started server and the port from its first line.
    struct Running {
        var process: ChildProcess
        var port: Int
    }

    static func launch(_ arguments: [String], input: ChildProcess.Input = .pipe) async throws -> Running {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the executable first: \(binary)")
        let process = try ChildProcess(binary, arguments, environment: BulkImport.childEnvironment([:]), input: input)
        let line = await offThePool { process.nextLine() } ?? ""
        let prefix = "listening on http://127.0.0.1:"
        #expect(line.hasPrefix(prefix), "\(line)")
        let port = try #require(Int(line.dropFirst(prefix.count)))
        return Running(process: process, port: port)
    }

    /// Whether `pid` runs (a zombie nobody reaped yet counts as gone).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return kill(pid, 0) == 0 }
        let state = stat[stat.index(end, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    @Test("prints one line, serves with the given options, stops when stdin closes")
    func stdinClose() async throws {
        let running = try await Self.launch([
            "--exit-on-stdin-close", "--latency-ms", "5", "--token", "T", "--collections", "a,b", "--honour-idempotency",
        ])
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

        running.process.closeInput()
        let result = await running.process.finished()
        #expect(result.status == 0, "\(result)")
        #expect(running.process.remainingOutput().isEmpty, "stdout must hold exactly one line")
    }

    @Test("keeps serving in the background after its standard input closes, by default")
    func backgroundByDefault() async throws {
        let running = try await Self.launch(["--port", "0"])
        running.process.closeInput()
        // A server that stopped on the closed input is gone well before this; one that serves answers.
        var answers = 0
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(200))
            if (try? await TestClient.send(port: running.port, method: .GET, path: "/healthz").status) == 200 { answers += 1 }
        }
        #expect(answers == 5, "the server stopped when its standard input closed")
        #expect(Self.isRunning(running.process.pid))
        running.process.signal(SIGTERM)
        #expect(await running.process.finished().status == 0)
    }

    @Test("stops when the process given by --watch-pid exits")
    func watchPID() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let sleeper = try ChildProcess("/bin/sleep", ["600"], environment: BulkImport.childEnvironment([:]), input: .none)
        let running = try await Self.launch(["--watch-pid", String(sleeper.pid)], input: .none)
        #expect(try await TestClient.send(port: running.port, method: .GET, path: "/healthz").status == 200)
        sleeper.signal(SIGKILL)
        _ = await sleeper.finished()
        let result = await running.process.finished()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("process \(sleeper.pid) exited"), "\(result)")
    }

    @Test("stops on SIGTERM")
    func sigterm() async throws {
        let running = try await Self.launch(["--port", "0"], input: .none)
        #expect(try await TestClient.send(port: running.port, method: .GET, path: "/healthz").status == 200)
        running.process.signal(SIGTERM)
        #expect(await running.process.finished().status == 0)
    }

    @Test("rejects unknown options with exit code 64")
    func badOption() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let result = try await offThePool { try ChildProcess.run(Self.binary, ["--nope"], environment: BulkImport.childEnvironment([:])) }
        #expect(result.status == 64, "\(result)")
    }

    @Test("stops when the process that started it is killed")
    func parentKilled() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        // A shell starts the server (standard input ignored, so only its parent's death can stop
        // it), prints its pid and waits; then the shell is killed with SIGKILL.
        let shell = try ChildProcess(
            "/bin/sh", ["-c", #""$0" </dev/null & echo "pid $!"; wait"#, Self.binary], environment: BulkImport.childEnvironment([:]))
        var server: pid_t?
        var listening = false
        while server == nil || !listening, let line = await offThePool({ shell.nextLine() }) {
            if line.hasPrefix("pid ") { server = pid_t(line.dropFirst(4)) }
            if line.hasPrefix("listening on ") { listening = true }
        }
        let pid = try #require(server)
        #expect(listening)
        kill(shell.pid, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.isRunning(pid) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!Self.isRunning(pid), "the server outlived the process that started it")
        let result = await shell.finished()  // and kills the server if it is still there
        #expect(result.signal == SIGKILL)
        #expect(result.stderr.contains("import-test-server: stopping (parent process \(shell.pid) exited)"), "\(result)")
    }
}
