import Foundation
import Testing

/// What a run of the binary gave.
public struct RunResult: CustomStringConvertible, Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    public var output: String { stdout + stderr }
}

/// Reads a pipe to its end on a thread of its own, so a child that fills one pipe while we wait on
/// the other cannot deadlock.
private final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            let read = handle.readDataToEndOfFile()
            lock.lock()
            data = read
            lock.unlock()
            done.signal()
        }
        thread.start()
    }

    func wait() -> Data {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

/// The sanitizer this test process was built with, if any, found by its runtime's entry point.
/// scripts/sanitize builds the binaries the tests run with the same one, so tests that bound time
/// or memory can allow for its overhead.
public enum Sanitizer: Sendable {
    case address, thread

    public static let current: Sanitizer? = {
        let program = dlopen(nil, RTLD_NOW)
        if dlsym(program, "__asan_init") != nil { return .address }
        if dlsym(program, "__tsan_init") != nil { return .thread }
        return nil
    }()
}

public enum BulkImport {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// The built `bulk-import`: next to the test bundle (so `--scratch-path` and `-c release` work),
    /// else in `.build/debug`. `swift test` builds every product, the executable included.
    public static let binary: URL? = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("bulk-import")
        let candidates = [besideTests, packageRoot.appendingPathComponent(".build/debug/bulk-import")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    public static let missingBinaryMessage: Comment = """
        bulk-import is not built: run `swift build` (or `swift test`, which builds every product) \
        in \(packageRoot.path) first; looked next to the test bundle and in .build/debug
        """

    /// The sanitizer runtimes' settings of this test process (suppressions, exit codes), handed on
    /// to the programs the tests start, which scripts/sanitize builds with the same sanitizer; so
    /// a report in the binary fails the test that ran it, judged by the same rules. Empty otherwise.
    public static let sanitizerEnvironment: [String: String] = ProcessInfo.processInfo.environment.filter {
        ["TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"].contains($0.key)
    }

    /// For a run that a test ends on purpose with the process's exit() while requests are in flight
    /// (the second Ctrl-C): LeakSanitizer off. What those tasks still hold at exit is not a leak,
    /// but it reports it, and exit 130 becomes 1. Has no effect without AddressSanitizer.
    public static var leakCheckOff: [String: String] {
        ["ASAN_OPTIONS": (sanitizerEnvironment["ASAN_OPTIONS"].map { $0 + ":" } ?? "") + "detect_leaks=0"]
    }

    /// PATH, the sanitizer settings, then `environment`: all that a started program sees.
    static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        ["PATH": "/usr/bin:/bin"].merging(sanitizerEnvironment) { $1 }.merging(environment) { $1 }
    }

    /// Runs `bulk-import arguments` in the package root with exactly `environment` (plus PATH), and
    /// reads stdout and stderr while it runs.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, timeout: Double = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> RunResult {
        let binary = try #require(binary, missingBinaryMessage, sourceLocation: sourceLocation)
        return try runProgram(binary.path, arguments, environment: environment, in: directory, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// Runs any program the same way.
    public static func runProgram(
        _ path: String, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, timeout: Double = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        process.environment = BulkImport.childEnvironment(environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = PipeDrain(out.fileHandleForReading)
        let stderr = PipeDrain(err.fileHandleForReading)

        // A watchdog, so a hang fails the test instead of the whole run.
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()

        let result = RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: stdout.wait(), as: UTF8.self),
            stderr: String(decoding: stderr.wait(), as: UTF8.self))
        #expect(process.terminationReason == .exit, "bulk-import did not exit by itself: \(result)", sourceLocation: sourceLocation)
        return result
    }
}

/// A temporary folder for manifests a test writes, removed by `remove()`.
public struct TemporaryFolder: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-import-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

public func parseJSONObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
}

/// A `bulk-import` started in the background, to be signalled (Ctrl-C, kill -9) while it runs.
public final class RunningTool: @unchecked Sendable {
    public let process = Process()
    private let stdout: PipeDrain
    private let stderr: PipeDrain

    public init(_ arguments: [String], environment: [String: String] = [:], in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let binary = try #require(BulkImport.binary, BulkImport.missingBinaryMessage, sourceLocation: sourceLocation)
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = BulkImport.childEnvironment(environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        stdout = PipeDrain(out.fileHandleForReading)
        stderr = PipeDrain(err.fileHandleForReading)
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit (killing it after `timeout` seconds) and returns what it printed, and
    /// how long the wait took.
    public func wait(timeout: Double = 30) -> (RunResult, seconds: Double) {
        let start = Date()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        let result = RunResult(
            status: status, stdout: String(decoding: stdout.wait(), as: UTF8.self), stderr: String(decoding: stderr.wait(), as: UTF8.self))
        return (result, Date().timeIntervalSince(start))
    }
}

/// Runs blocking work (waiting for a child process) on a thread of its own, so the test's task does
/// not hold one of the few threads of Swift's cooperative pool (two on a 2-core machine): a test
/// that blocks there for seconds stalls every other async test, and their timing margins with it.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

extension RunningTool {
    /// ``wait(timeout:)`` off the cooperative pool.
    public func finished(timeout: Double = 30) async -> (RunResult, seconds: Double) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.wait(timeout: timeout)) }.start()
        }
    }
}
