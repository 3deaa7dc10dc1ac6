import Foundation
import JSON

/// Two-phase imports on Milvus REST v2 (Milvus 2.7/3.0; import-api.md section 6, pymilvus
/// `commit_import`/`abort_import`, Milvus's `TwoPCImportSuite`):
/// - a job created with `options.auto_commit: "false"` stops at `Uncommitted` where another would
///   complete, until `POST /v2/vectordb/jobs/import/commit {"jobId"}`; then it reads `Committing`
///   once, and `Completed` after;
/// - a repeated commit succeeds; a commit of a job that is not `Uncommitted` (still importing,
///   failed, aborted) is refused with code 2100, as is a commit of an auto-commit job;
/// - `POST .../abort {"jobId"}` ends an `auto_commit: "false"` job that is not yet committed:
///   it reads `Failed` with the stable reason ``TwoPhase/abortReason`` and progress 0; aborting a
///   Failed job again is a no-op; aborting an auto-commit job, a committed one or a completed one
///   is refused with code 2100 and says why;
/// - an unknown job answers 2100 "import job does not exist", a non-numeric id 1100.
/// With ``ImportTestServerConfiguration/twoPhaseImports`` off, both paths answer HTTP 404 and the
/// option is ignored, as on a server before two-phase imports.
struct TwoPhase: Sendable {
    /// The job was created with `auto_commit: "false"` on a server that has two-phase imports.
    var manual = false
    /// When it was committed.
    var committedAt: Date?
    /// Whether a progress read has shown it `Committing` (the next one shows it `Completed`).
    var committingShown = false
    /// When it was aborted.
    var abortedAt: Date?

    /// The reason an aborted job reads, the same every time.
    static let abortReason = "import job aborted by request"
}

extension Job {
    /// An aborted job reads Failed from then on.
    func abortedObservation() -> Observation? {
        guard let at = phase.abortedAt else { return nil }
        return Observation(state: .failed, progress: 0, completeTime: at)
    }

    /// What a job whose import has ended reads: a manual-commit job waits at `Uncommitted` until
    /// committed, then reads `Committing` once (on a progress read) before `Completed`.
    mutating func settled(_ seen: Observation, advancing: Bool, wallNow: Date) -> Observation {
        guard phase.manual, seen.state == .completed else { return seen }
        guard phase.committedAt != nil else { return Observation(state: .uncommitted, progress: 99, completeTime: nil) }
        if !phase.committingShown {
            if advancing { phase.committingShown = true }
            return Observation(state: .committing, progress: 99, completeTime: nil)
        }
        return seen
    }
}

extension HandlerContext {
    /// Marks a new job as manual-commit when it asks for it and the server has two-phase imports.
    mutating func markTwoPhase(_ id: String, options: [(String, String)]) {
        guard configuration.twoPhaseImports,
            options.contains(where: { $0.0 == "auto_commit" && $0.1.lowercased() == "false" })
        else { return }
        state.jobs[id]?.phase.manual = true
    }

    mutating func milvusCommit() -> OutgoingResponse {
        phaseCall(structName: "JobIDReq") { context, id, seen in
            guard context.state.jobs[id]?.phase.manual == true else {
                return context.milvusError(2100, "cannot commit job \(id): it was created with auto_commit=true and commits itself")
            }
            switch seen.state {
            case .uncommitted:
                context.state.jobs[id]?.phase.committedAt = context.wallNow
                return nil
            case .committing, .completed:
                return nil  // a repeated commit succeeds
            default:
                return context.milvusError(
                    2100, "job \(id) is in state \(seen.state.rawValue), expected Uncommitted: importing data failed")
            }
        }
    }

    mutating func milvusAbort() -> OutgoingResponse {
        phaseCall(structName: "JobIDReq") { context, id, seen in
            guard context.state.jobs[id]?.phase.manual == true else {
                return context.milvusError(
                    2100, "cannot abort job \(id): abort is supported only for jobs created with auto_commit=false")
            }
            switch seen.state {
            case .failed:
                return nil  // already failed or aborted: a no-op
            case .completed:
                return context.milvusError(2100, "job \(id) already completed, cannot abort")
            case .committing:
                return context.milvusError(2100, "job \(id) is committing, cannot abort")
            default:
                context.state.jobs[id]?.phase.abortedAt = context.wallNow
                return nil
            }
        }
    }

    /// The shared part of commit and abort: auth, the body, the job id and the job's state now;
    /// `act` answers an error or nil for success.
    private mutating func phaseCall(
        structName: String, _ act: (inout HandlerContext, String, Job.Observation) -> OutgoingResponse?
    ) -> OutgoingResponse {
        guard configuration.twoPhaseImports else { return .text("404 page not found", status: 404) }
        if let denied = milvusAuthFailure() { return denied }
        let body: JSONValue
        switch milvusBody(goType: "httpserver.JobIDReq") {
        case .failure(let box): return box.response
        case .success(let value): body = value
        }
        let jobId: String
        do {
            jobId = try FieldReader(fields: body, structName: structName).string("jobId") ?? ""
        } catch let error as FieldTypeError {
            return milvusError(1801, "can only accept json format request, error: \(error.message)")
        } catch {
            return milvusError(1801, "can only accept json format request, error: \(error)")
        }
        if jobId.isEmpty { return milvusMissing(structName, "JobID") }
        guard Int64(jobId) != nil else {
            return milvusError(1100, "parse job id failed: strconv.ParseInt: parsing \"\(jobId)\": invalid syntax")
        }
        guard let job = state.jobs[jobId], job.api == .milvusV2, let seen = observe(jobId, advancing: false)?.1 else {
            return milvusError(2100, "import job does not exist, jobID=\(jobId)")
        }
        if let refused = act(&self, jobId, seen) { return refused }
        return .json(obj(("code", 0), ("data", obj())), code: 0)
    }
}
