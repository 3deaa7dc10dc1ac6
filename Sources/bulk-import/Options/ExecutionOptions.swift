import ArgumentParser
import BulkImportKit

/// Options shared by the commands that talk to servers.
struct ExecutionOptions: ParsableArguments {
    @Option(help: "Seconds a request may take before it counts as timed out (also sent to Milvus as Request-Timeout).")
    var requestTimeout = 60

    @Option(
        help: ArgumentHelp(
            "With a PostgreSQL state: seconds a job stays claimed by a runner that stops renewing its claims (killed, cut off).",
            discussion: "Claims are renewed every third of this while the runner lives; another runner takes the jobs after it."))
    var claimLease = 30.0

    @Option(help: "Requests a second to one Zilliz Cloud endpoint.")
    var zillizRequestsPerSecond = 20.0

    @Option(help: "Progress: live (one line per active job, redrawn in place), lines (one per state change) or auto (live on a terminal).")
    var progress: ProgressStyle = .auto

    func validate() throws {
        if !(claimLease >= 1) { throw ValidationError("--claim-lease must be at least 1 second") }
        if requestTimeout < 1 { throw ValidationError("--request-timeout must be at least 1 second") }
    }

    /// The display for `total` jobs: JSON events, a live display on a terminal, or lines.
    func display(total: Int, following: Bool, redactor: Redactor, json: Bool) -> any RunDisplay {
        if json { return PrintingObserver(redactor: redactor, json: true) }
        switch progress {
        case .live: return LiveDisplay(total: total, following: following, redactor: redactor)
        case .lines: return PrintingObserver(redactor: redactor, json: false)
        case .auto:
            return Terminal.isInteractive(.stdout)
                ? LiveDisplay(total: total, following: following, redactor: redactor)
                : PrintingObserver(redactor: redactor, json: false)
        }
    }

    func withExecutor<T: Sendable>(
        state: StateLocation?, use: Connections.StateUse, options: RunOptions, redactor: Redactor, display: any RunDisplay,
        log: RequestLogger = .disabled, _ body: (ImportExecutor, InterruptFlag) async throws -> T
    ) async throws -> T {
        let ledger = try await Connections.openState(
            state, use: use, redactor: redactor, lease: .milliseconds(Int64(claimLease * 1000)))
        let client = Connections.client(requestTimeout: requestTimeout, log: log)
        let interrupt = InterruptFlag()
        let executor = ImportExecutor(
            service: client.service, ledger: ledger, builder: client.builder, options: options,
            observer: display, interrupt: interrupt, redactor: redactor)
        await Signals.onInterrupt(interrupt, display: display)
        do {
            let result = try await body(executor, interrupt)
            display.finish()
            await client.shutdown()
            await ledger.close()
            return result
        } catch {
            display.finish()
            await client.shutdown()
            await ledger.close()
            throw error
        }
    }
}
