import Dispatch

/// The crash-safe, append-only job ledger: one JSON record per line, made durable before
/// ``append(_:)`` returns, so that a re-run never imports the same data twice,
/// even after `kill -9` at any moment.
///
/// Appends that arrive while a write is in flight are batched into the next single
/// `write` + `fsync` (group commit), so durability does not cap throughput. Only one process
/// at a time may hold a ledger open: it holds an exclusive `flock` on `<path>.lock`.
///
/// The blocking `write`/`fsync` calls run on a private serial dispatch queue (its own thread),
/// never on the actor or the cooperative thread pool.
public actor Ledger {
    /// The ledger file's path, as given to ``open(path:)``.
    public nonisolated let path: String

    /// Problems found while reading, e.g. a torn last line
    /// ("line 42 is incomplete (the previous run was interrupted while writing it); ignored").
    public private(set) var warnings: [String]

    /// How many `write` + `fsync` batches have been done.
    public private(set) var flushCount = 0

    /// Whether the file held no record when it was opened (a new, empty state).
    public let isNew: Bool

    private var fileDescriptor: Int32
    private var lockDescriptor: Int32
    private let queue: DispatchQueue
    private var folds = LedgerFolding()
    private var needsLineEnd: Bool
    private var pending: [Pending] = []
    private var flushing = false
    private var closeRequested = false
    private var failure: LedgerError?
    /// How many appends were accepted, and how many of them are durable: appends are numbered in
    /// file order, so one number says which are on disk.
    private var accepted = 0
    private var durable = 0
    /// Callers of ``waitUntilDurable(_:)`` whose append is not durable yet.
    private var durabilityWaiters: [(append: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    /// Appends waiting for the next batch.
    private struct Pending {
        var records: [LedgerRecord]
        var bytes: [UInt8]
        /// The append's number (see `accepted`).
        var number: Int
        /// Nil for an append whose caller waits later, with ``Ledger/waitUntilDurable(_:)``.
        var continuation: CheckedContinuation<Void, any Error>?
    }

    /// Opens (creating folders and the file if needed) and locks the ledger; reads what is there.
    ///
    /// - Throws: ``LedgerError/locked(path:pid:)`` when another process holds the lock file
    ///   `<path>.lock`; ``LedgerError/cannotOpen(path:reason:)`` when the folder or file cannot be
    ///   created, opened or read (read-only folder, a file where a folder should be...).
    public static func open(path: String) throws -> Ledger {
        try makeLedger(path: path)
    }

    /// Reads the ledger at `path` without locking it (a run may be appending): every job's entry,
    /// in first-appearance order. A missing file is an empty ledger.
    public static func snapshot(path: String) throws -> [LedgerEntry] {
        guard let fd = try LedgerFileIO.openForReading(path) else { return [] }
        defer { LedgerFileIO.closeDescriptor(fd) }
        var folds = LedgerFolding()
        _ = LedgerReader.read(try LedgerFileIO.readAll(fd, path: path)) { folds.apply($0) }
        return folds.entries
    }

    private static func makeLedger(path: String) throws(LedgerError) -> Ledger {
        guard !path.isEmpty else { throw .cannotOpen(path: path, reason: "the path is empty") }
        try LedgerFileIO.makeFolders(for: path)
        let lockFD = try LedgerFileIO.lock(path)
        let fd: Int32
        do throws(LedgerError) {
            fd = try LedgerFileIO.openFile(path)
        } catch {
            LedgerFileIO.closeDescriptor(lockFD)
            throw error
        }
        let bytes: [UInt8]
        do throws(LedgerError) {
            bytes = try LedgerFileIO.readAll(fd, path: path)
        } catch {
            LedgerFileIO.closeDescriptor(fd)
            LedgerFileIO.closeDescriptor(lockFD)
            throw error
        }
        var folds = LedgerFolding()
        let contents = LedgerReader.read(bytes) { folds.apply($0) }
        return Ledger(path: path, fd: fd, lockFD: lockFD, contents: contents, folds: folds)
    }

    private init(path: String, fd: Int32, lockFD: Int32, contents: LedgerReader.Contents, folds: LedgerFolding) {
        self.path = path
        self.fileDescriptor = fd
        self.lockDescriptor = lockFD
        self.warnings = contents.warnings
        self.needsLineEnd = contents.needsLineEnd
        self.isNew = contents.count == 0
        self.queue = DispatchQueue(label: "bulk-import.ledger")
        self.folds = folds
    }

    deinit {
        if fileDescriptor >= 0 { LedgerFileIO.closeDescriptor(fileDescriptor) }
        if lockDescriptor >= 0 { LedgerFileIO.closeDescriptor(lockDescriptor) }
    }

    /// The fold of all records of `job`, or `nil` if there are none.
    public func entry(for job: String) -> LedgerEntry? {
        folds.entry(for: job)
    }

    /// The folds of all jobs, in the order each job first appears in the file.
    public func entries() -> [LedgerEntry] {
        folds.entries
    }

    /// Appends one record durably: returns only after it is written and fsynced.
    ///
    /// - Throws: ``LedgerError/writeFailed(path:reason:)`` (disk full, I/O error...); after that
    ///   every append fails the same way. ``LedgerError/closed(path:)`` after ``close()``.
    public func append(_ record: LedgerRecord) async throws {
        try await append([record])
    }

    /// Appends records durably, in order: returns only after all of them are written and fsynced.
    /// Records appended concurrently share one `write` + `fsync`.
    ///
    /// - Throws: ``LedgerError/writeFailed(path:reason:)`` (disk full, I/O error...); after that
    ///   every append fails the same way. ``LedgerError/closed(path:)`` after ``close()``.
    public func append(_ records: [LedgerRecord]) async throws {
        if let failure { throw failure }
        if closeRequested { throw LedgerError.closed(path: path) }
        guard !records.isEmpty else { return }
        let bytes = Self.lines(records)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enqueue(Pending(records: records, bytes: bytes, number: 0, continuation: continuation))
        }
    }

    /// Accepts records for the next batch without waiting for it: returns the append's number,
    /// for ``waitUntilDurable(_:)``. Appends are written in the order they are accepted, so an
    /// ``append(_:)`` made after this one returns only once this one is durable too.
    ///
    /// - Throws: as ``append(_:)``, when the ledger has failed or is closed (then nothing was accepted).
    public func appendWithoutWaiting(_ records: [LedgerRecord]) throws -> Int {
        if let failure { throw failure }
        if closeRequested { throw LedgerError.closed(path: path) }
        guard !records.isEmpty else { return durable }
        enqueue(Pending(records: records, bytes: Self.lines(records), number: 0, continuation: nil))
        return accepted
    }

    /// Returns once the append numbered `append` (from ``appendWithoutWaiting(_:)``) is written
    /// and fsynced.
    ///
    /// - Throws: ``LedgerError/writeFailed(path:reason:)`` when its batch could not be written.
    public func waitUntilDurable(_ append: Int) async throws {
        if append <= durable { return }
        if let failure { throw failure }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            durabilityWaiters.append((append, continuation))
        }
    }

    private static func lines(_ records: [LedgerRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records {
            bytes.append(contentsOf: LedgerJSON.encode(record))
            bytes.append(0x0A)
        }
        return bytes
    }

    private func enqueue(_ item: Pending) {
        accepted += 1
        var item = item
        item.number = accepted
        pending.append(item)
        if !flushing {
            flushing = true
            Task { await self.flush() }
        }
    }

    /// Writes batches until nothing is pending. Runs on the actor; only the system calls leave it,
    /// so appends that arrive meanwhile gather into the next batch.
    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            if let failure {
                for item in batch { item.continuation?.resume(throwing: failure) }
                failWaiters(failure)
                continue
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(batch.reduce(1) { $0 + $1.bytes.count })
            if needsLineEnd { bytes.append(0x0A) }
            for item in batch { bytes.append(contentsOf: item.bytes) }

            let problem = await write(bytes)
            if let problem {
                let error = LedgerError.writeFailed(path: path, reason: problem)
                failure = error
                for item in batch { item.continuation?.resume(throwing: error) }
                failWaiters(error)
                continue
            }
            needsLineEnd = false
            flushCount += 1
            for item in batch {
                for record in item.records { folds.apply(record) }
            }
            durable = batch.last?.number ?? durable
            for item in batch { item.continuation?.resume() }
            if !durabilityWaiters.isEmpty {
                let durable = durable
                let ready = durabilityWaiters.filter { $0.append <= durable }
                durabilityWaiters.removeAll { $0.append <= durable }
                for waiter in ready { waiter.continuation.resume() }
            }
        }
        flushing = false
        if closeRequested { release() }
    }

    /// After a failed batch nothing more becomes durable: every waiter is told.
    private func failWaiters(_ error: LedgerError) {
        let waiters = durabilityWaiters
        durabilityWaiters.removeAll()
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// Runs `write` + `fsync` on the ledger's own queue.
    private func write(_ bytes: [UInt8]) async -> String? {
        let fd = fileDescriptor
        return await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            queue.async {
                continuation.resume(returning: LedgerFileIO.appendDurably(fd, bytes))
            }
        }
    }

    /// Releases the lock and closes the file. Appends already accepted are still written (if a
    /// batch is in flight, the lock is released when it ends); later ones throw
    /// ``LedgerError/closed(path:)``. Calling it again does nothing.
    ///
    /// The descriptors are `O_CLOEXEC`, but a child process being spawned at this very moment
    /// holds copies until its `exec`, and the lock lasts until then.
    public func close() {
        closeRequested = true
        if !flushing { release() }
    }

    private func release() {
        if fileDescriptor >= 0 { LedgerFileIO.closeDescriptor(fileDescriptor) }
        if lockDescriptor >= 0 { LedgerFileIO.closeDescriptor(lockDescriptor) }
        fileDescriptor = -1
        lockDescriptor = -1
    }
}
