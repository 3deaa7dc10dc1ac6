import Foundation
import TestSupport
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
        Case(
            name: "billion laughs",
            bytes: {
                var lines = ["version: 1", #"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
                for i in 1..<10 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ",") + "]") }
                lines.append("jobs: *a9")
                return text(lines.joined(separator: "\n") + "\n")
            }, expect: ["error[alias-budget-exceeded]", "alias bomb"]),
        Case(
            name: "100,000 levels of nesting",
            bytes: {
                text("version: 1\njobs: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
            }, expect: ["2:70: error[nesting-too-deep]", "…[[["]),
        Case(
            name: "50 MB of scalars",
            bytes: {
                var bytes = text("version: 1\nx: [")
                bytes.reserveCapacity(50 << 20)
                for _ in 0..<(25 << 20) { bytes += [0x61, 0x2C] }
                return bytes + text("a]\n")
            }, expect: ["error[value-too-large]: this value has more than 1000000 nodes"]),
        Case(
            name: "a 50 MB scalar",
            bytes: {
                text("version: 1\nx: \"" + String(repeating: "a", count: 50 << 20) + "\"\n")
            }, expect: ["error[unknown-field]: unknown field 'x'", "error[missing-field]: the manifest has no jobs"]),
        Case(
            name: "NUL bytes", bytes: { text("version: 1\njobs:\n  - name: a") + [0] + text("b\n") },
            expect: ["3:12: error[invalid-encoding]", "byte 0x0"]),
        Case(
            name: "invalid UTF-8", bytes: { text("version: 1\njobs:\n  - name: a") + [0xFF, 0xFE] + text("b\n") },
            expect: ["3:12: error[invalid-encoding]", "UTF-8"]),
        Case(
            name: "a BOM", bytes: { [0xEF, 0xBB, 0xBF] + text("version: 1\njobs: []\n") },
            expect: ["2:7: error[empty-value]: jobs is empty"]),
        Case(
            name: "CRLF line ends", bytes: { text("version: 1\r\njobs:\r\n  - name: x\r\n    collection_name: c\r\n") },
            expect: ["3:5: error[missing-field]: job 'x' has no target"]),
        Case(
            name: "tabs for indentation", bytes: { text("version: 1\njobs:\n\t- name: x\n") },
            expect: ["3:1: error[yaml-syntax]", "cannot start any token"]),
        Case(
            name: "a key 1 MB long", bytes: { text("version: 1\n" + String(repeating: "k", count: 1 << 20) + ": 1\n") },
            expect: ["error[yaml-syntax]", "at most 1024 characters"]),
        Case(
            name: "100,000 jobs",
            bytes: {
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
        let folderPath = folder.path
        let run = try await offThePool { try Self.measure(binary.path, ["validate", path], in: folderPath) }
        #expect(run.status == hostile.status, "\(run.output)")
        for fragment in hostile.expect {
            #expect(run.output.contains(fragment), "missing '\(fragment)' in:\n\(run.output.prefix(2000))")
        }
        #expect(!run.output.contains("Fatal error") && !run.output.contains("Stack dump"))
        // Bounds for the debug build on a 2-core machine; the release build is several times inside them.
        // A sanitizer build (scripts/sanitize) is slower, and under AddressSanitizer bigger: its
        // quarantine, redzones and shadow took the 50 MB scalar to 740 MiB (ThreadSanitizer: 240).
        // The bound is on processor time: the wall time measures the machine too (on two busy
        // cores it was twice the processor time), and a hang is killed at 120 s anyway.
        let seconds: Double = Sanitizer.current == nil ? 30 : 90
        let mebibytes: Double = Sanitizer.current == .address ? 1200 : 600
        #expect(run.cpuSeconds < seconds, "used \(run.cpuSeconds) s of processor time (\(run.seconds) s of wall time)")
        #expect(run.maxRSSMiB < mebibytes, "used \(run.maxRSSMiB) MiB")
        // No output line is longer than a terminal can show with its excerpt.
        #expect(run.output.split(separator: "\n").allSatisfy { $0.count < 400 })
    }

    /// posix_spawn runs the child in this process's memory until its exec, and Linux carries the
    /// peak of the memory a process had before exec into its ru_maxrss; measured with wait4, a
    /// child "used" at least as much as this whole test process (870 MiB under AddressSanitizer).
    @Test func peakMemoryIsTheProgramsOwnNotTheTestProcesss() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let size = 256 << 20
        let ballast = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { ballast.deallocate() }
        for offset in stride(from: 0, to: size, by: 4096) { ballast[offset] = 1 }
        let folderPath = folder.path
        let run = try await offThePool { try Self.measure("/bin/true", [], in: folderPath) }
        #expect(run.status == 0, "\(run.output)")
        #expect(run.maxRSSMiB > 0 && run.maxRSSMiB < 64, "/bin/true used \(run.maxRSSMiB) MiB")
        withExtendedLifetime(ballast) {}
    }

    /// Runs a program, its stdout and stderr together as the user sees them, with its peak memory
    /// measured (a hang is killed after 120 s).
    static func measure(_ path: String, _ arguments: [String], in folder: String) throws -> (
        status: Int32, output: String, seconds: Double, cpuSeconds: Double, maxRSSMiB: Double
    ) {
        let result = try ChildProcess.run(
            path, arguments, environment: BulkImport.childEnvironment([:]), in: folder, measuringPeakMemory: true, timeout: 120)
        return (result.status, result.output, result.seconds, result.cpuSeconds ?? .infinity, result.peakMemoryMiB ?? .infinity)
    }
}
