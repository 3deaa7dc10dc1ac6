import Foundation
import Testing

/// The package's built programs and how the tests run them.
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

    /// The folder SwiftPM builds the products into: the test runner's (so `--scratch-path` and
    /// `-c release` work). On Darwin the runner is inside an .xctest bundle.
    public static let productsFolder: URL = {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path.contains(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder
    }()

    /// The built product `name` next to the test runner, else in `.build/debug`, if it is there.
    /// `swift test` builds every product, the executables included.
    public static func product(_ name: String) -> URL? {
        let candidates = [productsFolder.appendingPathComponent(name), packageRoot.appendingPathComponent(".build/debug/\(name)")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The built `bulk-import`.
    public static let binary: URL? = product("bulk-import")

    public static let missingBinaryMessage: Comment = """
        bulk-import is not built: run `swift build` (or `swift test`, which builds every product) \
        in \(packageRoot.path) first; looked next to the test bundle and in .build/debug
        """

    /// The sanitizer runtimes' settings of this test process (see ``Sanitizer/environment``).
    public static var sanitizerEnvironment: [String: String] { Sanitizer.environment }

    /// For a run that a test ends on purpose with the process's exit() while requests are in flight
    /// (the second Ctrl-C): LeakSanitizer off. What those tasks still hold at exit is not a leak,
    /// but it reports it, and exit 130 becomes 1. Has no effect without AddressSanitizer.
    public static var leakCheckOff: [String: String] {
        ["ASAN_OPTIONS": (sanitizerEnvironment["ASAN_OPTIONS"].map { $0 + ":" } ?? "") + "detect_leaks=0"]
    }

    /// PATH, the sanitizer settings, then `environment`: all that a started program sees.
    public static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        ["PATH": "/usr/bin:/bin"].merging(sanitizerEnvironment) { $1 }.merging(environment) { $1 }
    }

    /// Runs `bulk-import arguments` in `directory` (the package root if nil) with exactly
    /// `environment` (plus PATH and the sanitizer settings). Blocks: async tests get the async
    /// overload.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, timeout: Double = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let binary = try #require(binary, missingBinaryMessage, sourceLocation: sourceLocation)
        return try runProgram(
            binary.path, arguments, environment: environment, in: directory, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// Runs any program the same way; a program that does not exit by itself (it was killed at
    /// the timeout) fails the test.
    public static func runProgram(
        _ path: String, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, timeout: Double = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try ChildProcess.run(
            path, arguments, environment: childEnvironment(environment), in: (directory ?? packageRoot).path, timeout: timeout)
        #expect(result.exited, "\(path) did not exit by itself: \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// ``run(_:environment:in:timeout:sourceLocation:)`` for async tests: the wait for the child
    /// runs on a thread of its own, never on the two threads of Swift's cooperative pool, where it
    /// would stall every other test's in-process server (see ``offThePool(_:)``). In an async
    /// function the compiler picks this overload, so a missing `await` is an error, not a stall.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, timeout: Double = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProcessResult {
        let binary = try #require(binary, missingBinaryMessage, sourceLocation: sourceLocation)
        return try await runProgram(
            binary.path, arguments, environment: environment, in: directory, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// ``runProgram(_:_:environment:in:timeout:sourceLocation:)`` off the cooperative pool; the
    /// expectation is checked back on the test's task, so it is attributed to the test.
    public static func runProgram(
        _ path: String, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, timeout: Double = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProcessResult {
        let environment = childEnvironment(environment)
        let directory = (directory ?? packageRoot).path
        let result = try await offThePool {
            try ChildProcess.run(path, arguments, environment: environment, in: directory, timeout: timeout)
        }
        #expect(result.exited, "\(path) did not exit by itself: \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Starts `bulk-import arguments` in the background, to be signalled (Ctrl-C, kill -9) while it runs.
    public static func start(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ChildProcess {
        let binary = try #require(binary, missingBinaryMessage, sourceLocation: sourceLocation)
        return try ChildProcess(binary.path, arguments, environment: childEnvironment(environment), in: directory.path)
    }
}

public func parseJSONObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
}
