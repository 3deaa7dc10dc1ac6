import Foundation

/// One HTTP header line as the client sent it.
public struct RecordedHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A request the test double saw, in the order it finished reading them.
public struct RecordedRequest: Sendable {
    /// 0-based position in the log.
    public var sequence: Int
    public var method: String
    /// The path without the query.
    public var path: String
    /// The query string without `?`, or `nil` when there was none.
    public var query: String?
    public var headers: [RecordedHeader]
    public var body: [UInt8]
    /// When the request had been read completely.
    public var receivedAt: Date
    /// Which API it was routed to, or `nil` when no route matched.
    public var api: ImportAPI?
    /// The fault that was applied to it, if any (``Fault/description``).
    public var fault: String?
    /// The HTTP status answered, or `nil` when no response was sent (a dropped connection, or not
    /// answered yet).
    public var responseStatus: Int?
    /// The business `code` answered (Milvus 2.3: the status `error_code`, 0 on success), when JSON.
    public var responseCode: Int?

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Counters, read with ``ImportTestServer/statistics()``.
public struct ImportTestServerStatistics: Sendable {
    /// Requests read completely so far.
    public var requestCount: Int
    /// Requests read and not yet answered (or dropped).
    public var inFlight: Int
    /// The highest `inFlight` seen since start or ``ImportTestServer/resetStatistics()``.
    public var maxInFlight: Int
    /// Connections accepted so far.
    public var connectionsAccepted: Int
    /// Jobs created, over all APIs.
    public var jobsCreated: Int
    /// Jobs created per collection name, over all APIs and databases.
    public var jobsCreatedPerCollection: [String: Int]
    /// How many created jobs named each file path or URL: a value above 1 is a duplicate import.
    public var importsPerFile: [String: Int]
    /// Create requests answered with an existing job because of their `Idempotency-Key`.
    public var idempotentReplays: Int
}

/// A job's state as the test double reports it.
public enum JobState: String, Sendable, Hashable {
    case pending = "Pending"
    case importing = "Importing"
    /// Two-phase imports (`auto_commit: "false"`): imported, not visible, waiting for a commit.
    case uncommitted = "Uncommitted"
    /// Committed, becoming visible; not terminal.
    case committing = "Committing"
    case completed = "Completed"
    case failed = "Failed"

    public var isTerminal: Bool { self == .completed || self == .failed }
}

/// A job as the test double holds it (for assertions).
public struct JobSnapshot: Sendable {
    public var id: String
    public var api: ImportAPI
    public var dbName: String
    public var collectionName: String
    public var partitionName: String
    public var clusterId: String?
    /// The file groups (Milvus v2), the one group of a Milvus 2.3 task, or one-URL groups (Zilliz).
    public var files: [[String]]
    public var idempotencyKey: String?
    public var createdAt: Date
    /// The state a list call would show now (does not advance a `.polls` timeline).
    public var state: JobState
    public var progress: Int
    public var reason: String?
}
