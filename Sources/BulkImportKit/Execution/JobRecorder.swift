/// Writes each step of a job to the ledger as it happens, with the error text masked: a server's
/// words may repeat a secret (a token echoed in a message), and the ledger is a file the tool
/// writes. Names and digests are written exactly, since the ledger is keyed by them.
struct JobRecorder: Sendable {
    let ledger: any StateStore
    let redactor: Redactor

    /// What the state knows of the job named `name` (read afresh from a shared state).
    func entry(for name: String) async throws -> LedgerEntry? {
        try await ledger.entry(for: name)
    }

    /// What the state knows of `names`, read together.
    func entries(for names: [String]) async throws -> [String: LedgerEntry] {
        try await ledger.entries(for: names)
    }

    /// What the state knows of every job.
    func entries() async throws -> [LedgerEntry] {
        try await ledger.entries()
    }

    /// Claims the job named `name` for this runner (see ``StateStore/claim(_:)``).
    func claim(_ name: String) async throws -> ClaimResult {
        try await ledger.claim(name)
    }

    /// Gives up this runner's claim of the job named `name` (see ``StateStore/release(_:)``).
    func release(_ name: String) async {
        await ledger.release(name)
    }

    /// Accepts one step of `job` for the state without waiting for it to be durable (see
    /// ``StateStore/appendLater(_:)``).
    func recordLater(
        _ job: ImportJob, _ digest: String, _ event: LedgerRecord.Event, ids: [String] = [], group: Int? = nil,
        attempt: Int = 0, key: String? = nil, generation: Int? = nil
    ) async -> PendingAppend {
        await ledger.appendLater([
            LedgerRecord(
                event: event, job: job.name, digest: digest, target: job.target.displayName, api: job.target.api.rawValue, jobIDs: ids,
                group: group, attempt: attempt, idempotencyKey: key, generation: generation)
        ])
    }

    /// Appends one step of `job` (whose ``JobDigest`` is `digest`).
    func record(
        _ job: ImportJob, _ digest: String, _ event: LedgerRecord.Event, ids: [String] = [], group: Int? = nil,
        attempt: Int = 0, error: String? = nil, key: String? = nil, progress: JobProgress? = nil, generation: Int? = nil,
        note: String? = nil
    ) async throws {
        try await ledger.append(
            LedgerRecord(
                event: event, job: job.name, digest: digest, target: job.target.displayName,
                api: job.target.api.rawValue, jobIDs: ids, group: group, attempt: attempt,
                state: progress.map { $0.state.description }, progress: progress?.progress, error: error.map(redactor.redact),
                idempotencyKey: key, generation: generation, note: note.map(redactor.redact)))
    }
}
