import EndToEndSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Hostile manifests through the binary: each gets a clear diagnostic within bounded time and
/// memory (measured on the child process), never a crash or a hang.
///
/// One case at a time: each is a process that keeps a core busy for seconds (tens under a
/// sanitizer) and takes up to 740 MiB under AddressSanitizer; eleven at once on two cores starved
/// the timing tests of the other suites (under ThreadSanitizer eight concurrent 3 s requests took
/// 34 s). It costs the suite little: the cases never had more than two cores between them.
@Suite("Hostile manifests", .serialized)
struct HostileManifestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: @Sendable () -> [UInt8]
        /// What the diagnostics must say.
        var expect: [String]
        var status: Int32 = 1
        var testDescription: String { name }
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    static let cases: [Case] = [
        Case(name: "billion laughs", bytes: {
            var lines = ["version: 1", #"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
            for i in 1..<10 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ",") + "]") }
            lines.append("jobs: *a9")
            return text(lines.joined(separator: "\n") + "\n")
        }, expect: ["error[alias-budget-exceeded]", "alias bomb"]),
        Case(name: "100,000 levels of nesting", bytes: {
            text("version: 1\njobs: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
        }, expect: ["2:70: error[nesting-too-deep]", "…[[["]),
        Case(name: "50 MB of scalars", bytes: {
            var bytes = text("version: 1\nx: [")
            bytes.reserveCapacity(50 << 20)
            for _ in 0..<(25 << 20) { bytes += [0x61, 0x2C] }
            return bytes + text("a]\n")
        }, expect: ["error[value-too-large]: this value has more than 1000000 nodes"]),
        Case(name: "a 50 MB scalar", bytes: {
            text("version: 1\nx: \"" + String(repeating: "a", count: 50 << 20) + "\"\n")
        }, expect: ["error[unknown-field]: unknown field 'x'", "error[missing-field]: the manifest has no jobs"]),
        Case(name: "NUL bytes", bytes: { text("version: 1\njobs:\n  - name: a") + [0] + text("b\n") },
             expect: ["3:12: error[invalid-encoding]", "byte 0x0"]),
        Case(name: "invalid UTF-8", bytes: { text("version: 1\njobs:\n  - name: a") + [0xFF, 0xFE] + text("b\n") },
             expect: ["3:12: error[invalid-encoding]", "UTF-8"]),
        Case(name: "a BOM", bytes: { [0xEF, 0xBB, 0xBF] + text("version: 1\njobs: []\n") }, expect: ["2:7: error[empty-value]: jobs is empty"]),
        Case(name: "CRLF line ends", bytes: { text("version: 1\r\njobs:\r\n  - name: x\r\n    collection_name: c\r\n") },
             expect: ["3:5: error[missing-field]: job 'x' has no target"]),
        Case(name: "tabs for indentation", bytes: { text("version: 1\njobs:\n\t- name: x\n") },
             expect: ["3:1: error[yaml-syntax]", "cannot start any token"]),
        Case(name: "a key 1 MB long", bytes: { text("version: 1\n" + String(repeating: "k", count: 1 << 20) + ": 1\n") },
             expect: ["error[yaml-syntax]", "at most 1024 characters"]),
        Case(name: "100,000 jobs", bytes: {
            var s = "version: 1\ntargets:\n  t:\n    milvus:\n      uri: http://localhost:19530\njobs:\n"
            for i in 0..<100_000 { s += "  - {name: j\(i), target: t, collection_name: c, files: [d/\(i).parquet]}\n" }
            return text(s)
        }, expect: ["valid: 100000 jobs in 1 file, 0 errors"], status: 0),
    ]

    @Test(arguments: cases)
    func isAnsweredClearlyInBoundedTimeAndMemory(_ hostile: Case) async throws {
        let binary = try #require(BulkImport.binary, BulkImport.missingBinaryMessage)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("hostile.yaml").path
        try Data(hostile.bytes()).write(to: URL(fileURLWithPath: path))
        let folderURL = folder.url
        let run = try await offThePool { try Measured.run(binary.path, ["validate", path], in: folderURL) }
        #expect(run.status == hostile.status, "\(run.output)")
        for fragment in hostile.expect {
            #expect(run.output.contains(fragment), "missing '\(fragment)' in:\n\(run.output.prefix(2000))")
        }
        #expect(!run.output.contains("Fatal error") && !run.output.contains("Stack dump"))
        // Bounds for the debug build on a 2-core machine; the release build is several times inside them.
        // A sanitizer build (scripts/sanitize) is slower, and under AddressSanitizer bigger: its
        // quarantine, redzones and shadow took the 50 MB scalar to 740 MiB (ThreadSanitizer: 240).
        let seconds: Double = Sanitizer.current == nil ? 30 : 90
        let mebibytes: Double = Sanitizer.current == .address ? 1200 : 600
        #expect(run.seconds < seconds, "took \(run.seconds) s")
        #expect(run.maxRSSMiB < mebibytes, "used \(run.maxRSSMiB) MiB")
        // No output line is longer than a terminal can show with its excerpt.
        #expect(run.output.split(separator: "\n").allSatisfy { $0.count < 400 })
    }

    /// posix_spawn runs the child in this process's memory until its exec, and Linux carries the
    /// peak of the memory a process had before exec into its ru_maxrss; measured with wait4, a
    /// child "used" at least as much as this whole test process (870 MiB under AddressSanitizer).
    @Test func peakMemoryIsTheProgramsOwnNotTheTestProcesss() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let size = 256 << 20
        let ballast = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { ballast.deallocate() }
        for offset in stride(from: 0, to: size, by: 4096) { ballast[offset] = 1 }
        let run = try Measured.run("/bin/true", [], in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.maxRSSMiB > 0 && run.maxRSSMiB < 64, "/bin/true used \(run.maxRSSMiB) MiB")
        withExtendedLifetime(ballast) {}
    }
}

/// Runs a program and reads its peak memory.
enum Measured {
    struct Result {
        var status: Int32
        var output: String
        var seconds: Double
        var maxRSSMiB: Double
    }

    /// GNU time (Debian's `time`), which forks the program from its own small process and reports
    /// the peak that wait4 gives it. Waiting on the program ourselves is no good: posix_spawn runs it
    /// in our memory until its exec, and Linux counts the peak from before exec in ru_maxrss, so the
    /// figure would be this test process's.
    static let time = "/usr/bin/time"

    static func run(_ path: String, _ arguments: [String], in folder: URL) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: time), "install Debian's time package (\(time)) to measure peak memory")
        let outPath = folder.appendingPathComponent("output.txt").path
        let rssPath = folder.appendingPathComponent("maxrss.txt").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // A process group of its own, so that the watchdog kills the program along with time.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([time, "-f", "%M", "-o", rssPath, path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env: [UnsafeMutablePointer<CChar>?] = BulkImport.sanitizerEnvironment.map { strdup("\($0.key)=\($0.value)") }
            + [strdup("PATH=/usr/bin:/bin"), nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, time, &actions, &attributes, argv, &env)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        // A watchdog: a hang fails the test instead of blocking the run.
        let watchdog = DispatchWorkItem { kill(-pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        watchdog.cancel()
        let seconds = Date().timeIntervalSince(start)
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // time writes "Command exited with non-zero status N" (or "... terminated by signal N")
        // before the figure, in KiB, on the last line; it exits with the program's status.
        let figures = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
        let kibibytes = figures.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? .infinity
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output: output,
                      seconds: seconds, maxRSSMiB: kibibytes / 1024)
    }
}
