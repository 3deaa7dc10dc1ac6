/// Two-phase imports: a job created with `options.auto_commit: "false"` stops at `Uncommitted`
/// (its data imported and indexed, not visible) until it is committed (`Committing`, then
/// `Completed`) or aborted (`Failed`, nothing visible).
///
/// Where the rules come from: pymilvus `bulk_writer/bulk_import.py` (`commit_import`,
/// `abort_import`, #3538: `POST /v2/vectordb/jobs/import/commit` and `/abort` with `{"jobId"}`, plus
/// `clusterId`/`projectId`/`regionId` for Zilliz Cloud); Milvus's two-phase import design and its
/// integration suite (`TwoPCImportSuite`): a repeated commit succeeds, a commit of a job not
/// `Uncommitted` fails, abort after commit fails, abort of a Failed job is a no-op, and (PR #50692)
/// abort only for `auto_commit=false` jobs. Milvus 2.2/2.3 (`/api/v1`) and Zilliz Cloud's v1 data
/// plane have none of it.
public enum TwoPhaseSupport: Sendable, Hashable {
    /// The API has commit and abort; whether a server does is asked of it (``TwoPhaseProbe``).
    case probe
    /// The API never has them: why, in a sentence.
    case never(why: String)

    /// Why the API cannot, or nil when a server of it may.
    public var refusal: String? {
        if case .never(let why) = self { return why }
        return nil
    }
}

/// What a server said when asked whether it has two-phase imports.
public enum TwoPhaseVerdict: Sendable, Hashable {
    case supported
    /// It has no commit or abort endpoint: why.
    case unsupported(String)
    /// The answer says nothing certain (credentials refused, server unreachable): why.
    case cannotTell(String)
}

/// The probe: an abort of job id `0`, which no server ever gives out (Milvus ids are allocated
/// int64s, Zilliz Cloud's are `job-...`). A server with the endpoint answers as its handler does
/// ("import job does not exist", or an invalid id); one without answers HTTP 404 (gin's
/// "404 page not found"). An abort is the probe, never a commit: were the id ever a job, an abort
/// makes nothing visible.
public enum TwoPhaseProbe {
    /// The job id the probe names.
    public static let jobID = "0"

    /// The verdict of the probe's answer, or of the error it met.
    public static func verdict(_ result: Result<HTTPResponse, ImportError>, api: ImportAPI) -> TwoPhaseVerdict {
        if let why = api.client.twoPhase.refusal { return .unsupported(why) }
        let response: HTTPResponse
        switch result {
        case .failure(let error): return .cannotTell("the probe could not be sent: \(error.description)")
        case .success(let answer): response = answer
        }
        if response.status == 404 || response.status == 405 {
            return .unsupported(
                "the server has no /v2/vectordb/jobs/import/abort (HTTP \(response.status)): two-phase imports need Milvus 2.7/3.0 or later"
            )
        }
        if response.status == 401 || response.status == 403 {
            return .cannotTell("the server refused the credentials (HTTP \(response.status))")
        }
        do {
            _ = try ResponseEnvelope.data(response)
            return .supported
        } catch {
            if api.client.meansAuthenticationFailure(error) {
                return .cannotTell("the server refused the credentials: \(error.description)")
            }
            if response.status == 200 && error.code != nil { return .supported }
            return .cannotTell("the answer says neither: \(error.description)")
        }
    }
}

extension ImportAPIClient {
    public var twoPhase: TwoPhaseSupport { .never(why: "this API has no commit or abort") }

    public func commitRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest? { nil }

    public func abortRequest(for job: ImportJob, jobID: String, builder: RequestBuilder) -> ImportRequest? { nil }

    /// The probe's request: an abort of ``TwoPhaseProbe/jobID`` on `target`; nil where the API has no abort.
    public func twoPhaseProbeRequest(for target: ImportTarget, builder: RequestBuilder) -> ImportRequest? {
        let stand = ImportJob(
            name: "probe", location: ManifestLocation(file: ""), target: target, collectionName: "", dbName: target.dbName, files: [])
        return abortRequest(for: stand, jobID: TwoPhaseProbe.jobID, builder: builder)
    }

    /// Reads the answer to a commit or an abort: success, or the error it carries (classified).
    public func phaseAnswer(from response: HTTPResponse) throws(ImportError) {
        do { _ = try ResponseEnvelope.data(response) } catch { throw classified(error) }
    }
}

extension ImportJob {
    /// Whether the job asks the server itself for a two-phase import (`auto_commit: "false"`).
    public var isManualCommit: Bool {
        options.contains { $0.key == "auto_commit" && $0.value.lowercased() == "false" }
    }

    /// The job as an atomic group sends it: `auto_commit: "false"` in its options (replacing any
    /// `auto_commit` it had). Only the create is built from it; its digest stays the job's own.
    public var uncommitted: ImportJob {
        var job = self
        job.options = job.options.filter { $0.key != "auto_commit" } + [ImportOption("auto_commit", "false")]
        return job
    }
}
