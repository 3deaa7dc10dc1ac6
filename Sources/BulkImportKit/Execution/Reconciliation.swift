/// What the target says about a job the state has no job id for (never recorded, or a create whose
/// outcome is unknown): the answer of ``Reconciler`` before such a job is created.
public enum Reconciliation: Sendable, Hashable {
    /// The target has the job and it has not failed: adopt it, never create it again. `jobIDs` in
    /// file-group order; on APIs with one task per file group, `groupIDs` maps every group to its task.
    case adopt(jobIDs: [String], groupIDs: [Int: String], state: JobState, note: String)
    /// One task per file group: these groups have tasks that have not failed (adopt them); the
    /// target's answer is complete, so the other groups have none and may be sent.
    case partial(groupIDs: [Int: String], note: String)
    /// The target has the job, and it failed: record it as failed with its ids and reason (the next
    /// deliberate run sends it again under a new generation).
    case failed(jobIDs: [String], reason: String, note: String)
    /// The target's answer is complete and holds no such job: it may be sent.
    case absent(note: String)
    /// The target cannot tell (the API does not say which files a job has, the answer was
    /// incomplete or could not be read): `why`. The job stays unknown unless `--retry-unknown`.
    case cannotTell(why: String)
}
