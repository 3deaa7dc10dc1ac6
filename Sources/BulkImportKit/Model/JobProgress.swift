/// Where an import job is, as the server reports it.
public enum JobState: Sendable, Hashable, CustomStringConvertible {
    case pending
    case importing
    /// Two-phase imports wait here for a commit.
    case uncommitted
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
        case .completed: "Completed"
        case .failed: "Failed"
        case .other(let s): s
        }
    }
}

/// One file's part of a job's progress, with its own failure reason.
public struct FileProgress: Sendable, Hashable {
    public var file: String
    public var state: JobState
    public var progress: Int
    public var reason: String?

    public init(file: String, state: JobState, progress: Int, reason: String? = nil) {
        self.file = file
        self.state = state
        self.progress = progress
        self.reason = reason
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

    public init(
        state: JobState, progress: Int, importedRows: Int? = nil, totalRows: Int? = nil, reason: String? = nil, files: [FileProgress] = []
    ) {
        self.state = state
        self.progress = progress
        self.importedRows = importedRows
        self.totalRows = totalRows
        self.reason = reason
        self.files = files
    }

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
        } else if parts.allSatisfy({ $0.state == .pending }) {
            state = .pending
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
    /// The files of the job, when the API says (Milvus 2.2/2.3).
    public var files: [String]?

    public init(jobID: String, collectionName: String? = nil, state: JobState, progress: Int? = nil, files: [String]? = nil) {
        self.jobID = jobID
        self.collectionName = collectionName
        self.state = state
        self.progress = progress
        self.files = files
    }
}
