import BulkImportLedger
import BulkImportPostgres
import Platform

/// A test helper: a runner that claims jobs in a PostgreSQL state, records an intent for each one
/// it gets, and then lives (renewing its claims) until it is killed, so that a test can kill it
/// with SIGKILL and watch its claims expire.
///
///     postgres-claim-holder URL RUNNER LEASE_SECONDS JOB...
///
/// Prints `claimed JOB` or `held JOB BY` per job, then `ready`; exits 2 if the state cannot be
/// opened or written.
@main
struct ClaimHolder {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 4, let lease = Int(arguments[2]) else {
            say("usage: postgres-claim-holder URL RUNNER LEASE_SECONDS JOB...")
            exit(64)
        }
        do {
            let state = try await PostgresState.open(url: arguments[0], runner: arguments[1], lease: .seconds(lease))
            for job in arguments[3...] {
                switch try await state.claim(job) {
                case .claimed:
                    try await state.append(LedgerRecord(event: .intent, job: job, digest: "d1", target: "t", api: "milvus-v2"))
                    say("claimed \(job)")
                case .heldElsewhere(let runner, _):
                    say("held \(job) \(runner)")
                }
            }
            say("ready")
            while true { try await Task.sleep(for: .seconds(3600)) }
        } catch {
            say("failed: \(error)")
            exit(2)
        }
    }

    static func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { systemWrite(1, $0.baseAddress, $0.count) }
    }
}
