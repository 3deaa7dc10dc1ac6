/// One import API as the client speaks it: the exact requests it takes (create, progress, list and
/// the pre-flight check), how its answers read, which of its errors mean what, and what it can do.
///
/// There is one type per API in this folder, and ``ImportAPI/client`` gives a target's. Nothing
/// outside this folder switches on the API: adding one is a new file here, a case in ``ImportAPI``
/// and its test suite. The requests are those that `plan` prints and `run` sends, as
/// `../shared/reference/import-api.md` describes them.
public protocol ImportAPIClient: Sendable {
    /// What the API can and cannot do.
    var capabilities: ImportAPICapabilities { get }
    /// What the server refuses, for the validator to check before anything is sent.
    var rules: ImportAPIRules { get }

    /// The requests that create `job`: one, except on APIs that take one file group per request.
    /// `idempotencyKey` is sent only where ``ImportAPICapabilities/acceptsIdempotencyKey``.
    func createRequests(for job: ImportJob, idempotencyKey: String?, builder: RequestBuilder) -> [ImportRequest]
    /// The request that asks for the progress of one job (or task) id.
    func progressRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest
    /// The request that lists the import jobs on a target.
    func listRequest(for target: ImportTarget, collectionName: String?, builder: RequestBuilder) -> ImportRequest
    /// A request that tells, before any create, whether the job's collection exists; nil where the
    /// API needs none (its create refuses a missing collection at once).
    func preflightRequest(for job: ImportJob, builder: RequestBuilder) -> ImportRequest?

    /// The job (or task) ids a create answered with, or the error it carries.
    func createdJobIDs(from response: HTTPResponse) throws(ImportError) -> [String]
    /// A job's progress, or the error the answer carries (marked ``ImportError/isJobNotFound`` when
    /// the API says the job does not exist, or no longer does).
    func progress(from response: HTTPResponse) throws(ImportError) -> JobProgress
    /// The jobs of a list answer.
    func listedJobs(from response: HTTPResponse) throws(ImportError) -> [ListedJob]
    /// Why the pre-flight answer says the collection cannot take the import, or nil when it exists
    /// or the answer says nothing certain (then the create decides).
    func missingCollection(inPreflight response: HTTPResponse) -> String?

    /// Whether an error from this API means the job does not exist (any more): finished jobs are
    /// cleaned up after some hours, and that is not a failure of the data.
    func meansJobNotFound(_ error: ImportError) -> Bool

    /// Whether an error from this API means the server refused the credentials (missing, wrong,
    /// or without the privilege): then nothing else sent to the target with them can succeed.
    func meansAuthenticationFailure(_ error: ImportError) -> Bool

    /// The request for page `page` (from 1) of every job the target keeps on a collection, for
    /// reconciliation: unlike ``listRequest(for:collectionName:builder:)``, no limit that would
    /// leave jobs out. APIs that do not page answer everything on page 1.
    func listPageRequest(for target: ImportTarget, collectionName: String, page: Int, builder: RequestBuilder) -> ImportRequest
    /// The jobs of one page of a list answer, and the page that follows, if any.
    func listedPage(from response: HTTPResponse, page: Int) throws(ImportError) -> ListedPage
    /// The file groups of a listed job, where the list names them; nil where it does not.
    func fileGroups(of job: ListedJob) -> [[String]]?
    /// The file groups of a job's progress, where the answer names them all; nil where it does not.
    func fileGroups(of progress: JobProgress) -> [[String]]?
    /// Whether the file groups a server reports for a job (``fileGroups(of:)``) are those of
    /// `sent`. Where the server names files as they were sent, only an exact match is the same.
    func compareFiles(sent: [[String]], reported: [[String]]) -> FileComparison

    /// Whether the API has two-phase imports (commit and abort); see `TwoPhaseCommit.swift`.
    var twoPhase: TwoPhaseSupport { get }
    /// The request that commits an `Uncommitted` job; nil where the API has no commit.
    func commitRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest?
    /// The request that aborts a job; nil where the API has no abort.
    func abortRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest?
}

/// What an import API can do, for the executor and the validator.
public struct ImportAPICapabilities: Sendable, Hashable {
    /// The server honours an `Idempotency-Key` header on create (Milvus REST v2; acted on by
    /// Milvus 2.6.24+/3.0.2+).
    public var acceptsIdempotencyKey = false
    /// One create per file group, each a task of its own (Milvus 2.2/2.3): a job of k groups is k
    /// tasks, recorded and resumed group by group.
    public var createsOneTaskPerFileGroup = false
    /// The server caps the unfinished import jobs of one cluster (Milvus: 1024).
    public var capsUnfinishedJobs = false
    /// The service rate-limits requests per endpoint (Zilliz Cloud: 20 a second).
    public var isRateLimitedPerEndpoint = false
    /// The most file groups one create takes; nil where each group is a request of its own.
    public var maxFileGroups: Int?
    /// Where reconciliation learns which files a job on the server has.
    public var jobFiles: JobFilesSource = .notAtAll(why: "the API does not say which files a job has")
    /// The server names a job's files exactly as they were sent, so only an exact match is one
    /// (Milvus); otherwise ``ImportAPIClient/compareFiles(sent:reported:)`` decides, and may be unsure.
    public var reportsFilesAsSent = true
}

