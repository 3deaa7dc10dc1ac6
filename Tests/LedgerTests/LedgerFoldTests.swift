import Testing

@testable import BulkImportLedger

@Suite("Ledger fold rules")
struct LedgerFoldTests {
    private func fold(_ records: [LedgerRecord]) -> LedgerEntry? {
        var fold: LedgerFold?
        for record in records {
            if fold == nil { fold = LedgerFold(record) } else { fold!.apply(record) }
        }
        return fold?.entry
    }

    @Test("a whole job's life: intent, submitted, progress, completed, cleaned-up")
    func lifecycle() {
        var records: [LedgerRecord] = [.test(.intent, "j", key: "k1")]
        #expect(fold(records)?.status == .intent)
        #expect(fold(records)?.idempotencyKey == "k1")
        records.append(.test(.submitted, "j", ids: ["100"]))
        #expect(fold(records)?.status == .submitted)
        records.append(.test(.progress, "j", state: "Importing", progress: 40))
        var entry = fold(records)
        #expect(entry?.status == .submitted && entry?.state == "Importing" && entry?.progress == 40)
        records.append(.test(.completed, "j", state: "Completed", progress: 100))
        #expect(fold(records)?.status == .completed)
        records.append(.test(.cleanedUp, "j"))
        entry = fold(records)
        #expect(
            entry
                == LedgerEntry(
                    job: "j", digest: "d1", status: .cleanedUp, jobIDs: ["100"], attempts: 1, idempotencyKey: "k1",
                    state: "Completed", progress: 100
                ))
    }

    @Test("unknown, failed with its error, and a retry that keeps every id")
    func failures() {
        let entry = fold([
            .test(.intent, "j"), .test(.unknown, "j", error: "timed out"),
            .test(.intent, "j", attempt: 2), .test(.submitted, "j", ids: ["1"], attempt: 2),
            .test(.failed, "j", ids: ["1"], attempt: 2, state: "Failed", error: "bad \"row\""),
            .test(.intent, "j", attempt: 3), .test(.submitted, "j", ids: ["2"], attempt: 3),
        ])
        #expect(entry?.status == .submitted)
        #expect(entry?.jobIDs == ["1", "2"])
        #expect(entry?.attempts == 3)
        #expect(entry?.lastError == "bad \"row\"")
        #expect(fold([.test(.intent, "j"), .test(.unknown, "j")])?.status == .unknown)
        #expect(fold([.test(.intent, "j"), .test(.failed, "j", error: "e")])?.lastError == "e")
    }

    @Test("progress after intent or unknown means submitted")
    func progressMeansSubmitted() {
        #expect(fold([.test(.unknown, "j"), .test(.progress, "j", ids: ["9"], progress: 5)])?.status == .submitted)
    }

    @Test("a new digest starts a new fold; attempts count that digest only")
    func newDigest() {
        let entry = fold([
            .test(.intent, "j", digest: "old", attempt: 1), .test(.submitted, "j", digest: "old", ids: ["1"]),
            .test(.failed, "j", digest: "old", attempt: 4, error: "old error"),
            .test(.intent, "j", digest: "new", attempt: 1),
        ])
        #expect(entry == LedgerEntry(job: "j", digest: "new", status: .intent, attempts: 1))
    }

    @Test("per-group ids are never lost and are ordered by group")
    func groups() {
        let entry = fold([
            .test(.intent, "j"),
            .test(.submitted, "j", ids: ["g2"], group: 2),
            .test(.submitted, "j", ids: ["g0"], group: 0),
            .test(.failed, "j", ids: ["g1"], group: 1, error: "boom"),
            .test(.progress, "j", group: 0, progress: 30),
            .test(.submitted, "j", ids: ["g1-retry"], group: 1, attempt: 2),
            .test(.completed, "j", ids: ["g0"], group: 0),
        ])
        #expect(entry?.groupIDs == [0: "g0", 1: "g1-retry", 2: "g2"])
        #expect(entry?.jobIDs == ["g0", "g1", "g1-retry", "g2"])
        #expect(entry?.attempts == 2)
        #expect(entry?.lastError == "boom")
    }
}
