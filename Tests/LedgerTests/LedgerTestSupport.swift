import Foundation
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

/// Runs the `ledger-crash-writer` helper, reading its output line by line.
struct LedgerCrashWriterProcess {
    let pid: pid_t
    private let output: Int32
    private var buffer: [UInt8] = []

    /// The helper's path: next to the test runner, which SwiftPM builds into the same folder.
    static var executable: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // On Darwin the runner is inside an .xctest bundle.
        while folder.path.contains(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent("ledger-crash-writer").path
    }

    init(arguments: [String]) throws {
        let path = Self.executable
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw POSIXError(.ENOENT, userInfo: [NSLocalizedDescriptionKey: "\(path) is missing: build the ledger-crash-writer target"])
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(.EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, nil, argv, environ)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw POSIXError(.init(rawValue: status) ?? .EIO)
        }
        pid = child
        output = fds[0]
    }

    /// The next line of output, or nil at end of output (the child exited or was killed).
    mutating func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                if buffer.isEmpty { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Every remaining line.
    mutating func remainingLines() -> [String] {
        var lines: [String] = []
        while let line = nextLine() { lines.append(line) }
        return lines
    }

    func kill() {
        #if canImport(Glibc)
        _ = Glibc.kill(pid, SIGKILL)
        #else
        _ = Darwin.kill(pid, SIGKILL)
        #endif
    }

    /// Waits for the child; returns its wait status.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        close(output)
        return status
    }
}

extension Ledger {
    /// Opens a ledger that this process closed a moment ago.
    ///
    /// `close()` releases the flock at once, but a child that another test is spawning at that
    /// moment holds a copy of every descriptor between its fork and its exec (O_CLOEXEC closes
    /// them only at exec), and the lock lives as long as any copy does. So wait that window out.
    static func openAfterClose(path: String) async throws -> Ledger {
        var tries = 0
        while true {
            do {
                return try Ledger.open(path: path)
            } catch LedgerError.locked(_, let pid) where pid == getpid() && tries < 200 {
                tries += 1
                try await Task.sleep(nanoseconds: 10_000_000)
            }
        }
    }
}
