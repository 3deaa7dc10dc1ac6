import ArgumentParser
import BulkImportKit

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Poll the jobs of the manifests that the ledger says were submitted, and record what they became.",
        discussion: """
            Exit codes: 0 when no job failed (jobs still running are not an error here); 1 when a job failed, \
            is unknown, or its progress could not be read; 64 usage error; 130 interrupted.
            """
    )

    @OptionGroup var manifests: ManifestOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var observability: ObservabilityOptions
    @OptionGroup var stall: StallOptions

    @Flag(help: "Keep polling until every job completes or fails.")
    var wait = false

    @Option(help: "With --wait: seconds between progress polls (with jitter).")
    var pollInterval = 3.0

    func validate() throws {
        try manifests.require(formats: [.text, .json], for: "status")
        if pollInterval <= 0 { throw ValidationError("--poll-interval must be positive") }
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        if failed { throw ExitCode(1) }
        var options = RunOptions()
        options.wait = true
        options.waitTimeout = wait ? nil : .zero
        options.pollInterval = .milliseconds(Int64(pollInterval * 1000))
        options.stallAfter = try stall.threshold()
        let started = ContinuousClock.now
        let metrics = RunMetricsCollector()
        let display = MeteredDisplay(
            display: execution.display(
                total: outcome.jobs.count, following: true, redactor: outcome.redactor, json: manifests.format == .json),
            metrics: metrics)
        let (summary, entries) = try await execution.withExecutor(
            state: outcome.state, use: .follow, options: options, redactor: outcome.redactor, display: display,
            log: observability.requestLogger(redactor: outcome.redactor)
        ) { executor, _ in
            let summary = try await executor.status(outcome.jobs)
            return (summary, observability.metricsFile == nil ? [] : (try? await executor.ledger.entries()) ?? [])
        }
        let formatter = RunEventFormatter()
        let line =
            manifests.format == .json ? formatter.summaryJSON(summary, exitCode: summary.statusExitCode) : formatter.summaryText(summary)
        Terminal.write(line + "\n", to: .stdout)
        let wroteMetrics = observability.writeMetrics(
            MetricsReport(
                jobs: outcome.jobs, entries: entries, tallies: metrics.jobs, durationSeconds: (ContinuousClock.now - started).seconds,
                exitCode: summary.statusExitCode, interrupted: summary.interrupted),
            redactor: outcome.redactor)
        if summary.statusExitCode != 0 { throw ExitCode(summary.statusExitCode) }
        if !wroteMetrics { throw ExitCode(1) }
    }
}
