/// Which of the import APIs a request or a job belongs to.
public enum ImportAPI: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Self-hosted Milvus, REST v2 (`/v2/vectordb/jobs/import/...`), numeric job ids.
    case milvusV2
    /// Milvus 2.2 and 2.3, the older HTTP API on the metrics port (`/api/v1/import...`), int64 task ids.
    case milvusLegacy
    /// Zilliz Cloud v2 control plane (`/v2/vectordb/jobs/import/...` with `clusterId`), `job-...` ids.
    case zillizV2
    /// Zilliz Cloud legacy v1 data plane (`/v1/vector/collections/import...`), `job-...` ids.
    case zillizV1

    public var description: String { rawValue }
}

/// How a job moves from `Pending` through `Importing` to its terminal state.
public enum JobTimeline: Sendable, Hashable {
    /// Terminal on the first look: every progress query sees `Completed` (or `Failed`).
    case immediate
    /// By wall time since the job was created: `Pending` for the first tenth of the duration, then
    /// `Importing` with the progress rising from 10 to 99, then terminal. Listing shows the same.
    case duration(Duration)
    /// By progress queries on the job (describe/getProgress/state/get; a list does not count): the
    /// first query sees `Pending`, later ones `Importing`, and the n-th query (and all after it) sees
    /// the terminal state. `.polls(1)` is terminal on the first query.
    case polls(Int)
}

/// Test-double settings. Every field can be changed while the server runs with
/// ``ImportTestServer/update(_:)``.
public struct ImportTestServerConfiguration: Sendable {
    /// When set, Milvus REST v2 calls need `Authorization: Bearer <token>` (else HTTP 401, code 1800),
    /// Zilliz v2 calls answer code 21119 and Zilliz v1 calls code 80001 (missing) or 80002 (wrong).
    /// The Milvus 2.2/2.3 `/api/v1` API (the metrics port) never asks for auth.
    public var token: String?
    /// When set, a create naming another collection is refused (Milvus v2 and Zilliz: code 100;
    /// Milvus 2.3: the `collection not found[...]` status). `nil` accepts every name.
    public var knownCollections: Set<String>?
    /// When set, Milvus v2 calls on another database answer code 800. `"default"` is always known.
    public var knownDatabases: Set<String>?
    /// When set, Zilliz calls naming another `clusterId` answer code 96018 (cluster not found).
    public var knownClusters: Set<String>?
    /// Whether Milvus v2 create honours `Idempotency-Key` (as Milvus 2.6.24+ and 3.0.2+ do): the same
    /// key on the same database and collection answers the first job's id, even when that job
    /// failed, and creates nothing. Older servers ignore the header.
    public var honoursIdempotencyKey: Bool
    /// Added to every request before it is answered (scheduled on the event loop, no thread sleeps).
    public var latency: Duration
    /// How jobs progress.
    public var jobTimeline: JobTimeline
    /// A job any of whose file paths or URLs contains this text ends `Failed` instead of `Completed`,
    /// with a `reason` and per-file details naming that file. `nil` or empty: no job fails.
    public var failMarker: String?
    /// The cause written into the failure reason of such a job.
    public var failureReason: String
    /// At most this many unfinished Milvus jobs (REST v2 and 2.3 tasks together); a create beyond it
    /// answers code 2100 "The number of jobs has reached the limit...". `nil`: no limit.
    public var unfinishedJobLimit: Int?
    /// At most this many file groups per Milvus v2 create (code 2100 beyond), and URLs per Zilliz
    /// v2 create.
    public var maxFilesPerRequest: Int
    /// Rows reported per imported file (group), for `totalRows`/`importedRows`/`row_count`.
    public var rowsPerFile: Int
    /// Bytes reported per imported file (group).
    public var bytesPerFile: Int
    /// Whether to keep every request in the log returned by ``ImportTestServer/requests()``.
    public var recordRequests: Bool
    /// Request bodies larger than this are answered HTTP 413 without being handled.
    public var maxBodyBytes: Int
    /// Whether Milvus v2 serves `/v2/vectordb/jobs/import/commit` and `/abort` and keeps
    /// `auto_commit: "false"` jobs at `Uncommitted` (Milvus 2.7/3.0); off, they answer HTTP 404 and
    /// the option is ignored, as on older servers. See `TwoPhase.swift`.
    public var twoPhaseImports = true
    /// Injected faults, tried in order; the first one that matches a request and has uses left
    /// applies to it (one fault per request). See ``Fault``.
    public var faults: [Fault]
    /// When set, Milvus REST v2 jobs it applies to answer its steps instead of ``jobTimeline``.
    public var progressScript: ProgressScript? = nil

    public init(
        token: String? = nil,
        knownCollections: Set<String>? = nil,
        knownDatabases: Set<String>? = nil,
        knownClusters: Set<String>? = nil,
        honoursIdempotencyKey: Bool = false,
        latency: Duration = .zero,
        jobTimeline: JobTimeline = .duration(.milliseconds(500)),
        failMarker: String? = "fail",
        failureReason: String = "The specified key does not exist.",
        unfinishedJobLimit: Int? = 1024,
        maxFilesPerRequest: Int = 1024,
        rowsPerFile: Int = 100_000,
        bytesPerFile: Int = 31_567_874,
        recordRequests: Bool = true,
        maxBodyBytes: Int = 64 << 20,
        faults: [Fault] = []
    ) {
        self.token = token
        self.knownCollections = knownCollections
        self.knownDatabases = knownDatabases
        self.knownClusters = knownClusters
        self.honoursIdempotencyKey = honoursIdempotencyKey
        self.latency = latency
        self.jobTimeline = jobTimeline
        self.failMarker = failMarker
        self.failureReason = failureReason
        self.unfinishedJobLimit = unfinishedJobLimit
        self.maxFilesPerRequest = maxFilesPerRequest
        self.rowsPerFile = rowsPerFile
        self.bytesPerFile = bytesPerFile
        self.recordRequests = recordRequests
        self.maxBodyBytes = maxBodyBytes
        self.faults = faults
    }
}

