/// What the ledger knows about one job: the fold of all its records, in file order.
///
/// Only the history of the job's latest digest is kept: a record with another digest
/// starts the fold afresh.
public struct LedgerEntry: Sendable, Hashable {
    /// Where the job stands.
    public enum Status: String, Sendable, CaseIterable {
        /// The create request may have been sent but no id was recorded: treat as ``unknown``
        /// (look the job up on the server before submitting it again).
        case intent
        /// The server accepted the job (ids in ``LedgerEntry/jobIDs``), or it is progressing.
        case submitted
        /// The create request was sent and its outcome is not known.
        case unknown
        /// The job, or its create request, failed (see ``LedgerEntry/lastError``).
        case failed
        /// The server reported the job completed.
        case completed
        /// The job's staged files were cleaned up.
        case cleanedUp
    }

    /// The job's name.
    public var job: String
    /// The digest of the job's latest record.
    public var digest: String
    /// Where the job stands, from its latest record. For per-group jobs (Milvus 2.3 API) the
    /// caller derives the job's real status from the groups.
    public var status: Status
    /// Every id ever recorded for the latest digest, without repeats; ids of per-group records
    /// are ordered by group (ids recorded without a group come first).
    public var jobIDs: [String]
    /// For per-group records: group -> the latest id recorded for that group.
    public var groupIDs: [Int: String]
    /// For per-group records: group -> where that group's create stands (intent, submitted,
    /// unknown or failed), from its latest record.
    public var groupStatus: [Int: Status] = [:]
    /// The highest attempt number recorded for the latest digest.
    public var attempts: Int
    /// The latest error recorded for the latest digest, if any.
    public var lastError: String?
    /// The latest idempotency key recorded for the latest digest, if any.
    public var idempotencyKey: String?
    /// The latest server state recorded for the latest digest, if any.
    public var state: String?
    /// The latest progress (0...100) recorded for the latest digest, if any.
    public var progress: Int?
    /// The generation of the latest digest's latest create (1 for records without one), or 0 when
    /// no create of it was recorded. See ``LedgerRecord/generation``.
    public var generation: Int = 0
    /// For every digest the job ever had: the highest generation recorded for it. A job whose data
    /// goes back to an earlier digest continues that digest's generations, so its key is new.
    public var generations: [String: Int] = [:]
    /// The latest note recorded for the latest digest, if any.
    public var note: String?
    /// Where a two-phase (`auto_commit: false`) job of the latest digest stands, if anywhere.
    public var twoPhase: TwoPhaseMark?
    /// Where in ``jobIDs`` the ids of the latest generation's create begin (``jobIDs`` keeps those
    /// of every generation); see ``currentJobIDs``.
    public var currentIDsStart = 0
    /// When the latest digest's first record was written, in seconds since 1970.
    public var firstRecorded: Double = 0
    /// When the latest digest's latest record was written, in seconds since 1970.
    public var lastRecorded: Double = 0

    /// Creates an entry.
    public init(
        job: String,
        digest: String,
        status: Status,
        jobIDs: [String] = [],
        groupIDs: [Int: String] = [:],
        attempts: Int = 0,
        lastError: String? = nil,
        idempotencyKey: String? = nil,
        state: String? = nil,
        progress: Int? = nil
    ) {
        self.job = job
        self.digest = digest
        self.status = status
        self.jobIDs = jobIDs
        self.groupIDs = groupIDs
        self.attempts = attempts
        self.lastError = lastError
        self.idempotencyKey = idempotencyKey
        self.state = state
        self.progress = progress
    }
}