/// How the files a server reports for a job compare with those of a job to be sent.
public enum FileComparison: Sendable, Hashable {
    case same
    case different
    /// They may be the same: `why`.
    case unsure(why: String)
}

/// Where the files of a job on the server can be read, for reconciliation and `list --files`.
public enum JobFilesSource: Sendable, Hashable {
    /// The job list names each job's files (Milvus 2.2/2.3: one task, one group).
    case list
    /// Only a job's progress names its files, one entry per group (REST v2: `details[].fileName`).
    case progress
    /// Nothing the API answers names them reliably: `why`.
    case notAtAll(why: String)
}

/// What an import API accepts: the server's rules that `validate` checks before anything is sent,
/// beyond those every API shares.
public struct ImportAPIRules: Sendable, Hashable {
    /// Files are object keys in the server's bucket: a path that starts with `/` is a local path
    /// the server cannot read (it fails later with "The specified key does not exist").
    public var refusesLocalPaths = false
    /// Files are paths the server reads as Milvus 2.2/2.3 do: no `.csv` (CSV came with 2.4),
    /// extensions read case-sensitively, relative paths resolved against the server's working folder.
    public var readsFilesAsServerPaths = false
    /// A database may be named (`db_name`).
    public var acceptsDatabase = true
    /// The session token of short-term storage credentials is sent.
    public var acceptsSessionToken = true
    /// Import options are sent.
    public var acceptsOptions = true
    /// A project database may be named by `project_id` and `region_id` instead of `cluster_id`.
    public var acceptsProjectDatabases = false
    /// One import takes exactly one object url (`object_url`, or `files` of one group).
    public var takesExactlyOneObjectURL = false
}

extension ImportAPIClient {
    public var rules: ImportAPIRules { ImportAPIRules() }

    public func preflightRequest(for job: ImportJob, builder: RequestBuilder) -> ImportRequest? { nil }

    public func missingCollection(inPreflight response: HTTPResponse) -> String? { nil }

    /// The words every API's "no such job" answer uses (Zilliz Cloud also has code 96026).
    public func meansJobNotFound(_ error: ImportError) -> Bool {
        error.code == 96026 || Self.saysJobNotFound(error.message)
    }

    /// HTTP 401 and 403, Milvus code 1800 (not authenticated), and words that say so whatever the
    /// code (Milvus 2.2/2.3 and proxies answer with their own).
    public func meansAuthenticationFailure(_ error: ImportError) -> Bool {
        if let status = error.httpStatus, status == 401 || status == 403 { return true }
        if error.code == 1800 { return true }
        return Self.saysAuthenticationFailed(error.message)
    }

    /// Whether a server's words say that the credentials were refused: "user hasn't authenticated",
    /// "unauthorized", "invalid token", "permission denied", "the apikey is illegal".
    static func saysAuthenticationFailed(_ message: String) -> Bool {
        let m = message.lowercased()
        let phrases = [
            "authenticat", "unauthori", "not authorized", "invalid token", "token is not valid", "token is invalid",
            "permission denied", "privilege", "apikey is illegal", "api key is invalid", "invalid api key", "invalid apikey",
        ]
        return phrases.contains { m.contains($0) }
    }

    /// Whether a server's words say that a job does not exist: "job does not exist", "import job
    /// not found", and the like.
    static func saysJobNotFound(_ message: String) -> Bool {
        let m = message.lowercased()
        return m.contains("job does not exist") || (m.contains("not found") && m.contains("job"))
    }

    public func listPageRequest(for target: ImportTarget, collectionName: String, page: Int, builder: RequestBuilder) -> ImportRequest {
        listRequest(for: target, collectionName: collectionName, builder: builder)
    }

    /// One answer holds every job.
    public func listedPage(from response: HTTPResponse, page: Int) throws(ImportError) -> ListedPage {
        ListedPage(jobs: try listedJobs(from: response), nextPage: nil)
    }

    public func fileGroups(of job: ListedJob) -> [[String]]? { nil }

    /// One entry of `details` per file group, each read into its paths.
    public func fileGroups(of progress: JobProgress) -> [[String]]? {
        guard capabilities.jobFiles == .progress, !progress.files.isEmpty,
            progress.files.allSatisfy({ !$0.paths.isEmpty })
        else { return nil }
        return progress.files.map(\.paths)
    }

    /// The same groups, whatever their order and the order of paths within each.
    public func compareFiles(sent: [[String]], reported: [[String]]) -> FileComparison {
        ReconciliationMatcher.normalized(sent) == ReconciliationMatcher.normalized(reported) ? .same : .different
    }

    /// `error`, marked as "no such job" or as refused credentials when this API says so.
    func classified(_ error: ImportError) -> ImportError {
        var error = error
        if meansAuthenticationFailure(error) { error = error.markedAsAuthenticationFailure() }
        return meansJobNotFound(error) ? error.markedAsJobNotFound() : error
    }
}

/// The secret fields of a request body: each holds ``Secret/placeholder`` in the JSON that `plan`
/// prints, and its secret waits beside it in ``ImportRequest/bodySecrets`` for the wire.
struct SecretFields {
    private(set) var fields: [(String, JSONValue)] = []
    private(set) var secrets: [String: Secret] = [:]

    /// Adds `secret` as the field `key`, when there is one.
    mutating func add(_ key: String, _ secret: Secret?) {
        guard let secret else { return }
        fields.append((key, .string(Secret.placeholder)))
        secrets[key] = secret
    }
}
