import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

/// A real PostgreSQL started by `scripts/postgres-local` in a temporary folder, stopped by
/// ``stop()`` or, should this test process die first, by the script's watchdog.
final class PostgresServer: Sendable {
    /// The superuser URL (trust authentication), database `bulkimport`.
    let url: String
    /// The same server as a role that must give its password.
    let passwordURL: String
    let port: Int
    let folder: TemporaryFolder

    @TaskLocal static var current: PostgresServer?

    static let script = BulkImport.packageRoot.appendingPathComponent("scripts/postgres-local").path

    /// Whether the tests can run here: always in CI (a missing server must fail them there), else
    /// when Debian's `postgresql` package is installed.
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let found = versions.contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }
        if !found { print("skipping the PostgreSQL state tests: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)") }
        return found
    }()

    struct ScriptError: Error, CustomStringConvertible { var description: String }

    private init(url: String, passwordURL: String, port: Int, folder: TemporaryFolder) {
        self.url = url
        self.passwordURL = passwordURL
        self.port = port
        self.folder = folder
    }

    @discardableResult
    private static func script(_ arguments: [String]) throws -> [String: String] {
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let result = try BulkImport.runProgram(script, arguments, environment: environment, timeout: 120)
        guard result.status == 0 else {
            throw ScriptError(description: "scripts/postgres-local \(arguments.joined(separator: " ")) failed: \(result)")
        }
        var values: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    /// Creates and starts a server in a new temporary folder; with `tls`, one that also takes TLS
    /// (a self-signed certificate).
    static func start(tls: Bool = false) async throws -> PostgresServer {
        let folder = try TemporaryFolder()
        let arguments = ["start", folder.path, "--watch-pid", String(getpid())] + (tls ? ["--tls"] : [])
        let values = try await offThePool { try script(arguments) }
        guard let url = values["POSTGRES_URL"], let passwordURL = values["POSTGRES_PASSWORD_URL"],
            let port = values["POSTGRES_PORT"].flatMap(Int.init)
        else {
            folder.remove()
            throw ScriptError(description: "scripts/postgres-local start printed no URLs: \(values)")
        }
        return PostgresServer(url: url, passwordURL: passwordURL, port: port, folder: folder)
    }

    /// Stops the server (its data stays, for ``restart()``).
    func stop() async throws {
        let path = folder.path
        try await offThePool { _ = try Self.script(["stop", path]) }
    }

    /// Starts the stopped server again, on the same port, with the same data.
    func restart() async throws {
        let path = folder.path
        try await offThePool { _ = try Self.script(["start", path, "--watch-pid", String(getpid())]) }
    }

    /// Stops the server and removes its folder.
    func remove() async {
        try? await stop()
        folder.remove()
    }

    /// A new, empty database; returns the URLs of the superuser and of the password role for it.
    func createDatabase() async throws -> (url: String, passwordURL: String) {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin("CREATE DATABASE \(name) OWNER bulkimport_pw")
        func replacingDatabase(_ url: String) -> String {
            url.replacingOccurrences(of: "/bulkimport?", with: "/\(name)?")
        }
        return (replacingDatabase(url), replacingDatabase(passwordURL))
    }

    /// Runs `sql` as the superuser on `database`.
    func admin(_ sql: String, database: String = "bulkimport") async throws {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: port, username: "bulkimport", password: nil, database: database, tls: .disable)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw ScriptError(description: "\(sql): \(String(reflecting: error))")
        }
        try await connection.close()
    }
}

/// Starts one server before the suite's tests and removes it after them.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withOpened({ try await PostgresServer.start() }, close: { await $0.remove() }) { server in
            try await PostgresServer.$current.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A real PostgreSQL for the suite.
    static var postgresServer: Self { Self() }
}
