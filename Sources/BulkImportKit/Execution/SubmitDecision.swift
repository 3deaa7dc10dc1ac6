/// What to do with a job before anything is sent, decided from the ledger alone: a pure function
/// of the job's ledger entry, its digest and the run's options.
///
/// Per-group jobs (one task per file group, Milvus 2.2/2.3) whose earlier run did not finish need
/// the server's word on each recorded task: the decision is then ``resumeGroups``, and the caller
/// asks the server and decides group by group with ``resume(group:entry:retryUnknown:probe:)``.
enum SubmitDecision: Sendable, Hashable {
    /// Done in an earlier run: not sent again. `followable` when the job may still be running.
    case skip(reason: String, ids: [String], followable: Bool)
    /// An earlier create may have reached the server without its id being recorded: not sent.
    case unknown(error: String, advice: String)
    /// An earlier per-group run did not finish: decide each group with the server's answers.
    case resumeGroups
    /// Send it; `changedFrom` is the digest of an earlier, different version of the job.
    /// `generation` decides its Idempotency-Key: the same as the last create's when the same create
    /// is sent again (its outcome was unknown), the next one when the job is sent again on purpose.
    case send(changedFrom: String?, generation: Int)

    /// The decision for a job whose digest is `digest`, given its ledger `entry` (nil for a job
    /// never seen).
    static func decide(entry: LedgerEntry?, digest: String, options: RunOptions) -> SubmitDecision {
        guard let entry else { return .send(changedFrom: nil, generation: 1) }
        guard entry.digest == digest else {
            // Data that goes back to a digest sent before is a deliberate new sending of it.
            return .send(changedFrom: entry.digest, generation: (entry.generations[digest] ?? 0) + 1)
        }
        if options.resubmit { return .send(changedFrom: nil, generation: entry.generation + 1) }
        switch entry.status {
        case .submitted, .completed:
            let ids = entry.jobIDs
            return .skip(
                reason: "already submitted as job \(ids.joined(separator: ", ")); use --resubmit to import again",
                ids: ids, followable: entry.status == .submitted)
        case .cleanedUp:
            // It ran and the server has since forgotten it: sending it again could import twice.
            return .skip(
                reason:
                    "already ran as job \(entry.jobIDs.joined(separator: ", ")) (since cleaned up on the server); use --resubmit to import again",
                ids: entry.jobIDs, followable: false)
        case .intent, .unknown, .failed:
            if !entry.groupStatus.isEmpty {
                // One task per file group: resume group by group, never sending again a group
                // whose task exists and has not failed.
                return .resumeGroups
            }
            if entry.status == .failed {
                // A failed job sent again is a new sending, under a new key (a server that
                // remembers keys would answer the old one with the failed job).
                return .send(changedFrom: nil, generation: entry.generation + 1)
            }
            if !options.retryUnknown {
                return .unknown(
                    error: entry.lastError ?? "an earlier run may have sent the create, but no job id was recorded",
                    advice:
                        "check the target's jobs (bulk-import list), then record what you find with `bulk-import resolve`, or use --retry-unknown to send it again with the same Idempotency-Key"
                )
            }
            // The same create again: the same key, so a server that honours it makes no second job.
            return .send(changedFrom: nil, generation: max(1, entry.generation))
        }
    }

    /// The advice given when a per-group job is unknown.
    static let groupUnknownAdvice =
        "check the target's jobs (bulk-import list), then use --retry-unknown to send it again; this API has no Idempotency-Key, so only if no task has it"

    /// What the server said about a group's recorded task.
    enum GroupProbe: Sendable, Hashable {
        case state(JobProgress)
        /// The server no longer knows the task.
        case notFound
        /// The task's state could not be read: why.
        case unreadable(String)
    }

    /// What becomes of one file group of a job being resumed.
    enum GroupVerdict: Sendable, Hashable {
        /// Its task exists and has not failed: keep it, do not send the group again.
        case keep(id: String, note: String)
        /// Send the group (again); `note` says why when there was a task.
        case send(note: String?)
        /// The whole job is unknown: why. Later groups need not be looked at.
        case unknown(String)
    }

    /// Decides file group `group` of a job being resumed: every group with a recorded task id keeps
    /// it unless the server says that task failed; a group whose create may have been sent without
    /// an id being recorded makes the job unknown (unless `retryUnknown`). `probe` is the server's
    /// answer about the group's task, nil when it has none.
    static func resume(group: Int, entry: LedgerEntry, retryUnknown: Bool, probe: GroupProbe?) -> GroupVerdict {
        if let id = entry.groupIDs[group] {
            switch probe {
            case .state(let progress) where progress.state == .failed:
                return .send(
                    note: "file group \(group): task \(id) failed (\(progress.reason ?? "no reason given")); sending that group again")
            case .state(let progress):
                return .keep(id: id, note: "file group \(group): keeping task \(id) (\(progress.state))")
            case .notFound:
                return .keep(id: id, note: "file group \(group): task \(id) is no longer known to the server; not sending it again")
            case .unreadable(let error):
                return .unknown("file group \(group) has task \(id), whose state could not be read: \(error)")
            case nil:
                return .unknown("file group \(group) has task \(id), whose state could not be read")
            }
        }
        if let status = entry.groupStatus[group], status == .intent || status == .unknown, !retryUnknown {
            return .unknown("file group \(group)'s create may have reached the server, but no task id was recorded")
        }
        return .send(note: nil)
    }
}
