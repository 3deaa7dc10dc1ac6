/// Where an import job is, as the server reports it.
///
/// Milvus (`internal/datacoord/import_util.go`, `GetJobProgress`) reports `Pending`, `Importing`
/// (pre-import, import, sort and the index build all show as `Importing`), and, for a two-phase
/// job (`auto_commit=false`), `Uncommitted` then `Committing` at 99 % before `Completed`; an
/// auto-commit job shows `Importing` at 99 there instead. Only `Completed` and `Failed` end a job.
public enum JobState: Sendable, Hashable, CustomStringConvertible {
    case pending
    case importing
    /// Two-phase imports wait here for a commit (or an abort); not an end.
    case uncommitted
    /// A two-phase import whose commit is being applied; not an end.
    case committing
    case completed
    case failed
    /// A state this tool does not know, as the server spelled it.
    case other(String)

    public init(serverName: String) {
        switch serverName.lowercased() {
        case "pending", "importpending": self = .pending
        case "importing", "importrunning", "started", "persisted", "flushed", "preimporting", "indexbuilding", "sorting":
            self = .importing
        case "uncommitted": self = .uncommitted
        case "committing": self = .committing
        case "completed", "importcompleted": self = .completed
        case "failed", "importfailed", "failedandcleaned": self = .failed
        default: self = .other(serverName)
        }
    }

    /// Completed and Failed are the ends; nothing follows them.
    public var isTerminal: Bool { self == .completed || self == .failed }

    public var description: String {
        switch self {
        case .pending: "Pending"
        case .importing: "Importing"
        case .uncommitted: "Uncommitted"
        case .committing: "Committing"
        case .completed: "Completed"
        case .failed: "Failed"
        case .other(let s): s
        }
    }
}

/// Where one file group of a job is: Milvus reports the state of the task that imports it
/// (`GetTaskProgresses` in `internal/datacoord/import_util.go`, `ImportTaskStateV2`), so
/// `Pending`, `InProgress`, `Retry` (an attempt failed and the server tries again: not a failure),
/// `Completed` or `Failed`. Zilliz Cloud spells its files' states like a job's.
public enum FileState: Sendable, Hashable, CustomStringConvertible {
    case pending
    case inProgress
    /// The server retries the group's task after a failed attempt; the job goes on.
    case retry
    case completed
    case failed
    /// A state this tool does not know (or none given), as the server spelled it.
    case other(String)

    public init(serverName: String) {
        switch serverName.lowercased() {
        case "pending", "importpending": self = .pending
        case "inprogress", "in_progress", "importing", "running", "preimporting": self = .inProgress
        case "retry", "retrying": self = .retry
        case "completed", "importcompleted": self = .completed
        case "failed", "importfailed": self = .failed
        // No state given: said as "?", as a group without a name is.
        case "": self = .other("?")
        default: self = .other(serverName)
        }
    }

    public var description: String {
        switch self {
        case .pending: "Pending"
        case .inProgress: "InProgress"
        case .retry: "Retry"
        case .completed: "Completed"
        case .failed: "Failed"
        case .other(let s): s
        }
    }
}

/// One file group's part of a job's progress, with its own failure reason.
public struct FileProgress: Sendable, Hashable {
    /// The group's name as the server wrote it: `[a/1.parquet]`, `[a.npy b.npy]`,
    /// `id:1 paths:"a.npy" paths:"b.npy"`, or an object url.
    public var file: String
    public var state: FileState
    public var progress: Int
    public var reason: String?
    /// The paths of the group, read out of ``file`` by the API's client; empty when it could not.
    public var paths: [String]
    /// Rows of the group imported so far: Milvus estimates it from the group's task
    /// (`progress * totalRows / 100`), so it is a guide, not a count.
    public var importedRows: Int?
    /// Rows of the group; 0 when the server did not count them (backup imports skip the count).
    public var totalRows: Int?
    /// When the group's task ended, as the server wrote it; nil when it did not say (newer servers
    /// send `""`, also for finished groups).
    public var completeTime: String?

    public init(
        file: String, state: FileState, progress: Int, reason: String? = nil, paths: [String] = [], importedRows: Int? = nil,
        totalRows: Int? = nil, completeTime: String? = nil
    ) {
        self.file = file
        self.state = state
        self.progress = progress
        self.reason = reason
        self.paths = paths
        self.importedRows = importedRows
        self.totalRows = totalRows
        self.completeTime = completeTime
    }
}

/// A job's progress.
public struct JobProgress: Sendable, Hashable {
    public var state: JobState
    /// 0 to 100.
    public var progress: Int
    public var importedRows: Int?
    public var totalRows: Int?
    public var reason: String?
    public var files: [FileProgress]
    /// For a failed job: the last progress seen while it ran. Milvus answers a `Failed` job with
    /// progress, imported and total rows all 0 (`GetJobProgress` in
    /// `internal/datacoord/import_util.go`), so how far it got is only known from before.
    public var lastSeen: SeenProgress?

