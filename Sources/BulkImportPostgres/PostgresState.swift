import BulkImportLedger
import Platform
import PostgresNIO

/// The job state in a PostgreSQL database, shared by several runners (machines, pipelines): the
/// same ``LedgerRecord``s as the file ``Ledger`` (each stored as the ledger's JSON line), folded
/// the same way, and claims that give each job to one live runner.
///
/// Tables (created on first use, schema version 1; PostgreSQL 12 and newer):
/// - `bulk_import_meta(key, value)`: `schema_version`;
/// - `bulk_import_records(seq, job, line, written_at)`: every record, in `seq` order;
/// - `bulk_import_claims(job, runner, expires_at)`: which runner holds which job, until when
///   (the database's clock).
///
/// ``append(_:)`` returns once the records are committed; appends that arrive while one is in
/// flight go together into the next single `INSERT` (group commit). When the database goes away,
/// the failing call throws ``PostgresStateError/unreachable(location:reason:)`` and the next call
/// connects again.
public actor PostgresState: StateStore {
    /// The URL without its password: `postgres://user@host:5432/db`.
    public nonisolated let location: String
    /// This runner's name in claims.
    public nonisolated let runner: String
    /// How long a claim lasts unless renewed (renewed every third of it while the store is open).
    public nonisolated let lease: Duration
    /// A database that was lost comes back: a failed append is worth trying again.
    public nonisolated var recoversFromFailures: Bool { true }
    /// Many runners share it.
    public nonisolated var isShared: Bool { true }

    /// Records whose line could not be read (skipped), one sentence each.
    public private(set) var warnings: [String] = []
    /// Whether the database held no record when the store was opened.
    public let isNew: Bool
    /// How many `INSERT` transactions appends have taken.
    public private(set) var flushCount = 0

    private let connector: PostgresConnector
    /// One connection per lane, made on first use and again after it is lost.
    private var connections: [Lane: PostgresConnection] = [:]
    private var connecting: [Lane: Task<PostgresConnection, any Error>] = [:]
    private var nextConnectionID = 2
    private var pending: [Pending] = []
    /// The records of jobs just claimed, read by the claim's own statement: the next
    /// ``entry(for:)`` of the job folds them instead of reading again (the claim keeps other
    /// runners from writing to the job meanwhile). Dropped when the job is appended to.
    private var readWithClaim: [String: [LedgerRecord]] = [:]
    /// Jobs whose claims are to be given up in the next gathered release.
    private var releasing: Set<String> = []
    private var releaseTask: Task<Void, Never>?
    private var flushTask: Task<Void, Never>?
    private var renewal: Task<Void, Never>?
    private var closed = false
    /// Set once the connections are closed for good.
    private var released = false

    /// Appends, claims and reads each take a connection of their own: statements on one
    /// connection run one after the other, so a read would otherwise wait behind commits (each
    /// waits for the server's disk), and the server commits appends and claims together.
    private enum Lane: Hashable, Sendable {
        case appends
        case claims
        case reads
    }

    private struct Pending {
        var records: [LedgerRecord]
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// The schema version this bulk-import writes and reads.
    static let schemaVersion = 1
    /// The advisory lock that serialises creating the tables (any constant shared by all runners).
    static let schemaLock: Int64 = 0x62_756C_6B69_6D70

    /// Connects, creates the tables if they are not there, and starts renewing this runner's claims.
    ///
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/db[?sslmode=disable|prefer|require|verify-ca|verify-full]`.
    ///   - runner: this runner's name in claims (host and pid, say); unique among live runners.
    ///   - lease: how long a claim outlives a runner that stops renewing it (killed, cut off).
    ///   - create: whether to create the tables when they are not there (`run`, `state import`);
    ///     `false` for commands that only read (`status`, `list`): nothing is created.
    /// - Throws: ``PostgresURLError`` for a malformed URL; ``PostgresStateError`` otherwise
    ///   (unreachable, refused, a newer schema, ``PostgresStateError/noState(location:)``...).
    public static func open(
        url: String, runner: String = defaultRunner, lease: Duration = .seconds(30), create: Bool = true
    ) async throws -> PostgresState {
        let parsed = try PostgresURL(url)
        let connector = try PostgresConnector(url: parsed)
        let connection = try await connector.connect(id: 1)
        let isNew: Bool
        do {
            if create {
                try await createTables(connection, connector: connector)
            } else {
                try await checkTables(connection, connector: connector)
            }
            let rows = try await connection.query("SELECT EXISTS (SELECT 1 FROM bulk_import_records)", logger: PostgresConnector.logger)
                .collect()
            isNew = try !(rows.first?.decode(Bool.self) ?? false)
        } catch {
            let lost = connection.isClosed
            try? await connection.close()
            if let error = error as? PostgresStateError { throw error }
            throw connector.translate(error, connectionLost: lost)
        }
        let state = PostgresState(connector: connector, connection: connection, runner: runner, lease: lease, isNew: isNew)
        await state.startRenewing()
        return state
    }

    private init(connector: PostgresConnector, connection: PostgresConnection, runner: String, lease: Duration, isNew: Bool) {
        self.connector = connector
        self.connections = [.appends: connection]
        self.location = connector.url.redacted
        self.runner = runner
        self.lease = lease
        self.isNew = isNew
    }

    deinit {
        // A store dropped without close(): close its connection, and keep the connection until
        // it is closed (postgres-nio requires a connection to be closed before it goes).
        for connection in connections.values {
            connection.close().whenComplete { _ in _ = connection }
        }
        renewal?.cancel()
    }

    /// This runner's name when none is given: the host name and the process id (`build-7:4242`).
    public static var defaultRunner: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let named = gethostname(&buffer, buffer.count - 1) == 0
        let host = named ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(getpid())"
    }

    /// Checks that the tables are there and of a version this bulk-import reads, creating nothing.
    private static func checkTables(_ connection: PostgresConnection, connector: PostgresConnector) async throws {
        let logger = PostgresConnector.logger
        let found = try await connection.query(
            "SELECT to_regclass('bulk_import_meta') IS NOT NULL AND to_regclass('bulk_import_records') IS NOT NULL",
            logger: logger
        ).collect()
        guard try found.first?.decode(Bool.self) == true else {
            throw PostgresStateError.noState(location: connector.url.redacted)
        }
        let rows = try await connection.query("SELECT value FROM bulk_import_meta WHERE key = 'schema_version'", logger: logger)
            .collect()
        if let version = try rows.first?.decode(String.self), (Int(version) ?? Int.max) > schemaVersion {
            throw PostgresStateError.newerSchema(location: connector.url.redacted, version: version)
        }
    }

    /// Creates the tables in one transaction, under an advisory lock so that runners starting
    /// together do not race (`CREATE TABLE IF NOT EXISTS` alone can fail when two run at once).
    private static func createTables(_ connection: PostgresConnection, connector: PostgresConnector) async throws {
        let logger = PostgresConnector.logger
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(schemaLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS bulk_import_meta (key text PRIMARY KEY, value text NOT NULL)", logger: logger)
            let rows = try await connection.query("SELECT value FROM bulk_import_meta WHERE key = 'schema_version'", logger: logger)
                .collect()
            if let version = try rows.first?.decode(String.self), (Int(version) ?? Int.max) > schemaVersion {
                throw PostgresStateError.newerSchema(location: connector.url.redacted, version: version)
            }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS bulk_import_records (
                    seq bigserial PRIMARY KEY,
                    job text NOT NULL,
                    line text NOT NULL,
                    written_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            try await connection.query(
                "CREATE INDEX IF NOT EXISTS bulk_import_records_job ON bulk_import_records (job, seq)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS bulk_import_claims (
                    job text PRIMARY KEY,
                    runner text NOT NULL,
                    expires_at timestamptz NOT NULL
                )
                """, logger: logger)
            try await connection.query(
                "INSERT INTO bulk_import_meta (key, value) VALUES ('schema_version', \(String(schemaVersion))) ON CONFLICT (key) DO NOTHING",
                logger: logger)
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    // MARK: Reading

    /// The fold of `job`'s records, read afresh (other runners write too); right after this
    /// runner claimed the job, the records its claim read (as fresh: a claim is taken only when
    /// no other live runner holds the job, and the claim's statement sees every record written
    /// before the holder let go).
    public func entry(for job: String) async throws -> LedgerEntry? {
        if let records = readWithClaim.removeValue(forKey: job) {
            return LedgerFolding(records).entry(for: job)
        }
        let rows = try await execute(ReadJob(job: job), on: .reads)
        return LedgerFolding(decode(rows)).entry(for: job)
    }

    /// The folds of `jobs` (those with records), read afresh in one statement.
    public func entries(for jobs: [String]) async throws -> [String: LedgerEntry] {
        guard !jobs.isEmpty else { return [:] }
        let rows = try await query("SELECT line FROM bulk_import_records WHERE job = ANY(\(jobs)) ORDER BY seq", on: .reads)
        return Dictionary(LedgerFolding(decode(rows)).entries.map { ($0.job, $0) }, uniquingKeysWith: { $1 })
    }

    /// Every job's fold, in the order each job was first recorded.
    public func entries() async throws -> [LedgerEntry] {
        LedgerFolding(try await records()).entries
    }

    /// Every record, in the order they were committed.
    public func records() async throws -> [LedgerRecord] {
        decode(try await query("SELECT line FROM bulk_import_records ORDER BY seq", on: .reads))
    }

    private func decode(_ rows: [PostgresRow]) -> [LedgerRecord] {
        decode(rows.lazy.map { row in Result { try row.decode(String.self) } })
    }

    /// The records of `lines`, skipping (with a warning) those that cannot be read.
    private func decode(_ lines: some Sequence<Result<String, any Error>>) -> [LedgerRecord] {
        var records: [LedgerRecord] = []
        for line in lines {
            do {
                records.append(try LedgerRecord(jsonLine: try line.get()))
            } catch {
                let warning = "a record in bulk_import_records is not valid (\(error)); skipped"
                if !warnings.contains(warning) { warnings.append(warning) }
            }
        }
        return records
    }

    // MARK: Appending

    /// Appends records, in order: returns once they are committed. Records appended while a
    /// write is in flight share the next `INSERT` (one statement, so one transaction).
    ///
    /// - Throws: ``PostgresStateError/unreachable(location:reason:)`` when the database is gone;
    ///   a later call connects again.
    public func append(_ records: [LedgerRecord]) async throws {
        if closed { throw PostgresStateError.closed(location: location) }
        guard !records.isEmpty else { return }
        for record in records { readWithClaim[record.job] = nil }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(Pending(records: records, continuation: continuation))
            if flushTask == nil {
                flushTask = Task { await self.flush() }
            }
        }
    }

    /// Writes batches until nothing is pending; appends that arrive meanwhile gather into the next.
    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            var jobs: [String] = []
            var lines: [String] = []
            for item in batch {
                for record in item.records {
                    jobs.append(record.job)
                    lines.append(record.jsonLine)
                }
            }
            do {
                try await execute(AppendRecords(jobs: jobs, lines: lines), on: .appends)
                flushCount += 1
                for item in batch { item.continuation.resume() }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        flushTask = nil
    }

    // MARK: Claims

    /// Gives `job` to this runner if no live runner holds it (no claim, an expired one, or ours),
    /// atomically; the lease is measured on the database's clock.
    ///
    /// One statement in the usual cases: it first looks for a live claim of another runner, and
    /// only when there is none tries to take the job, and reads the job's records with it (kept
    /// for the ``entry(for:)`` that follows). A job held elsewhere thus costs one read, with no
    /// row lock and no commit to wait for (`INSERT ... ON CONFLICT DO UPDATE` locks the row it
    /// conflicts with even when its `WHERE` leaves it alone, and a lock is a write that waits for
    /// the server's disk at commit). Runners sharing a manifest meet every job the others hold,
    /// so this is most of their claims. The `INSERT` still decides: when another runner takes the
    /// job between the look and the `INSERT`, nothing comes back and the holder is read in a
    /// second statement.
    ///
    /// The records are read in the claim's snapshot: a claim is taken only when that snapshot
    /// holds no live claim of another runner, so a holder that let go had committed its records
    /// before it, and they are in it.
    public func claim(_ job: String) async throws -> ClaimResult {
        if closed { throw PostgresStateError.closed(location: location) }
        let seconds = leaseSeconds
        readWithClaim[job] = nil
        // Claimed again before its release went out: keep it. (A release already sent ran first:
        // statements on one connection run in order.)
        releasing.remove(job)
        let rows = try await execute(Claim(job: job, runner: runner, seconds: seconds), on: .claims)
        if let first = rows.first {
            let (kind, other, left, _, _) = try first.decode((Int64, String?, Double, String?, Int64).self)
            if kind == 1, let other {
                return .heldElsewhere(runner: other, secondsLeft: max(0, left))
            }
            readWithClaim[job] = decode(
                rows.dropFirst().lazy.map { row in Result { try row.decode((Int64, String?, Double, String, Int64).self).3 } })
            return .claimed
        }
        // Another runner took the job after the look: ask who, as the two statements below do.
        // Twice at most, unless the holder keeps releasing the job between the two statements.
        for _ in 0..<20 {
            let taken = try await query(
                """
                INSERT INTO bulk_import_claims AS c (job, runner, expires_at)
                VALUES (\(job), \(runner), now() + make_interval(secs => \(seconds)::float8))
                ON CONFLICT (job) DO UPDATE SET runner = excluded.runner, expires_at = excluded.expires_at
                WHERE c.expires_at < now() OR c.runner = excluded.runner
                RETURNING runner
                """, on: .claims)
            if !taken.isEmpty { return .claimed }
            let holder = try await query(
                "SELECT runner, EXTRACT(EPOCH FROM expires_at - now())::float8 FROM bulk_import_claims WHERE job = \(job)",
                on: .claims)
            if let row = holder.first {
                let (other, left) = try row.decode((String, Double).self)
                return .heldElsewhere(runner: other, secondsLeft: max(0, left))
            }
            // The holder released it between the two statements: try again.
        }
        throw PostgresStateError.queryFailed(
            location: location, reason: "the claim of \(job) changed hands 20 times while it was being claimed")
    }

    private var leaseSeconds: Double {
        let parts = lease.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private func startRenewing() {
        let interval = lease / 3
        // Weakly held: a store dropped without close() stops renewing, and its claims expire.
        renewal = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                await self.renewClaims()
            }
        }
    }

    /// Extends every claim this runner holds. A failure is not reported: the next call that needs
    /// the database reports it, and an unrenewed claim only expires.
    private func renewClaims() async {
        guard !closed else { return }
        _ = try? await query(
            "UPDATE bulk_import_claims SET expires_at = now() + make_interval(secs => \(leaseSeconds)::float8) WHERE runner = \(runner)",
            on: .claims)
    }

    /// Gives up this runner's claim of `job` (when its submission is recorded, or it has been
    /// followed to the end), so that another runner waiting for it sees it at once. A release that
    /// cannot reach the database is left to the claim's expiry.
    ///
    /// Releases are gathered for a moment and given up together, one statement for many jobs: a
    /// release per job would be a commit per job, each waiting for the server's disk.
    public func release(_ job: String) async {
        guard !closed else { return }
        releasing.insert(job)
        guard releaseTask == nil else { return }
        releaseTask = Task { await self.releaseGathered() }
    }

    /// Gives up the gathered releases, after a short pause that lets more gather.
    private func releaseGathered() async {
        while !releasing.isEmpty && !closed {
            try? await Task.sleep(for: .milliseconds(20))
            let jobs = Array(releasing)
            releasing.removeAll(keepingCapacity: true)
            _ = try? await query("DELETE FROM bulk_import_claims WHERE runner = \(runner) AND job = ANY(\(jobs))", on: .claims)
        }
        releaseTask = nil
    }

    // MARK: Closing

    /// Waits for accepted appends, releases this runner's claims and closes the connection.
    /// Calling it again does nothing.
    public func close() async {
        guard await stop() else { return }
        _ = try? await query("DELETE FROM bulk_import_claims WHERE runner = \(runner)", on: .claims)
        await disconnect()
    }

    /// Stops renewing and lets accepted appends and releases finish; false when already closed.
    private func stop() async -> Bool {
        guard !closed else { return false }
        closed = true
        readWithClaim = [:]
        renewal?.cancel()
        renewal = nil
        await flushTask?.value
        await releaseTask?.value
        return true
    }

    /// Ends the store as a killed runner would: no more renewals, the connection dropped, the
    /// claims left to expire. For tests of what other runners see.
    @_spi(Testing) public func abandon() async {
        guard await stop() else { return }
        await disconnect()
    }

    private func disconnect() async {
        released = true
        let current = connections
        connections = [:]
        for connection in current.values { try? await connection.close() }
    }

    // MARK: The connection

    /// Runs one statement on `lane`, connecting first if it has no live connection; collects its rows.
    @discardableResult
    private func query(_ statement: PostgresQuery, on lane: Lane) async throws(PostgresStateError) -> [PostgresRow] {
        try await perform(on: lane) { connection in
            try await connection.query(statement, logger: PostgresConnector.logger).collect()
        }
    }

    /// Runs a statement of those every job takes, prepared once per connection (postgres-nio
    /// keeps them by name): planning it again each time was most of the server's work for it.
    @discardableResult
    private func execute<Statement: PostgresPreparedStatement>(
        _ statement: Statement, on lane: Lane
    ) async throws(PostgresStateError) -> [PostgresRow] where Statement.Row == PostgresRow {
        try await perform(on: lane) { connection in
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(statement, logger: PostgresConnector.logger) { rows.append(row) }
            return rows
        }
    }

    /// Runs `body` on `lane`'s connection, connecting first if it has none; a connection found
    /// lost is forgotten, and errors become ``PostgresStateError``s.
    private func perform(
        on lane: Lane, _ body: @escaping @Sendable (PostgresConnection) async throws -> [PostgresRow]
    ) async throws(PostgresStateError) -> [PostgresRow] {
        let connection = try await liveConnection(lane)
        do {
            return try await Self.run(on: connection, body)
        } catch {
            let lost = connection.isClosed
            if lost, connections[lane] === connection { connections[lane] = nil }
            if error is TimedOut {
                throw .unreachable(location: location, reason: "no answer within \(Self.queryTimeout)")
            }
            throw connector.translate(error, connectionLost: lost)
        }
    }

    /// How long one statement may take before the server is taken as gone (a network that drops
    /// packets never resets the connection: without this, a runner would wait forever).
    static let queryTimeout: Duration = .seconds(60)

    private struct TimedOut: Error {}

    /// Runs `body`; after ``queryTimeout`` closes the connection, which ends the statement.
    private static func run(
        on connection: PostgresConnection, _ body: @escaping @Sendable (PostgresConnection) async throws -> [PostgresRow]
    ) async throws -> [PostgresRow] {
        try await withThrowingTaskGroup(of: [PostgresRow]?.self) { group in
            group.addTask { try await body(connection) }
            group.addTask {
                try await Task.sleep(for: queryTimeout)
                return nil
            }
            defer { group.cancelAll() }
            if let first = try await group.next(), let rows = first { return rows }
            try? await connection.close()
            throw TimedOut()
        }
    }

    private func liveConnection(_ lane: Lane) async throws(PostgresStateError) -> PostgresConnection {
        if let connection = connections[lane], !connection.isClosed { return connection }
        connections[lane] = nil
        // One connect at a time per lane: callers that arrive meanwhile wait for the same one.
        let task: Task<PostgresConnection, any Error>
        if let pending = connecting[lane] {
            task = pending
        } else {
            let connector = connector
            let id = nextConnectionID
            nextConnectionID += 1
            task = Task { () async throws -> PostgresConnection in try await connector.connect(id: id) }
            connecting[lane] = task
        }
        do {
            let fresh = try await task.value
            if connecting[lane] == task { connecting[lane] = nil }
            if released {
                // Released while connecting: nothing would close this one later.
                try? await fresh.close()
                throw PostgresStateError.closed(location: location)
            }
            connections[lane] = fresh
            return fresh
        } catch {
            if connecting[lane] == task { connecting[lane] = nil }
            throw (error as? PostgresStateError) ?? connector.translate(error, connectionLost: true)
        }
    }
}

// MARK: The prepared statements

extension PostgresState {
    /// Claims `$1` for runner `$2` for `$3` seconds unless another live runner holds it; reads the
    /// job's records with a claim that was taken (see ``PostgresState/claim(_:)``). Rows, by kind
    /// then `seq`: 0 claimed; 1 held by `runner` for `left` more seconds; 2 a record (`line`).
    fileprivate struct Claim: PostgresPreparedStatement {
        static let name = "bulk_import_claim_v1"
        static let sql = """
            WITH held AS (
                SELECT runner, EXTRACT(EPOCH FROM expires_at - now())::float8 AS left_s FROM bulk_import_claims
                WHERE job = $1 AND runner <> $2 AND expires_at >= now()
            ), taken AS (
                INSERT INTO bulk_import_claims AS c (job, runner, expires_at)
                SELECT $1, $2, now() + make_interval(secs => $3) WHERE NOT EXISTS (SELECT 1 FROM held)
                ON CONFLICT (job) DO UPDATE SET runner = excluded.runner, expires_at = excluded.expires_at
                WHERE c.expires_at < now() OR c.runner = excluded.runner
                RETURNING runner
            )
            SELECT 0::int8, NULL::text, 0::float8, NULL::text, 0::int8 FROM taken
            UNION ALL
            SELECT 1, runner, left_s, NULL, 0 FROM held
            UNION ALL
            SELECT 2, NULL, 0, line, seq FROM bulk_import_records WHERE job = $1 AND EXISTS (SELECT 1 FROM taken)
            ORDER BY 1, 5
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .float8]
        var job: String
        var runner: String
        var seconds: Double

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(job)
            bindings.append(runner)
            bindings.append(seconds)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// The records of job `$1`, in order.
    fileprivate struct ReadJob: PostgresPreparedStatement {
        static let name = "bulk_import_read_job_v1"
        static let sql = "SELECT line FROM bulk_import_records WHERE job = $1 ORDER BY seq"
        static let bindingDataTypes: [PostgresDataType] = [.text]
        var job: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(job)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// Appends the records `$2` of jobs `$1` in one statement; WITH ORDINALITY ... ORDER BY keeps
    /// their order in `seq`.
    fileprivate struct AppendRecords: PostgresPreparedStatement {
        static let name = "bulk_import_append_v1"
        static let sql = """
            INSERT INTO bulk_import_records (job, line)
            SELECT job, line FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(job, line, n) ORDER BY n
            """
        static let bindingDataTypes: [PostgresDataType] = [.textArray, .textArray]
        var jobs: [String]
        var lines: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(jobs)
            bindings.append(lines)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}
