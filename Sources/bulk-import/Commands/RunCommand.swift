import ArgumentParser
import BulkImportKit

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
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var observability: ObservabilityOptions
    @OptionGroup var stall: StallOptions

    @Option(help: "Submissions in flight at once.")
    var concurrency = 8

    @Flag(help: "Stop submitting after the first failure.")
    var failFast = false

    @Flag(help: "Send again, with the same Idempotency-Key, creates whose outcome is unknown.")
    var retryUnknown = false

    @Flag(help: "Import again jobs the ledger says were already submitted.")
    var resubmit = false

    @Flag(
        help: ArgumentHelp(
            "Do not ask the target whether it already has a job the state holds no id for.",
            discussion:
                "By default such a job is looked up (one list per collection, one progress read per candidate) and adopted when found."))
    var noReconcile = false

    @Flag(help: "Follow the jobs until they complete or fail.")
    var wait = false

    @Option(help: "Seconds between progress polls (with jitter).")
    var pollInterval = 3.0

    @Option(help: "Stop waiting after this many seconds; jobs still running stay in the ledger.")
    var waitTimeout: Double?

    @Option(
        help: ArgumentHelp(
            "With --wait: unfinished jobs kept on one Milvus cluster at once (0: no cap).",
            discussion: "Milvus refuses imports beyond 1024 unfinished jobs per cluster; later jobs wait for earlier ones to end."))
    var maxUnfinished = 768

    func validate() throws {
        try manifests.require(formats: [.text, .json], for: "run")
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if pollInterval <= 0 { throw ValidationError("--poll-interval must be positive") }
        if maxUnfinished < 0 || maxUnfinished > 1024 {
            throw ValidationError("--max-unfinished must be between 0 (no cap) and 1024, the server's own limit")
        }
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        if failed { throw ExitCode(1) }
        let jobs = try selection.select(outcome.jobs, redactor: outcome.redactor)
        var options = RunOptions()
        options.concurrency = concurrency
        options.failFast = failFast
        options.retryUnknown = retryUnknown
        options.resubmit = resubmit
        options.reconcile = !noReconcile
        options.unknownCreateSettles = .seconds(execution.requestTimeout + 5)
        options.wait = wait
        options.pollInterval = .milliseconds(Int64(pollInterval * 1000))
        options.waitTimeout = waitTimeout.map { .milliseconds(Int64($0 * 1000)) }
        options.stallAfter = try stall.threshold()
        options.zillizRequestsPerSecond = execution.zillizRequestsPerSecond
        options.unfinishedJobLimit = maxUnfinished

        let started = ContinuousClock.now
        let metrics = RunMetricsCollector()
        let shown = execution.display(total: jobs.count, following: wait, redactor: outcome.redactor, json: manifests.format == .json)
        // The metrics keep a tally of every job: only worth its memory when they are written.
        let display: any RunDisplay = observability.metricsFile == nil ? shown : MeteredDisplay(display: shown, metrics: metrics)
        let (summary, entries) = try await execution.withExecutor(
            state: outcome.state, use: .record, options: options, redactor: outcome.redactor, display: display,
            log: observability.requestLogger(redactor: outcome.redactor)
        ) { executor, _ in
            let summary = await executor.run(jobs)
            return (summary, observability.metricsFile == nil ? [] : (try? await executor.ledger.entries()) ?? [])
        }
        let formatter = RunEventFormatter()
        let line = manifests.format == .json ? formatter.summaryJSON(summary) : formatter.summaryText(summary)
        Terminal.write(line + "\n", to: .stdout)
        let wroteMetrics = observability.writeMetrics(
            MetricsReport(
                jobs: jobs, entries: entries, tallies: metrics.jobs, durationSeconds: (ContinuousClock.now - started).seconds,
                exitCode: summary.exitCode, interrupted: summary.interrupted),
            redactor: outcome.redactor)
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
        if !wroteMetrics { throw ExitCode(1) }
    }
}
