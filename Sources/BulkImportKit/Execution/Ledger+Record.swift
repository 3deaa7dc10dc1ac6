import Platform

extension Ledger {
    /// Appends one step of `job` (whose ``JobDigest`` is `digest`) as it happens.
    func record(_ job: ImportJob, _ digest: String, _ event: LedgerRecord.Event, ids: [String] = [], group: Int? = nil,
                attempt: Int = 0, error: String? = nil, key: String? = nil, progress: JobProgress? = nil) async throws {
        try await append(LedgerRecord(
            time: WallClock.now(), event: event, job: job.name, digest: digest, target: job.target.displayName,
            api: job.target.api.rawValue, jobIDs: ids, group: group, attempt: attempt,
            state: progress.map { $0.state.description }, progress: progress?.progress, error: error, idempotencyKey: key))
    }
}
