import BulkImportKit
import Dispatch
import Platform
import UnixSignals

/// Ctrl-C (or SIGTERM) in two stages, as swift-service-lifecycle models them: the first is a graceful
/// shutdown (no new submissions; requests in flight get 10 s to finish), the second exits at once.
/// The second does not wait for the creates in flight, which are never cancelled (see `Submitter`):
/// every ledger record is already durable, and their intents make the next run call them unknown.
enum Signals {
    static func onInterrupt(_ flag: InterruptFlag, display: any RunDisplay) async {
        // A file-size limit (ulimit -f) must fail the ledger's write, which stops the run with a
        // message, instead of killing the process with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        // Ignored, so that only the sequence below sees them.
        for sig in [SIGINT, SIGTERM] { signal(sig, SIG_IGN) }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        Task.detached {
            for await _ in signals {
                if flag.isSet {
                    Terminal.write("\ninterrupted again: exiting now; the ledger is consistent\n", to: .stderr, redactor: Redactor())
                    exit(130)
                }
                flag.set()
                display.note("interrupted: no new submissions; waiting up to 10 s for requests in flight (Ctrl-C again to exit now)")
                DispatchQueue.global().asyncAfter(deadline: .now() + 10) { exit(130) }
            }
        }
    }
}
