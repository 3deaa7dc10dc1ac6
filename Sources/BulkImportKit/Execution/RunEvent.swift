/// What happens during a run, as it happens. Observers print these as lines, JSON or a display.
public enum RunEvent: Sendable {
    /// Already done in an earlier run; not sent again.
    case skipped(job: String, reason: String)
    /// The job changed since an earlier run (same name, new content); it is submitted again.
    case changed(job: String, previousDigest: String)
    /// The job's first create is about to be sent.
    case started(job: String)
    /// The job waits for one of its cluster's unfinished jobs to end (the cap of `limit`).
    case waitingForSlot(job: String, target: String, limit: Int)
    case submitted(job: String, jobIDs: [String])
    /// The target already had the job (a create whose id was never recorded, or a state that was
    /// lost): recorded with the target's ids and not created again.
    case adopted(job: String, jobIDs: [String], note: String)
    /// Another runner sharing the state holds the job: this run leaves it alone.
    case claimedElsewhere(job: String, runner: String, secondsLeft: Double)
    case retrying(job: String, attempt: Int, delaySeconds: Double, error: String, clamped: Bool)
    /// The server refused the job.
    case failed(job: String, error: String)
    /// The create may or may not have created a job: not resent without --retry-unknown.
    case unknown(job: String, error: String, advice: String)
    case progress(job: String, progress: JobProgress)
    case completed(job: String, progress: JobProgress)
    /// The import ran and failed on the server.
    case importFailed(job: String, progress: JobProgress)
    /// The server no longer knows the job (finished jobs are cleaned up after some hours).
    case cleanedUp(job: String, jobID: String)
    /// Waiting stopped before the job ended.
    case stillRunning(job: String, progress: JobProgress?)
    /// Something worth saying about a job that is neither a success nor a failure.
    case note(job: String, message: String)
    /// Following a job: its progress could not be read (after retries); it is polled again.
    case pollFailed(job: String, error: String)
    /// Following a job: its progress has not changed for `seconds` (`--stall-after`). Said once per
    /// stall; the job's next change of progress ends the stall. `progress` is the latest answer,
    /// with its files' states.
    case stalled(job: String, progress: JobProgress, seconds: Double)
    /// Ctrl-C: no new submissions.
    case interrupted
}

/// What is known of a job beside this run's events: what the state recorded of it before (its ids
/// and when it was submitted), or that this run never sent it and why. Displays use it for their
/// tables; a log line needs none of it.
public struct JobStanding: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// The state holds the job as submitted (running on the server, as far as it knows).
        case submitted
        case completed
        case failed
        /// The state holds a create whose outcome is unknown.
        case unknown
        case cleanedUp
        /// This run did not send it: `reason` says why (Ctrl-C, a target that refused the credentials, never run).
        case notSubmitted(reason: String)
    }

    public var job: String
    public var status: Status
    public var jobIDs: [String]
    /// When the job was submitted (the state's first record of it), in seconds since 1970.
    public var submittedAt: Double?
    /// When the state recorded the job's end, in seconds since 1970.
    public var endedAt: Double?
    /// What a table says beside the job (why it was not submitted is in its status).
    public var note: String?

    public init(
        job: String, status: Status, jobIDs: [String] = [], submittedAt: Double? = nil, endedAt: Double? = nil, note: String? = nil
    ) {
        self.job = job
        self.status = status
        self.jobIDs = jobIDs
        self.submittedAt = submittedAt
        self.endedAt = endedAt
        self.note = note
    }

    /// What `entry` says of its job.
    init(_ entry: LedgerEntry) {
        let status: Status
        switch entry.status {
        case .submitted: status = .submitted
        case .completed: status = .completed
        case .failed: status = .failed
        case .intent, .unknown: status = .unknown
        case .cleanedUp: status = .cleanedUp
        }
        let ended = [.completed, .failed, .cleanedUp].contains(entry.status)
        self.init(
            job: entry.job, status: status, jobIDs: entry.jobIDs, submittedAt: entry.firstRecorded > 0 ? entry.firstRecorded : nil,
            endedAt: ended && entry.lastRecorded > 0 ? entry.lastRecorded : nil)
    }
}

/// Receives run events. Called from many tasks at once.
public protocol RunObserver: Sendable {
    func handle(_ event: RunEvent)
    /// Takes in what is known of a job beside the events (see ``JobStanding``); called before the
    /// job's events of this run. Observers that print only events ignore it.
    func standing(_ standing: JobStanding)
}

extension RunObserver {
    public func standing(_ standing: JobStanding) {}
}

/// What a run did, for the summary and the exit code.
public struct RunSummary: Sendable, Hashable {
    public var selected = 0
    public var submitted = 0
    public var skipped = 0
    /// Jobs the target already had, recorded instead of created.
    public var adopted = 0
    /// Jobs another runner sharing the state held.
    public var claimedElsewhere = 0
    public var failed = 0
    public var unknown = 0
    public var notSubmitted = 0
    public var completed = 0
    public var importFailed = 0
    public var stillRunning = 0
    public var cleanedUp = 0
    /// Jobs whose progress could not be read when waiting stopped.
    public var unreadable = 0
    public var interrupted = false

    public init() {}

    /// The counts that are not zero, in a fixed order, e.g. `["4 completed", "2 not submitted"]`:
    /// what every summary of a run says after the number of jobs selected.
    public var counts: [String] {
        let all: [(Int, String)] = [
            (submitted, "submitted"), (skipped, "skipped"), (adopted, "adopted"), (claimedElsewhere, "claimed by other runners"),
            (failed, "failed"), (unknown, "unknown"), (notSubmitted, "not submitted"), (completed, "completed"),
            (importFailed, "failed on the server"), (stillRunning, "still running"), (cleanedUp, "cleaned up"),
            (unreadable, "unreadable"),
        ]
        return all.filter { $0.0 != 0 }.map { "\($0.0) \($0.1)" }
    }

    /// 0 when every selected job was submitted (and, when waiting, completed); 1 when any failed or
    /// is unknown; 130 after Ctrl-C.
    public var exitCode: Int32 {
        if interrupted { return 130 }
        return failed + unknown + importFailed + stillRunning + notSubmitted + unreadable > 0 ? 1 : 0
    }

    /// For `status`: jobs still running are not an error there, everything else is as for `run`.
    public var statusExitCode: Int32 {
        if interrupted { return 130 }
        return failed + unknown + importFailed + unreadable > 0 ? 1 : 0
    }
}
