import CFuzzerDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs one fuzz target under libFuzzer and checks its properties.
///
/// Besides libFuzzer's own `-timeout` (a hang), every input is held to a CPU-time bound that grows
/// with its size: `FUZZ_SLOW_BASE_MS` (default 250) plus `FUZZ_SLOW_US_PER_BYTE` (default 100) per
/// byte. Parsing is meant to be linear, and linear work on a few KiB takes single milliseconds even
/// under AddressSanitizer, so an input over the bound has found something quadratic or worse. CPU
/// time of this thread, not wall time, so other builds on the machine do not trip it. The first
/// `FUZZ_SLOW_WARMUP` inputs (default 32) are not timed: they pay for one-time initialisation. Set
/// `FUZZ_SLOW_BASE_MS=0` to turn the bound off; set `FUZZ_SLOW_WARMUP=0` to time a single input
/// given on the command line.
public enum Fuzz {
    nonisolated(unsafe) private static var body: (UnsafeRawBufferPointer) -> Void = { _ in }
    nonisolated(unsafe) private static var executions = 0
    nonisolated(unsafe) private static var baseNanos: Double = 250e6
    nonisolated(unsafe) private static var nanosPerByte: Double = 100e3
    nonisolated(unsafe) private static var warmup = 32

    /// Hands every input libFuzzer makes to `body`; never returns.
    public static func run(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        Fuzz.body = body
        if let v = environment("FUZZ_SLOW_BASE_MS").flatMap(Double.init) { baseNanos = v * 1e6 }
        if let v = environment("FUZZ_SLOW_US_PER_BYTE").flatMap(Double.init) { nanosPerByte = v * 1e3 }
        if let v = environment("FUZZ_SLOW_WARMUP").flatMap(Int.init) { warmup = v }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzz.one(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        exit(status)
    }

    private static func one(_ bytes: UnsafeRawBufferPointer) {
        let start = cpuNanos()
        body(bytes)
        executions += 1
        guard baseNanos > 0, executions > warmup else { return }
        let elapsed = Double(cpuNanos() - start)
        let bound = baseNanos + nanosPerByte * Double(bytes.count)
        if elapsed > bound {
            fail("slow input: \(bytes.count) bytes took \(Int(elapsed / 1e6)) ms of CPU, over the bound of \(Int(bound / 1e6)) ms")
        }
    }

    private static func cpuNanos() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Int(spec.tv_sec) * 1_000_000_000 + Int(spec.tv_nsec)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Reports a broken property and aborts, so that libFuzzer saves the input as a crash.
    public static func fail(_ message: String) -> Never {
        let line = Array("==FUZZ== property failed: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        abort()
    }

    /// Fails unless `condition` holds.
    @inline(__always)
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    /// Whether `needle` occurs in `haystack`, byte for byte (no Unicode equivalence).
    public static func occurs(_ needle: some Collection<UInt8>, in haystack: some Collection<UInt8>) -> Bool {
        let n = Array(needle)
        let h = Array(haystack)
        guard !n.isEmpty else { return true }
        guard n.count <= h.count else { return false }
        var i = 0
        while i + n.count <= h.count {
            if h[i] == n[0] {
                var k = 1
                while k < n.count && h[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }

    /// `bytes` with every occurrence of `placeholder` replaced by one NUL byte. Masked output is
    /// checked for secrets after this, since a short secret may be part of the placeholder's own
    /// letters ("red"), which is not a leak; no secret the targets use holds a NUL.
    public static func replacingEach(_ placeholder: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard !placeholder.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == placeholder[0], i + placeholder.count <= bytes.count,
                bytes[i..<(i + placeholder.count)].elementsEqual(placeholder)
            {
                out.append(0)
                i += placeholder.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// A cheap, stable hash of the input, to pick variants (options, statuses) without a format.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
