import Testing

@testable import BulkImportLedger

@Suite("Ledger JSON lines")
struct LedgerJSONTests {
    static let awkward = [
        "plain", "", "with \"quotes\" and \\backslashes\\", "new\nline\r\ttab", "nul \u{0} bell \u{7} del \u{7F}",
        "unicode: été 漢字 🚀 \u{2028}\u{2029}", "{\"looks\":\"like json\"}", "slash / and \\u0041",
    ]

    private func roundTrip(_ record: LedgerRecord) throws -> LedgerRecord {
        let bytes = LedgerJSON.encode(record)
        #expect(!bytes.contains(0x0A), "a record must stay on one line")
        return try LedgerJSON.decode(bytes, in: 0..<bytes.count)
    }

    @Test("records with awkward strings round-trip exactly")
    func awkwardStrings() throws {
        for text in Self.awkward {
            let record = LedgerRecord(
                time: 1_700_000_000.123, event: .failed, job: text, digest: "ab" + text, target: text, api: text,
                jobIDs: [text, "x"], group: 3, attempt: 2, state: text, progress: 42, error: text, idempotencyKey: text
            )
            #expect(try roundTrip(record) == record)
        }
    }

    @Test("every event and optional field round-trips")
    func everyEvent() throws {
        for event in LedgerRecord.Event.allCases {
            let bare = LedgerRecord(time: 1, event: event, job: "j", digest: "d", target: "t", api: "a")
            #expect(try roundTrip(bare) == bare)
        }
        let encoded = String(decoding: LedgerJSON.encode(.test(.cleanedUp, "j")), as: UTF8.self)
        #expect(
            encoded
                == #"{"time":1700000000.250,"event":"cleaned-up","job":"j","digest":"d1","target":"local","api":"milvus-v2","jobIDs":[],"attempt":1}"#
        )
    }

    @Test("a generation and a note are written after every older field, and read back")
    func generationAndNote() throws {
        var record = LedgerRecord.test(.submitted, "j", ids: ["5"], key: "k-r2")
        record.generation = 2
        record.note = "adopted: \"x\""
        let line = String(decoding: LedgerJSON.encode(record), as: UTF8.self)
        #expect(line.hasSuffix(#","idempotencyKey":"k-r2","generation":2,"note":"adopted: \"x\""}"#))
        #expect(try roundTrip(record) == record)
    }

    @Test("the bytes of a full record are pinned: existing ledgers and new ones stay alike")
    func fullRecordBytes() throws {
        let record = LedgerRecord(
            time: 1_700_000_000.123, event: .failed, job: "j\"1 \\ été", digest: "abc", target: "t", api: "zilliz-v2",
            jobIDs: ["1", "2"], group: 3, attempt: 2, state: "Failed", progress: 42, error: "bad\u{7F}\n\t\u{1}",
            idempotencyKey: "k")
        let line =
            #"{"time":1700000000.123,"event":"failed","job":"j\"1 \\ été","digest":"abc","target":"t","api":"zilliz-v2","jobIDs":["1","2"],"group":3,"attempt":2,"state":"Failed","progress":42,"error":"bad\u007f\n\t\u0001","idempotencyKey":"k"}"#
        #expect(String(decoding: LedgerJSON.encode(record), as: UTF8.self) == line)
        let bytes = Array(line.utf8)
        #expect(try LedgerJSON.decode(bytes, in: 0..<bytes.count) == record)
    }

    @Test(
        "time is kept with millisecond precision",
        arguments: [
            (1_700_000_000.1234, "1700000000.123"), (1_700_000_000.9996, "1700000001.000"), (0, "0.000"),
            (-1.5, "-1.500"), (0.001, "0.001"), (Double.nan, "0"),
        ])
    func time(value: Double, text: String) throws {
        var out: [UInt8] = []
        LedgerJSON.appendTime(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == text)
    }

    @Test("escapes written by other JSON writers decode, unknown keys are ignored")
    func foreignJSON() throws {
        let line =
            #"  {"extra":{"nested":[1,2,{"a":null}]},"time":1.5e3,"event":"progress","job":"\u00e9\ud83d\ude80\/","digest":"d","jobIDs":["a"],"attempt":2,"progress":50,"state":null,"error":"\ud800x"}  "#
        let bytes = Array(line.utf8)
        let record = try LedgerJSON.decode(bytes, in: 0..<bytes.count)
        #expect(record.time == 1500)
        #expect(record.job == "é🚀/")
        #expect(record.event == .progress)
        #expect(record.target == "" && record.api == "")
        #expect(record.progress == 50 && record.state == nil)
        #expect(record.error == "\u{FFFD}x")
    }

    @Test(
        "lines that are not records are rejected, not crashed on",
        arguments: [
            "", "{", "[]", "{\"time\":1}", "{\"time\":\"1\",\"event\":\"intent\",\"job\":\"j\",\"digest\":\"d\"}",
            "{\"time\":1,\"event\":\"exploded\",\"job\":\"j\",\"digest\":\"d\"}",
            "{\"time\":1,\"event\":\"intent\",\"job\":\"j\",\"digest\":\"d\"} trailing",
            "{\"time\":1,\"event\":\"intent\",\"job\":\"j\",\"digest\":\"d\",\"jobIDs\":[1]}",
            "{\"time\":1,\"event\":\"intent\",\"job\":\"bad \\q escape\",\"digest\":\"d\"}",
            "{\"time\":01,\"event\":\"intent\",\"job\":\"j\",\"digest\":\"d\"}",
            String(repeating: "[", count: 100),
        ])
    func garbage(line: String) {
        let bytes = Array(line.utf8)
        #expect(throws: LedgerJSON.DecodeError.self) { try LedgerJSON.decode(bytes, in: 0..<bytes.count) }
    }

    @Test("invalid UTF-8 inside a string is rejected")
    func invalidUTF8() {
        let bytes = Array(#"{"time":1,"event":"intent","job":""#.utf8) + [0xFF, 0xFE] + Array(#"","digest":"d"}"#.utf8)
        #expect(throws: LedgerJSON.DecodeError.self) { try LedgerJSON.decode(bytes, in: 0..<bytes.count) }
    }
}
