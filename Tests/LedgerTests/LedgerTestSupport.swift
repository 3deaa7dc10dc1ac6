import Foundation
import TestSupport

@testable import BulkImportLedger

/// A fresh temporary folder for one test, removed by `remove()`.
struct LedgerTestDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/ledger-tests.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let made else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    /// The ledger path `name` inside the folder.
    func file(_ name: String = "state.jsonl") -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The file's bytes, or empty.
    static func read(_ file: String) -> [UInt8] {
        FileManager.default.contents(atPath: file).map { [UInt8]($0) } ?? []
    }

    /// Replaces the file's contents.
    static func write(_ file: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
    }
}

extension LedgerRecord {
    /// A record with test defaults.
    static func test(
        _ event: Event, _ job: String, digest: String = "d1", ids: [String] = [], group: Int? = nil,
        attempt: Int = 1, state: String? = nil, progress: Int? = nil, error: String? = nil, key: String? = nil
    ) -> LedgerRecord {
        LedgerRecord(
            time: 1_700_000_000.25, event: event, job: job, digest: digest, target: "local", api: "milvus-v2",
            jobIDs: ids, group: group, attempt: attempt, state: state, progress: progress, error: error,
            idempotencyKey: key
        )
    }
}

/// Runs the `ledger-crash-writer` helper, reading its output line by line. Every wait happens off
/// Swift's cooperative pool (``offThePool(_:)``): the reads block until the child writes or ends.
struct LedgerCrashWriterProcess: Sendable {
    private let process: ChildProcess
    var pid: pid_t { process.pid }

    /// The helper's path: next to the test runner, which SwiftPM builds into the same folder.
    static var executable: String { BulkImport.productsFolder.appendingPathComponent("ledger-crash-writer").path }

    init(arguments: [String]) throws {
        let path = Self.executable
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw POSIXError(.ENOENT, userInfo: [NSLocalizedDescriptionKey: "\(path) is missing: build the ledger-crash-writer target"])
        }
        process = try ChildProcess(path, arguments, environment: ProcessInfo.processInfo.environment)
    }

    /// Lines of output, read until `enough` says so after a line or the output ends (the child
    /// exited or was killed).
    func lines(until enough: @escaping @Sendable ([String]) -> Bool = { _ in false }) async -> [String] {
        await offThePool { [process] in
            var lines: [String] = []
            while !enough(lines), let line = process.nextLine() { lines.append(line) }
            return lines
        }
    }

    func kill() { process.signal(SIGKILL) }

    /// Waits for the child (killing it after five minutes); returns its wait status.
    func wait() async -> Int32 { await process.finished(timeout: 300).waitStatus }
}

extension Ledger {
    /// Opens a ledger that this process closed a moment ago.
    ///
    /// `close()` releases the flock at once, but a child that another test is spawning at that
    /// moment holds a copy of every descriptor between its fork and its exec (O_CLOEXEC closes
    /// them only at exec), and the lock lives as long as any copy does. So wait that window out.
    static func openAfterClose(path: String) async throws -> Ledger {
        // Up to a minute: a machine running every suite at once held a spawning child for over 2 s.
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try Ledger.open(path: path)
            } catch LedgerError.locked(_, let pid) where pid == getpid() && ContinuousClock.now < deadline {
                try await Task.sleep(nanoseconds: 10_000_000)
            }
        }
    }
}
