import ArgumentParser
import BulkImportKit
import Dispatch
import UnixSignals

import Platform

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Submit the jobs of the manifests, never the same data twice, and optionally follow them to the end.",
        discussion: """
            Every step is recorded in the ledger (--state) before and after it happens: a re-run skips jobs \
            already submitted, resubmits failed ones, and leaves creates whose outcome is unknown alone \
            unless --retry-unknown.
            Exit codes: 0 every selected job submitted (and, with --wait, completed); 1 any failed or unknown; \
            64 usage error; 130 interrupted (Ctrl-C).
            """
    )

    @OptionGroup var manifests: ManifestOptions
    @OptionGroup var execution: ExecutionOptions

    @Option(help: "Submissions in flight at once.")
    var concurrency = 8

    @Flag(help: "Stop submitting after the first failure.")
    var failFast = false

    @Flag(help: "Send again, with the same Idempotency-Key, creates whose outcome is unknown.")
    var retryUnknown = false

    @Flag(help: "Import again jobs the ledger says were already submitted.")
    var resubmit = false

    @Flag(help: "Follow the jobs until they complete or fail.")
    var wait = false

    @Option(help: "Seconds between progress polls (with jitter).")
    var pollInterval = 3.0

    @Option(help: "Stop waiting after this many seconds; jobs still running stay in the ledger.")
    var waitTimeout: Double?

    @Option(help: ArgumentHelp(
        "With --wait: unfinished jobs kept on one Milvus cluster at once (0: no cap).",
        discussion: "Milvus refuses imports beyond 1024 unfinished jobs per cluster; later jobs wait for earlier ones to end."))
    var maxUnfinished = 768

    @Option(name: .customLong("job"), help: "Only jobs whose name matches this glob (repeatable).")
    var jobPatterns: [String] = []

    @Option(help: "Take a stable share K/N of the jobs (by name), to spread one manifest over N machines.")
    var shard: String?

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if pollInterval <= 0 { throw ValidationError("--poll-interval must be positive") }
        if maxUnfinished < 0 || maxUnfinished > 1024 {
            throw ValidationError("--max-unfinished must be between 0 (no cap) and 1024, the server's own limit")
        }
        if let shard, JobSelection.parseShard(shard) == nil { throw ValidationError("--shard takes K/N with 1 <= K <= N, e.g. 2/4") }
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        if failed { throw ExitCode(1) }
        let selection = JobSelection(patterns: jobPatterns, shard: shard.flatMap(JobSelection.parseShard))
        // Without --job or --shard every job runs: no copy of the list.
        let jobs = jobPatterns.isEmpty && shard == nil ? outcome.jobs : outcome.jobs.filter { selection.includes($0.name) }
        if jobs.isEmpty && !outcome.jobs.isEmpty {
            Terminal.write("no job matches the selection (--job/--shard)\n", to: .stderr, redactor: outcome.redactor)
        }
        var options = RunOptions()
        options.concurrency = concurrency
        options.failFast = failFast
        options.retryUnknown = retryUnknown
        options.resubmit = resubmit
        options.wait = wait
        options.pollInterval = .milliseconds(Int64(pollInterval * 1000))
        options.waitTimeout = waitTimeout.map { .milliseconds(Int64($0 * 1000)) }
        options.zillizRequestsPerSecond = execution.zillizRequestsPerSecond
        options.unfinishedJobLimit = maxUnfinished

        let display = execution.display(total: jobs.count, following: wait, redactor: outcome.redactor, json: manifests.format == .json)
        let summary = try await execution.withExecutor(options: options, redactor: outcome.redactor, display: display) { executor, _ in
            await executor.run(jobs)
        }
        let formatter = RunEventFormatter()
        let line = manifests.format == .json ? formatter.summaryJSON(summary) : formatter.summaryText(summary)
        Terminal.write(line + "\n", to: .stdout, redactor: outcome.redactor)
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// Options shared by the commands that talk to servers.
struct ExecutionOptions: ParsableArguments {
    @Option(help: "The ledger of submitted jobs.")
    var state = ".bulk-import/state.jsonl"

    @Option(help: "Seconds a request may take before it counts as timed out (also sent to Milvus as Request-Timeout).")
    var requestTimeout = 60

    @Option(help: "Requests a second to one Zilliz Cloud endpoint.")
    var zillizRequestsPerSecond = 20.0

    @Option(help: "Progress: live (one line per active job, redrawn in place), lines (one per state change) or auto (live on a terminal).")
    var progress: ProgressStyle = .auto

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
        options: RunOptions, redactor: Redactor, display: any RunDisplay,
        _ body: (ImportExecutor, InterruptFlag) async throws -> T
    ) async throws -> T {
        let ledger: Ledger
        do {
            ledger = try Ledger.open(path: state)
        } catch {
            throw ToolError("\(error)")
        }
        for warning in await ledger.warnings {
            Terminal.write("warning: \(state): \(warning)\n", to: .stderr, redactor: redactor)
        }
        let transport = AsyncHTTPTransport()
        let builder = RequestBuilder(requestTimeoutSeconds: requestTimeout)
        let service = HTTPImportService(transport: transport, builder: builder, timeout: .seconds(requestTimeout + 5))
        let interrupt = InterruptFlag()
        let executor = ImportExecutor(
            service: service, ledger: ledger, builder: builder, options: options,
            observer: display, interrupt: interrupt)
        await Signals.onInterrupt(interrupt, display: display)
        do {
            let result = try await body(executor, interrupt)
            display.finish()
            await transport.shutdown()
            await ledger.close()
            return result
        } catch {
            display.finish()
            await transport.shutdown()
            await ledger.close()
            throw error
        }
    }
}

/// A failure of the tool itself, printed as `Error: ...` with exit 1.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

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