/// One injected misbehaviour, for the next `times` requests (or all) to `path` (or any path).
///
/// Faults are data: build them with the static functions, pass them in
/// ``ImportTestServerConfiguration/faults`` or add them at run time with
/// ``ImportTestServer/inject(_:)``.
public struct Fault: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Answer with this HTTP status, a small JSON error body and, when set, `Retry-After: <seconds>`.
        /// The request is not handled (no job is created).
        case httpStatus(Int, retryAfter: Int?)
        /// Answer HTTP 200 with this business `code` and `message` (`{"status":{...}}` on the
        /// Milvus 2.3 API). The request is not handled.
        case businessError(code: Int, message: String)
        /// Read the request, then close the connection without a response. With
        /// `afterProcessing`, the request is handled first (a create DOES create its job): the
        /// ambiguous case.
        case dropConnection(afterProcessing: Bool)
        /// Handle the request, then write the response body `chunkSize` bytes at a time, `interval`
        /// apart (the head goes out at once, with the full `Content-Length`).
        case slowBody(chunkSize: Int, interval: Duration)
        /// Answer with an HTML error page (as a proxy or gateway would) with this status. The
        /// request is not handled.
        case html(status: Int)
        /// Handle the request, send the head with the full `Content-Length` and half the body, then
        /// close the connection.
        case truncatedBody
        /// Handle the request normally, after this much extra delay.
        case delay(Duration)
    }

    public var kind: Kind
    /// Only requests to exactly this path (no query) match; `nil` matches every path.
    public var path: String?
    /// How many matching requests it applies to; `nil`: every matching request, until removed.
    public var times: Int?

    public init(_ kind: Kind, times: Int? = 1, path: String? = nil) {
        self.kind = kind
        self.times = times
        self.path = path
    }

    /// HTTP 429 with `Retry-After`.
    public static func rateLimited(retryAfter: Int? = 1, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.httpStatus(429, retryAfter: retryAfter), times: times, path: path)
    }

    /// HTTP 503 with `Retry-After`.
    public static func unavailable(retryAfter: Int? = 1, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.httpStatus(503, retryAfter: retryAfter), times: times, path: path)
    }

    /// Any HTTP status (500, 502, 504, 408...), optionally with `Retry-After`.
    public static func httpStatus(_ status: Int, retryAfter: Int? = nil, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.httpStatus(status, retryAfter: retryAfter), times: times, path: path)
    }

    /// HTTP 200 with a business error code, e.g. 8 (rate limit) or 1 (service not ready).
    public static func businessError(code: Int, message: String? = nil, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.businessError(code: code, message: message ?? Fault.defaultMessage(code: code)), times: times, path: path)
    }

    /// Close the connection after reading the request, without answering.
    public static func dropConnection(afterProcessing: Bool = false, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.dropConnection(afterProcessing: afterProcessing), times: times, path: path)
    }

    /// A response body written in chunks with delays.
    public static func slowBody(chunkSize: Int = 16, interval: Duration = .milliseconds(20), times: Int? = 1, path: String? = nil) -> Fault
    {
        Fault(.slowBody(chunkSize: max(1, chunkSize), interval: interval), times: times, path: path)
    }

    /// An HTML page instead of JSON.
    public static func html(status: Int = 502, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.html(status: status), times: times, path: path)
    }

    /// Half the body, then the connection closes.
    public static func truncatedBody(times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.truncatedBody, times: times, path: path)
    }

    /// Extra delay for matching requests.
    public static func delay(_ amount: Duration, times: Int? = 1, path: String? = nil) -> Fault {
        Fault(.delay(amount), times: times, path: path)
    }

    static func defaultMessage(code: Int) -> String {
        switch code {
        case 1: return "service not ready[service=proxy]"
        case 2: return "service unavailable[service=proxy]"
        case 4: return "request limit exceeded"
        case 8: return "rate limit exceeded[rate=0.5]"
        case 1807: return "request is rejected by limiter"
        case 2100: return "The number of jobs has reached the limit, please try again later."
        default: return "injected error \(code)"
        }
    }

    public var description: String {
        let what: String
        switch kind {
        case .httpStatus(let status, let retryAfter):
            what = "httpStatus(\(status)" + (retryAfter.map { ", retryAfter: \($0)" } ?? "") + ")"
        case .businessError(let code, _): what = "businessError(\(code))"
        case .dropConnection(let after): what = "dropConnection(afterProcessing: \(after))"
        case .slowBody(let size, let interval): what = "slowBody(\(size) bytes every \(interval))"
        case .html(let status): what = "html(\(status))"
        case .truncatedBody: what = "truncatedBody"
        case .delay(let amount): what = "delay(\(amount))"
        }
        return what + (path.map { " on \($0)" } ?? "")
    }
}
