import Platform
import Prometheus

/// A run or status in the Prometheus text exposition format, for node_exporter's textfile
/// collector and pushgateway users (`--metrics-file`).
///
/// Every value describes this run and is a gauge: jobs by state and target, the rows this run saw
/// imported, retries, unknown outcomes and adopted jobs by target, the duration, the exit code and
/// when the run ended. Each target has every state, at 0 when no job is in it, so an alert on
/// `bulk_import_jobs{state="failed"} > 0` never loses its series. The text is written by
/// swift-prometheus, which escapes label values (`\`, `"` and line feeds in a target's name).
public struct MetricsReport: Sendable {
    /// Where a job stands at the end of the run.
    public enum JobState: String, Sendable, Hashable, CaseIterable {
        /// Nothing is recorded for the job as it is now (never run, or changed since).
        case notSubmitted = "not_submitted"
        /// The target has the job: accepted, or importing.
        case submitted
        case completed
        /// The create was refused, or the import failed on the server.
        case failed
        /// The create may or may not have created a job.
        case unknown
        /// The server no longer knows the job.
        case cleanedUp = "cleaned_up"

        init(_ status: LedgerEntry.Status) {
            switch status {
            case .intent, .unknown: self = .unknown
            case .submitted: self = .submitted
            case .failed: self = .failed
            case .completed: self = .completed
            case .cleanedUp: self = .cleanedUp
            }
        }
    }

    /// The jobs the command was about.
    public var jobs: [ImportJob]
    /// The state's entries at the end of the run; a job's latest event, if any, wins over them.
    public var entries: [LedgerEntry]
    /// What the run's events said about each job.
    public var tallies: [String: RunMetricsCollector.JobTally]
    public var durationSeconds: Double
    public var exitCode: Int32
    public var interrupted: Bool
    /// When the run ended, in seconds since 1970.
    public var timestamp: Double

    public init(
        jobs: [ImportJob], entries: [LedgerEntry], tallies: [String: RunMetricsCollector.JobTally], durationSeconds: Double,
        exitCode: Int32, interrupted: Bool, timestamp: Double = WallClock.now()
    ) {
        self.jobs = jobs
        self.entries = entries
        self.tallies = tallies
        self.durationSeconds = durationSeconds
        self.exitCode = exitCode
        self.interrupted = interrupted
        self.timestamp = timestamp
    }

    /// The target name a job's series are labelled with: the manifest's name, masked, and clipped
    /// only when it is absurdly long (escaping is the format's job).
    static func targetLabel(_ job: ImportJob, redactor: Redactor) -> String {
        let name = redactor.redact(job.target.name ?? "(inline)")
        return name.unicodeScalars.count > 200 ? name.clipped(to: 200) : name
    }

    /// Each job's state at the end: its latest event's, else its state's entry for its current
    /// digest, else ``JobState/notSubmitted``.
    public func states() -> [String: JobState] {
        let recorded = Dictionary(entries.map { ($0.job, $0) }, uniquingKeysWith: { $1 })
        var states: [String: JobState] = [:]
        for job in jobs {
            if let state = tallies[job.name]?.state {
                states[job.name] = state
            } else if let entry = recorded[job.name], entry.digest == JobDigest.digest(of: job) {
                states[job.name] = JobState(entry.status)
            } else {
                states[job.name] = .notSubmitted
            }
        }
        return states
    }

    /// The report in the text exposition format, every target name masked by `redactor`.
    public func render(redactor: Redactor = Redactor()) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        let states = states()
        var jobCounts: [String: [JobState: Int]] = [:]
        var rows: [String: Int] = [:]
        var retries: [String: Int] = [:]
        var unknown: [String: Int] = [:]
        var adopted: [String: Int] = [:]
        for job in jobs {
            let target = Self.targetLabel(job, redactor: redactor)
            jobCounts[target, default: [:]][states[job.name] ?? .notSubmitted, default: 0] += 1
            let tally = tallies[job.name] ?? RunMetricsCollector.JobTally()
            rows[target, default: 0] += tally.rowsImported ?? 0
            retries[target, default: 0] += tally.retries
            unknown[target, default: 0] += tally.unknownOutcome ? 1 : 0
            adopted[target, default: 0] += tally.adopted ? 1 : 0
        }
        for (target, counts) in jobCounts {
            for state in JobState.allCases {
                Self.gauge(
                    registry, "bulk_import_jobs", labels: [("state", state.rawValue), ("target", target)],
                    help: "Jobs of the manifests by the state they are in at the end of the run, by target."
                ).set(Int64(counts[state] ?? 0))
            }
        }
        let perTarget: [(String, String, [String: Int])] = [
            ("bulk_import_rows_imported", "Rows the jobs this run followed had imported when last seen, by target.", rows),
            ("bulk_import_retries", "Requests this run sent again after a failure that is safe to retry, by target.", retries),
            ("bulk_import_unknown_outcomes", "Jobs whose create may or may not have created a job, by target.", unknown),
            ("bulk_import_jobs_adopted", "Jobs the target already had, recorded instead of created again, by target.", adopted),
        ]
        for (name, help, values) in perTarget {
            for (target, value) in values {
                Self.gauge(registry, name, labels: [("target", target)], help: help).set(Int64(value))
            }
        }
        Self.gauge(registry, "bulk_import_run_duration_seconds", help: "How long the run took, in seconds.").set(durationSeconds)
        Self.gauge(registry, "bulk_import_run_exit_code", help: "The exit code of the run (0 success, 1 failures, 130 interrupted).")
            .set(Int64(exitCode))
        Self.gauge(registry, "bulk_import_run_interrupted", help: "1 when the run was interrupted (Ctrl-C), else 0.")
            .set(Int64(interrupted ? 1 : 0))
        Self.gauge(registry, "bulk_import_last_run_timestamp_seconds", help: "When the run ended, in seconds since 1970.")
            .set(timestamp)
        return registry.emitToBuffer()
    }

    /// A gauge named in full (`unitName` empty: the names above already end in their unit).
    private static func gauge(
        _ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = [], help: String
    ) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// Writes ``render(redactor:)`` to `path` atomically: into a temporary file beside it, synced,
    /// then renamed over it, so a collector reading the folder never sees half a file.
    ///
    /// - Throws: ``MetricsFileError`` naming the file and what the system said.
    public func write(to path: String, redactor: Redactor = Redactor()) throws(MetricsFileError) {
        try Self.writeAtomically(render(redactor: redactor), to: path)
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(MetricsFileError) {
        // node_exporter's textfile collector reads only *.prom files: the temporary name is not one.
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MetricsFileError(path: path, reason: errnoMessage()) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = errnoMessage()
                close(fd)
                unlink(temporary)
                throw MetricsFileError(path: path, reason: reason)
            }
            offset += n
        }
        let synced = fsync(fd) == 0 ? nil : errnoMessage()
        let closed = close(fd) == 0 ? nil : errnoMessage()
        if let reason = synced ?? closed {
            unlink(temporary)
            throw MetricsFileError(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoMessage()
            unlink(temporary)
            throw MetricsFileError(path: path, reason: reason)
        }
    }
}

/// The metrics file could not be written.
public struct MetricsFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String {
        "could not write the metrics to \(quoted: path): \(reason); check that its folder exists and is writable, or change --metrics-file"
    }
}
