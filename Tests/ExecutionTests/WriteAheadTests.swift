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