    public init(
        state: JobState, progress: Int, importedRows: Int? = nil, totalRows: Int? = nil, reason: String? = nil, files: [FileProgress] = [],
        lastSeen: SeenProgress? = nil
    ) {
        self.state = state
        self.progress = progress
        self.importedRows = importedRows
        self.totalRows = totalRows
        self.reason = reason
        self.files = files
        self.lastSeen = lastSeen
    }

    /// How far a job had got when it was last seen moving.
    public struct SeenProgress: Sendable, Hashable {
        /// 0 to 100.
        public var progress: Int
        public var importedRows: Int?
        public var totalRows: Int?

        public init(progress: Int, importedRows: Int? = nil, totalRows: Int? = nil) {
            self.progress = progress
            self.importedRows = importedRows
            self.totalRows = totalRows
        }
    }

    /// Whether the answer says nothing of how far the job got: no progress and no rows (how
    /// Milvus answers for every `Failed` job).
    public var isZeroed: Bool {
        progress == 0 && (importedRows ?? 0) == 0 && (totalRows ?? 0) == 0
    }

    /// This progress with ``lastSeen`` filled from `earlier` when this answer is a zeroed failure
    /// and `earlier` had got somewhere.
    public func keepingLastSeen(_ earlier: SeenProgress?) -> JobProgress {
        guard state == .failed, isZeroed, lastSeen == nil, let earlier,
            earlier.progress > 0 || (earlier.importedRows ?? 0) > 0
        else { return self }
        var p = self
        p.lastSeen = earlier
        return p
    }

    /// This progress as a ``SeenProgress``.
    public var seen: SeenProgress { SeenProgress(progress: progress, importedRows: importedRows, totalRows: totalRows) }

    /// The progress of a job made of several tasks (the Milvus 2.3 API's one task per group):
    /// failed if any failed, completed when all completed, progress weighted by group.
    public static func combining(_ parts: [JobProgress]) -> JobProgress {
        guard let first = parts.first else { return JobProgress(state: .pending, progress: 0) }
        if parts.count == 1 { return first }
        let state: JobState
        if parts.contains(where: { $0.state == .failed }) {
            state = .failed
        } else if parts.allSatisfy({ $0.state == .completed }) {
            state = .completed
        } else if let common = parts.first?.state, parts.allSatisfy({ $0.state == common }) {
            state = common
        } else {
            state = .importing
        }
        let progress = parts.reduce(0) { $0 + $1.progress } / parts.count
        let rows = parts.compactMap(\.importedRows)
        let totals = parts.compactMap(\.totalRows)
        let reasons = parts.compactMap(\.reason)
        return JobProgress(
            state: state, progress: progress,
            importedRows: rows.isEmpty ? nil : rows.reduce(0, +),
            totalRows: totals.isEmpty ? nil : totals.reduce(0, +),
            reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
            files: parts.flatMap(\.files))
    }
}

/// One job in a target's job list.
public struct ListedJob: Sendable, Hashable {
    public var jobID: String
    public var collectionName: String?
    public var state: JobState
    /// 0 to 100, when the API says.
    public var progress: Int?
    /// The files of the job, when the API says (Milvus 2.2/2.3 list them; `list --files` adds them
    /// from the job's progress elsewhere).
    public var files: [String]?
    /// When the server created the job, in seconds since 1970, when the API says (Milvus 2.2/2.3:
    /// `create_ts`; no other API lists it).
    public var createdAt: Int?
    /// The partition, when the API says (Milvus 2.2/2.3).
    public var partitionName: String?
    /// Why the job failed, when the list says.
    public var reason: String?

    public init(
        jobID: String, collectionName: String? = nil, state: JobState, progress: Int? = nil, files: [String]? = nil,
        createdAt: Int? = nil, partitionName: String? = nil, reason: String? = nil
    ) {
        self.jobID = jobID
        self.collectionName = collectionName
        self.state = state
        self.progress = progress
        self.files = files
        self.createdAt = createdAt
        self.partitionName = partitionName
        self.reason = reason
    }
}

/// Every job a target lists for a collection, read page by page, and whether that is all of them.
public struct JobListing: Sendable, Hashable {
    public var jobs: [ListedJob]
    /// Why the listing may not hold every job the target has (pages left unread); nil when complete.
    public var incomplete: String?

    public init(jobs: [ListedJob], incomplete: String? = nil) {
        self.jobs = jobs
        self.incomplete = incomplete
    }
}
