import BulkImportLedger
import Foundation
import Testing

@testable import BulkImportKit

/// The HTTP service, but the target's list of a collection is held until a create arrives (a
/// create that did not wait for the list) or `hold` passes; each create notes whether the list
/// had answered by then.
private struct SlowListService: ImportService {
    let inner: HTTPImportService
    let seen: Seen
    let hold: Duration

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var listAnswered = false
        private var early: [String] = []
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private var released = false

        func created(_ key: String) {
            lock.withLock { if !listAnswered { early.append(key) } }
            release()
        }

        /// Lets the held list go on.
        func release() {
            let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                released = true
                defer { waiters = [] }
                return waiters
            }
            for waiter in waiting { waiter.resume() }
        }

        func answered() { lock.withLock { listAnswered = true } }

        /// The creates sent before the list answered.
        var createsBeforeList: [String] { lock.withLock { early } }

        /// Ends when a create arrives or after `timeout`.
        func waitForACreate(timeout: Duration) async {
            let timer = Task {
                try? await Task.sleep(for: timeout)
                self.release()
            }
            await withCheckedContinuation { continuation in
                let now = lock.withLock { () -> Bool in
                    if released { return true }
                    waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
            timer.cancel()
        }
    }

    func create(_ request: ImportRequest, api: BulkImportKit.ImportAPI) async throws(ImportError) -> [String] {
        seen.created(request.header("Idempotency-Key") ?? "?")
        return try await inner.create(request, api: api)
    }

    func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress {
        try await inner.progress(of: job, jobID: jobID)
    }

    func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob] {
        try await inner.list(target, collectionName: collectionName)
    }

    func listAll(_ target: ImportTarget, collectionName: String, maxPages: Int) async throws(ImportError) -> JobListing {
        await seen.waitForACreate(timeout: hold)
        let listing = try await inner.listAll(target, collectionName: collectionName, maxPages: maxPages)
        seen.answered()
        return listing
    }
}

/// Why a create that the state holds no id for waits for the target's list, however slow: the
/// state cannot prove a job was never created. It may have been deleted, or restored from an older
/// copy, since the job was created; the job may have been renamed.
@Suite("Reconciliation's list comes before every create the state has no id for")
struct ListBeforeCreateTests {
    private func executor(_ h: Harness, _ ledger: Ledger, _ seen: SlowListService.Seen, options: RunOptions = RunOptions())
        -> ImportExecutor
    {
        var options = options
        options.concurrency = 8
        return ImportExecutor(
            service: SlowListService(inner: HTTPImportService(transport: h.transport), seen: seen, hold: .seconds(2)),
            ledger: ledger, options: options, observer: EventLog())
    }

    @Test("jobs with no record at all wait for the list, so that those a lost state had created are adopted")
    func neverRecordedJobsWait() async throws {
        try await Harness.with { h in
            let earlier = (0..<4).map { h.milvusJob("lost-\($0)") }
            #expect(try await h.run(earlier).submitted == 4)
            // The state is lost; the manifest gained four jobs the target has never seen.
            try FileManager.default.removeItem(atPath: h.ledgerPath)
            let jobs = earlier + (0..<4).map { h.milvusJob("new-\($0)") }

            let ledger = try await h.openLedger()
            let seen = SlowListService.Seen()
            let summary = await executor(h, ledger, seen).run(jobs)
            await ledger.close()
            #expect(seen.createsBeforeList.isEmpty, "creates sent before the list answered: \(seen.createsBeforeList)")
            #expect(summary.adopted == 4 && summary.submitted == 4 && summary.exitCode == 0, "\(summary)")
            #expect(await h.server.jobs().count == 8)
        }
    }

    @Test("a job with only an intent record (killed after it) waits for the list, and is adopted when the target has it")
    func intentRecordWaits() async throws {
        try await Harness.with { h in
            let job = h.milvusJob("p1")
            #expect(try await h.run([job]).submitted == 1)
            // What a kill -9 between the intent and the answer leaves: an intent and no id.
            try FileManager.default.removeItem(atPath: h.ledgerPath)
            let digest = JobDigest.digest(of: job)
            let ledger = try await h.openLedger()
            try await ledger.append([
                LedgerRecord(
                    event: .intent, job: job.name, digest: digest, target: job.target.displayName,
                    api: job.target.api.rawValue, idempotencyKey: JobDigest.idempotencyKey(for: digest, generation: 1), generation: 1)
            ])
            var options = RunOptions()
            options.unknownCreateSettles = .zero
            let seen = SlowListService.Seen()
            let summary = await executor(h, ledger, seen, options: options).run([job, h.milvusJob("p2")])
            await ledger.close()
            #expect(seen.createsBeforeList.isEmpty, "creates sent before the list answered: \(seen.createsBeforeList)")
            #expect(summary.adopted == 1 && summary.submitted == 1 && summary.exitCode == 0, "\(summary)")
            #expect(await h.server.jobs().count == 2)
        }
    }
}
