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
        var expected = LedgerEntry(
            job: "j", digest: "d1", status: .cleanedUp, jobIDs: ["100"], attempts: 1, idempotencyKey: "k1",
            state: "Completed", progress: 100)
        // Records without a generation were written before generations existed: the first.
        expected.generation = 1
        expected.generations = ["d1": 1]
        expected.firstRecorded = records[0].time
        expected.lastRecorded = records[0].time
        #expect(entry == expected)
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
        var expected = LedgerEntry(job: "j", digest: "new", status: .intent, attempts: 1)
        // The generations of every digest are kept across the new fold.
        expected.generation = 1
        expected.generations = ["old": 1, "new": 1]
        expected.firstRecorded = 1_700_000_000.25
        expected.lastRecorded = 1_700_000_000.25
        #expect(entry == expected)
    }

    @Test("generations: a retry keeps one, a deliberate sending takes the next, a digest sent before continues its own")
    func generations() {
        var records: [LedgerRecord] = [.test(.intent, "j", digest: "a"), .test(.failed, "j", digest: "a", error: "e")]
        #expect(fold(records)?.generation == 1)
        var second = LedgerRecord.test(.intent, "j", digest: "a", attempt: 2)
        second.generation = 2
        records.append(second)
        #expect(fold(records)?.generation == 2)
        records.append(.test(.intent, "j", digest: "b"))
        #expect(fold(records)?.generation == 1)
        #expect(fold(records)?.generations == ["a": 2, "b": 1])
        // Back to digest a: its fold starts where a's generations ended.
        var back = LedgerRecord.test(.progress, "j", digest: "a", ids: ["7"])
        back.note = "adopted"
        records.append(back)
        #expect(fold(records)?.generation == 2)
        #expect(fold(records)?.note == "adopted")
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
