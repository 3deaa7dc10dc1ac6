import Foundation

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

    /// The sanitizer runtimes' settings of this test process (suppressions, exit codes), handed on
    /// to the programs the tests start, which scripts/sanitize builds with the same sanitizer; so
    /// a report in a started program fails the test that ran it, judged by the same rules. Empty
    /// otherwise.
    public static let environment: [String: String] = ProcessInfo.processInfo.environment.filter {
        ["TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"].contains($0.key)
    }
}
