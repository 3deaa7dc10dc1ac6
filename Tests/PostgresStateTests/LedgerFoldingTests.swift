import BulkImportLedger
import TestSupport
import Testing

/// What the PostgreSQL state builds on, without a server: records as JSON lines, and the public
/// fold, which must equal the file ledger's.
struct LedgerFoldingTests {
    @Test func aJSONLineReadsBackAsTheSameRecord() throws {
        for record in PostgresStateTests().sampleHistory().joined() {
            #expect(try LedgerRecord(jsonLine: record.jsonLine) == record)
            #expect(!record.jsonLine.contains("\n"))
        }
        #expect(throws: LedgerRecord.JSONLineError.self) { try LedgerRecord(jsonLine: #"{"time":1}"#) }
        #expect(throws: LedgerRecord.JSONLineError.self) { try LedgerRecord(jsonLine: "not json") }
    }

    @Test func foldingEqualsTheFileLedger() async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.url.appendingPathComponent("state.jsonl").path
            let ledger = try Ledger.open(path: path)
            let history = PostgresStateTests().sampleHistory()
            for batch in history { try await ledger.append(batch) }
            let folding = LedgerFolding(history.joined())
            #expect(folding.entries == (await ledger.entries()))
            #expect(folding.entries == (try Ledger.snapshot(path: path)))
            for entry in folding.entries { #expect(folding.entry(for: entry.job) == entry) }
            #expect(try await ledger.records() == Array(history.joined()))
            await ledger.close()
            // Read by path after close, as `state export` does.
            #expect(try Ledger.records(path: path) == Array(history.joined()))
            #expect(try Ledger.records(path: folder.url.appendingPathComponent("missing.jsonl").path).isEmpty)
        }
    }
}
