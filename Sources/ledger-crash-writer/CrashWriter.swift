import BulkImportLedger
import Platform

/// A test helper: appends records to a ledger and prints `ack <i>` after each append returns,
/// so that a test can SIGKILL it mid-way and check that every acknowledged record survived.
///
///     ledger-crash-writer PATH COUNT [--concurrency N] [--fsize-limit BYTES]
///
/// Record `i` is a `submitted` record for job `job-<i>` with id `id-<i>`. With `--fsize-limit`
/// the process may not grow files past BYTES (RLIMIT_FSIZE), so an append eventually fails:
/// it then prints `failed <i>: ...`, tries one more append, prints `refused: ...` and exits 3.
/// Prints `done` at the end; exits 2 if the ledger cannot be opened.
@main
struct CrashWriter {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var concurrency = 8
        var sizeLimit: Int?
        if let i = arguments.firstIndex(of: "--concurrency"), i + 1 < arguments.count {
            concurrency = max(1, Int(arguments[i + 1]) ?? 8)
            arguments.removeSubrange(i...i + 1)
        }
        if let i = arguments.firstIndex(of: "--fsize-limit"), i + 1 < arguments.count {
            sizeLimit = Int(arguments[i + 1])
            arguments.removeSubrange(i...i + 1)
        }
        guard arguments.count == 2, let count = Int(arguments[1]) else {
            say("usage: ledger-crash-writer PATH COUNT [--concurrency N] [--fsize-limit BYTES]")
            exit(64)
        }
        if let sizeLimit {
            signal(SIGXFSZ, SIG_IGN)
            var limit = rlimit(rlim_cur: rlim_t(sizeLimit), rlim_max: rlim_t(sizeLimit))
            setrlimit(fileSizeLimitResource, &limit)
        }
        let ledger: Ledger
        do {
            ledger = try Ledger.open(path: arguments[0])
        } catch {
            say("open-failed: \(error)")
            exit(2)
        }
        let workers = concurrency
        let failed = await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var i = worker
                    while i < count {
                        do {
                            try await ledger.append(record(i))
                            say("ack \(i)")
                        } catch {
                            say("failed \(i): \(error)")
                            return true
                        }
                        i += workers
                    }
                    return false
                }
            }
            var any = false
            for await failed in group where failed { any = true }
            return any
        }
        if failed {
            do {
                try await ledger.append(record(count))
                say("accepted after a failure")
            } catch {
                say("refused: \(error)")
            }
            exit(3)
        }
        await ledger.close()
        say("done")
    }

    nonisolated static func record(_ i: Int) -> LedgerRecord {
        LedgerRecord(
            event: .submitted, job: "job-\(i)", digest: "d\(i)", target: "t \"quoted\"", api: "milvus-v2",
            jobIDs: ["id-\(i)"], attempt: 1, state: "Pending", error: "line one\nline two ✓"
        )
    }

    /// Writes one line to stdout with a single write(2), unbuffered, so that nothing acknowledged is lost in a buffer.
    nonisolated static func say(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
    }
}

#if canImport(Glibc)
    private let fileSizeLimitResource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#else
    private let fileSizeLimitResource = RLIMIT_FSIZE
#endif
