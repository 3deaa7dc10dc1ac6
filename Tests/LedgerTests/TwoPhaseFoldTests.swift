import Testing

@testable import BulkImportLedger

/// The records of two-phase imports, as the ledger folds them.
@Suite("Two-phase records in the ledger")
struct TwoPhaseFoldTests {
    func record(_ event: LedgerRecord.Event, generation: Int? = nil, error: String? = nil) -> LedgerRecord {
        LedgerRecord(
            event: event, job: "j", digest: "d", target: "t", api: "milvus-v2", jobIDs: ["7"], error: error, generation: generation)
    }

    @Test("a commit decided stays decided; committed keeps the job submitted")
    func commit() {
        let fold = LedgerFolding([record(.intent), record(.submitted), record(.commitDecided), record(.progress), record(.committed)])
        let entry = fold.entry(for: "j")
        #expect(entry?.twoPhase == .committed && entry?.status == .submitted && entry?.twoPhase?.commits == true)
    }

    @Test("an abort makes the job failed with its reason; a new sending starts the marks afresh")
    func abort() {
        var fold = LedgerFolding([record(.intent), record(.submitted), record(.abortDecided), record(.aborted, error: "aborted")])
        #expect(fold.entry(for: "j")?.status == .failed && fold.entry(for: "j")?.twoPhase == .aborted)
        #expect(fold.entry(for: "j")?.lastError == "aborted")
        fold.apply(record(.intent, generation: 2))
        #expect(fold.entry(for: "j")?.twoPhase == nil && fold.entry(for: "j")?.status == .intent)
    }

    @Test("the new events round-trip through a line, and a ledger without them folds as before")
    func lines() throws {
        for event in [LedgerRecord.Event.commitDecided, .committed, .abortDecided, .aborted] {
            let line = record(event).jsonLine
            #expect(try LedgerRecord(jsonLine: line).event == event)
        }
        #expect(record(.commitDecided).jsonLine.contains(#""event":"commit-decided""#))
        #expect(LedgerFolding([record(.intent), record(.submitted)]).entry(for: "j")?.twoPhase == nil)
    }
}
