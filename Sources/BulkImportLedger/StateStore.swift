/// Where the records of a manifest's jobs are kept: the append-only file ``Ledger``, or a database
/// shared by several runners (PostgreSQL). Both keep the same ``LedgerRecord``s and fold them the
/// same way (``LedgerEntry``), so the executor neither knows nor cares which one it writes to.
///
/// Guarantees every store gives:
/// - ``append(_:)`` returns only once the records are durable; records appended concurrently may
///   share one write (group commit);
/// - a record, once appended, is never lost or rewritten: every job id ever recorded stays;
/// - ``claim(_:)`` gives a job to exactly one live runner at a time (a store one process holds
///   alone, like the locked file ledger, gives every job to its only runner).
public protocol StateStore: Sendable {
    /// Where the state is, for messages: a file path, or a `postgres://` URL without its password.
    var location: String { get }

    /// Problems found while reading, to be shown once after opening (a torn last line...).
    var warnings: [String] { get async }

    /// Whether opening created the state: no record was there before this process opened it.
    var isNew: Bool { get async }

    /// The fold of all records of `job`, or nil if there are none. Shared stores read it afresh,
    /// so that what another runner recorded is seen.
    func entry(for job: String) async throws -> LedgerEntry?

    /// The folds of all jobs, in the order each job was first recorded.
    func entries() async throws -> [LedgerEntry]

    /// The folds of `jobs` (those that have records), read together: one round trip to a shared
    /// store instead of one a job.
    func entries(for jobs: [String]) async throws -> [String: LedgerEntry]

    /// Every record stored, in the order they were stored (for moving a state elsewhere).
    func records() async throws -> [LedgerRecord]

    /// Appends records durably, in order: returns only after all of them are stored.
    func append(_ records: [LedgerRecord]) async throws

    /// Accepts records to be stored in order, before those of any later append, and returns
    /// without waiting for them to be durable; ``PendingAppend/durable()`` waits. A later
    /// ``append(_:)`` that returns has made these durable too. Stores that cannot defer append at
    /// once (the default).
    func appendLater(_ records: [LedgerRecord]) async -> PendingAppend

    /// Claims `job` for this runner until the store is closed (a shared store renews the claim
    /// while the runner lives, and lets it expire when it dies).
    func claim(_ job: String) async throws -> ClaimResult

    /// Gives up this runner's claim of `job` before the store closes (best effort: a claim that
    /// cannot be released expires).
    func release(_ job: String) async

    /// Ends the claims, writes what was accepted, and releases the store. Calling it again does nothing.
    func close() async

    /// Whether an append that failed may succeed later (a database that comes back), so that a
    /// created job's id is worth recording again; false where a failure is final (a full disk).
    var recoversFromFailures: Bool { get }

    /// Whether several runners may share the state at once (claims mean something): they then
    /// spread out over the jobs instead of all starting with the first.
    var isShared: Bool { get }
}

/// The answer to ``StateStore/claim(_:)``.
public enum ClaimResult: Sendable, Hashable {
    /// The job is this runner's.
    case claimed
    /// Another live runner holds the job: `runner` names it (host and pid), `secondsLeft` is how
    /// long its claim lasts unless renewed.
    case heldElsewhere(runner: String, secondsLeft: Double)
}

extension StateStore {
    public var recoversFromFailures: Bool { false }

    public var isShared: Bool { false }

    public func entries(for jobs: [String]) async throws -> [String: LedgerEntry] {
        var found: [String: LedgerEntry] = [:]
        for job in jobs { if let entry = try await entry(for: job) { found[job] = entry } }
        return found
    }

    /// A store held by one process has no claims to give up.
    public func release(_ job: String) async {}

    /// Appends one record durably.
    public func append(_ record: LedgerRecord) async throws {
        try await append([record])
    }

    public func appendLater(_ records: [LedgerRecord]) async -> PendingAppend {
        do {
            try await append(records)
            return PendingAppend(done: nil)
        } catch {
            return PendingAppend(done: error)
        }
    }
}

extension Ledger: StateStore {
    public nonisolated var location: String { path }

    /// The records join the next batch; the caller's wait for it is shared with every append
    /// made meanwhile (group commit without holding the caller).
    public func appendLater(_ records: [LedgerRecord]) async -> PendingAppend {
        do {
            let number = try appendWithoutWaiting(records)
            return PendingAppend { try await self.waitUntilDurable(number) }
        } catch {
            return PendingAppend(done: error)
        }
    }

    /// A file ledger is held by one process at a time (its lock): every job is this runner's.
    public func claim(_ job: String) async throws -> ClaimResult { .claimed }

    /// Every record in the file, in file order, read afresh (lines that hold no record are skipped,
    /// as when opening).
    public func records() async throws -> [LedgerRecord] {
        try Self.records(path: path)
    }

    /// Reads every record of the ledger at `path` without locking it (a run may be appending).
    /// A missing file holds no record.
    public static func records(path: String) throws -> [LedgerRecord] {
        guard let fd = try LedgerFileIO.openForReading(path) else { return [] }
        defer { LedgerFileIO.closeDescriptor(fd) }
        return LedgerReader.read(try LedgerFileIO.readAll(fd, path: path)).records
    }
}
