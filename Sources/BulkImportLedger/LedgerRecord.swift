import Platform

/// One line of the job ledger: something that happened to one job, in the order it happened.
///
/// Records are appended, never rewritten; the state of a job is the fold of its records
/// (see ``LedgerEntry``). On disk a record is one flat JSON object on its own line; optional
/// fields that are `nil` are left out.
public struct LedgerRecord: Sendable, Hashable {
    /// What happened.
    public enum Event: String, Sendable, CaseIterable {
        /// The create request is about to be sent. Written (durably) before the request, so a crash
        /// between the two leaves a record that says "maybe submitted".
        case intent
        /// The server accepted the job and returned its id(s).
        case submitted
        /// The create request was sent but its outcome is not known (timeout, connection reset...).
        case unknown
        /// The job, or its create request, failed.
        case failed
        /// A progress report from the server.
        case progress
        /// The server reports the job completed.
        case completed
        /// Files staged for the job were cleaned up.
        case cleanedUp = "cleaned-up"
        /// Two-phase imports (see ``LedgerEntry/TwoPhaseMark``): the job's atomic group decided to
        /// commit. Written for every job of the group in one append, before any commit is sent:
        /// one such record in a group means the whole group commits.
        case commitDecided = "commit-decided"
        /// The server accepted the job's commit.
        case committed
        /// The job's atomic group decided to abort (a job failed, or the run was told to), before
        /// any abort is sent.
        case abortDecided = "abort-decided"
        /// The server accepted the job's abort: it ends Failed and imports nothing.
        case aborted
    }

    /// When it happened, in seconds since 1970 (stored with millisecond precision).
    public var time: Double
    /// What happened.
    public var event: Event
    /// The job's name.
    public var job: String
    /// The job's content digest (hex); a new digest means new data and starts a new history.
    public var digest: String
    /// The display name of the target.
    public var target: String
    /// The import API, e.g. `milvus-v2`.
    public var api: String
    /// The job ids the server returned: several for one job on the Milvus 2.3 API (one per file group); may be empty.
    public var jobIDs: [String]
    /// The file group this record is about (Milvus 2.3 API), or `nil` for a record about the whole job.
    public var group: Int?
    /// Which attempt this is, counting from 1.
    public var attempt: Int
    /// The server's state: `Pending`, `Importing`, `Completed`, `Failed`...
    public var state: String?
    /// The server's progress, 0...100.
    public var progress: Int?
    /// What went wrong; already redacted by the caller.
    public var error: String?
    /// The idempotency key sent with the create request, if any.
    public var idempotencyKey: String?
    /// Which deliberate sending of the job's digest this create belongs to, counting from 1: a
    /// retry of the same create keeps it, sending the job again on purpose (after it failed, with
    /// `--resubmit`) takes the next. `nil` in records written before generations existed: read as 1.
    public var generation: Int?
    /// Why the record was written, when it was not the tool's own step: "adopted from the server",
    /// "resolved by an operator: ...". Already redacted by the caller.
    public var note: String?

    /// Creates a record.
    public init(
        time: Double = WallClock.now(),
        event: Event,
        job: String,
        digest: String,
        target: String,
        api: String,
        jobIDs: [String] = [],
        group: Int? = nil,
        attempt: Int = 1,
        state: String? = nil,
        progress: Int? = nil,
        error: String? = nil,
        idempotencyKey: String? = nil,
        generation: Int? = nil,
        note: String? = nil
    ) {
        self.time = time
        self.event = event
        self.job = job
        self.digest = digest
        self.target = target
        self.api = api
        self.jobIDs = jobIDs
        self.group = group
        self.attempt = attempt
        self.state = state
        self.progress = progress
        self.error = error
        self.idempotencyKey = idempotencyKey
        self.generation = generation
        self.note = note
    }
}
