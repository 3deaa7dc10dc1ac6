import BulkImportLedger
import Foundation
import Testing

@testable import BulkImportKit

/// The HTTP service, but every create first reads the ledger file as it is on disk at that moment
/// and notes whether the create's intent is there: what a crash right then would leave.
private struct LedgerReadingService: ImportService {
    let inner: HTTPImportService
    let ledgerPath: String
    let seen: Seen

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var withIntent = 0
        private var withoutIntent: [String] = []
        func note(key: String, found: Bool) {
            lock.withLock { if found { withIntent += 1 } else { withoutIntent.append(key) } }
        }
        var counts: (withIntent: Int, withoutIntent: [String]) { lock.withLock { (withIntent, withoutIntent) } }
    }

    func create(_ request: ImportRequest, api: BulkImportKit.ImportAPI) async throws(ImportError) -> [String] {
        let key = request.header("Idempotency-Key") ?? ""
        let records = (try? Ledger.records(path: ledgerPath)) ?? []
        seen.note(key: key, found: records.contains { $0.event == .intent && $0.idempotencyKey == key })
        return try await inner.create(request, api: api)
    }

    func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress {
        try await inner.progress(of: job, jobID: jobID)
    }

    func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob] {
        try await inner.list(target, collectionName: collectionName)
    }

    func listAll(_ target: ImportTarget, collectionName: String, maxPages: Int) async throws(ImportError) -> JobListing {
        try await inner.listAll(target, collectionName: collectionName, maxPages: maxPages)
    }
}

@Suite("The write-ahead intent: durable before its create, its fsync shared")
struct WriteAheadTests {
    @Test("every create reaches the server only once its intent is in the ledger file, with 32 in flight")
    func intentBeforeCreate() async throws {
        try await Harness.with { h in
            let jobs = (0..<96).map { h.milvusJob(String(format: "wa-%03d", $0)) }
            let ledger = try await h.openLedger()
            let seen = LedgerReadingService.Seen()
            var options = RunOptions()
            options.concurrency = 32
            let executor = ImportExecutor(
                service: LedgerReadingService(inner: HTTPImportService(transport: h.transport), ledgerPath: h.ledgerPath, seen: seen),
                ledger: ledger, options: options, observer: EventLog())
            let summary = await executor.run(jobs)
            let flushes = await ledger.flushCount
            let records = try await ledger.records()
            await ledger.close()
            #expect(summary.submitted == 96 && summary.exitCode == 0)
            let (withIntent, withoutIntent) = seen.counts
            #expect(withIntent == 96)
            #expect(withoutIntent.isEmpty, "creates sent before their intent was written: \(withoutIntent.prefix(5))")
            #expect(await h.creates().count == 96)
            // Two records a job (intent, submitted): concurrent jobs' records go out together.
            #expect(records.count == 192)
            #expect(flushes < records.count, "\(flushes) write+fsync batches for \(records.count) records: none shared")
        }
    }
}

/// A one-shot gate a test opens; waiting on it ends when it is opened or after `timeout`.
private final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = false
    private var openedBy: String?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open(by who: String) {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            guard !opened else { return [] }
            opened = true
            openedBy = who
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    var opener: String? { lock.withLock { openedBy } }

    func wait(timeout: Duration) async {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.open(by: "the timeout")
        }
        await withCheckedContinuation { continuation in
            let now = lock.withLock { () -> Bool in
                if opened { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        timer.cancel()
    }
}

/// The ledger, but the wait for a `submitted` record to be durable lasts until `gate` opens.
private struct HeldSubmittedStore: StateStore {
    let inner: Ledger
    let gate: Gate

    var location: String { inner.location }
    var warnings: [String] { get async { await inner.warnings } }
    var isNew: Bool { get async { await inner.isNew } }
    func entry(for job: String) async throws -> LedgerEntry? { try await inner.entry(for: job) }
    func entries() async throws -> [LedgerEntry] { try await inner.entries() }
    func records() async throws -> [LedgerRecord] { try await inner.records() }
    func claim(_ job: String) async throws -> ClaimResult { .claimed }
    func close() async { await inner.close() }

    func append(_ records: [LedgerRecord]) async throws {
        try await inner.append(records)
        if records.contains(where: { $0.event == .submitted }) { await gate.wait(timeout: .seconds(300)) }
    }

    func appendLater(_ records: [LedgerRecord]) async -> PendingAppend {
        let pending = await inner.appendLater(records)
        let gate = gate
        guard records.contains(where: { $0.event == .submitted }) else { return pending }
        return PendingAppend {
            await gate.wait(timeout: .seconds(300))
            try await pending.durable()
        }
    }
}

/// The HTTP service, opening `gate` when the create of `job` is sent.
private struct GateOpeningService: ImportService {
    let inner: HTTPImportService
    let gate: Gate
    let key: String

    func create(_ request: ImportRequest, api: BulkImportKit.ImportAPI) async throws(ImportError) -> [String] {
        if request.header("Idempotency-Key") == key { gate.open(by: "the second create") }
        return try await inner.create(request, api: api)
    }
    func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress {
        try await inner.progress(of: job, jobID: jobID)
    }
    func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob] {
        try await inner.list(target, collectionName: collectionName)
    }
}

extension WriteAheadTests {
    @Test("a job's slot is free once its create is answered: the next create goes out while its id is still being recorded")
    func slotFreedBeforeTheRecord() async throws {
        try await Harness.with { h in
            let jobs = [h.milvusJob("first"), h.milvusJob("second")]
            let secondKey = JobDigest.idempotencyKey(for: JobDigest.digest(of: jobs[1]))
            let gate = Gate()
            let ledger = try await h.openLedger()
            var options = RunOptions()
            options.concurrency = 1
            let executor = ImportExecutor(
                service: GateOpeningService(inner: HTTPImportService(transport: h.transport), gate: gate, key: secondKey),
                ledger: HeldSubmittedStore(inner: ledger, gate: gate), options: options, observer: EventLog())
            let summary = await executor.run(jobs)
            let records = try await ledger.records()
            await ledger.close()
            #expect(summary.submitted == 2 && summary.exitCode == 0)
            // With one slot, the second create can only open the gate if the first job let go of
            // its slot before its id was durable.
            #expect(gate.opener == "the second create")
            // The first job's id is written before the second job's intent, so the fsync that lets
            // the second create go makes the first id durable too.
            #expect(
                records.map { "\($0.event.rawValue) \($0.job)" } == [
                    "intent first", "submitted first", "intent second", "submitted second",
                ])
        }
    }

    @Test("an append accepted without waiting is durable once a later append returns, and its wait ends then")
    func acceptedThenCovered() async throws {
        try await Harness.with { h in
            let ledger = try await h.openLedger()
            func record(_ event: LedgerRecord.Event, _ job: String) -> LedgerRecord {
                LedgerRecord(
                    event: event, job: job, digest: "d", target: "local", api: "milvus-v2", jobIDs: event == .submitted ? ["1"] : [])
            }
            let first = try await ledger.appendWithoutWaiting([record(.submitted, "a")])
            try await ledger.append(record(.intent, "b"))
            // Read from disk: the later append returned, so the earlier one is in the file before it.
            #expect(try Ledger.records(path: h.ledgerPath).map(\.job) == ["a", "b"])
            try await ledger.waitUntilDurable(first)
            #expect(await ledger.entry(for: "a")?.jobIDs == ["1"])
            await ledger.close()
            await #expect(throws: LedgerError.self) { _ = try await ledger.appendWithoutWaiting([record(.intent, "c")]) }
        }
    }
}
