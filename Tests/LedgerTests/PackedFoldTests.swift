import Testing

@testable import BulkImportLedger

@Suite("Packed folds: what a ledger keeps of every job")
struct PackedFoldTests {
    private static let hex = "3f9a0c6e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c"

    private func roundTrip(_ entry: LedgerEntry, idGroups: [Int?]? = nil) {
        let groups = idGroups ?? Array(repeating: nil, count: entry.jobIDs.count)
        let unpacked = PackedFold(entry, idGroups: groups).unpacked()
        #expect(unpacked.entry == entry)
        #expect(unpacked.idGroups == groups)
    }

    @Test("every shape of entry comes back exactly as it was packed")
    func lossless() {
        var plain = LedgerEntry(
            job: "job-000001", digest: Self.hex, status: .submitted, jobIDs: ["455434197528364711"], attempts: 1,
            idempotencyKey: "bulk-import-" + Self.hex.prefix(40))
        plain.generation = 1
        plain.generations = [Self.hex: 1]
        plain.firstRecorded = 1_700_000_000.125
        plain.lastRecorded = 1_700_000_000.25
        roundTrip(plain)

        var variants: [(LedgerEntry, [Int?]?)] = []
        var entry = plain
        entry.idempotencyKey = "bulk-import-" + Self.hex.prefix(40) + "-r2-g1"
        variants.append((entry, nil))
        entry.idempotencyKey = "a key of another tool"
        variants.append((entry, nil))
        entry.idempotencyKey = nil
        variants.append((entry, nil))
        for id in ["0", "007", "-1", "18446744073709551616", "job-abc", "", "１２"] {
            entry = plain
            entry.jobIDs = [id]
            variants.append((entry, nil))
        }
        for digest in [Self.hex.uppercased(), String(Self.hex.dropLast()), Self.hex + "0", "d1", "", "é" + Self.hex.dropFirst()] {
            entry = plain
            entry.digest = digest
            entry.generations = [digest: 1]
            entry.idempotencyKey = "bulk-import-" + digest.prefix(40)
            variants.append((entry, nil))
        }
        entry = plain
        entry.jobIDs = ["7", "8", "9"]
        entry.groupIDs = [0: "7", 2: "9"]
        entry.groupStatus = [0: .submitted, 1: .unknown, 2: .submitted]
        variants.append((entry, [nil, 0, 2]))
        variants.append((entry, nil))
        entry = plain
        entry.jobIDs = []
        entry.generation = 0
        entry.generations = [:]
        entry.status = .intent
        variants.append((entry, nil))
        entry = plain
        entry.generation = 3
        entry.generations = [Self.hex: 3, "d0": 2]
        entry.lastError = "code 1100: collection not found\nline two"
        entry.state = "Importing"
        entry.progress = 40
        entry.note = "adopted from the target"
        entry.attempts = Int.max
        variants.append((entry, nil))
        entry = plain
        entry.generations = [Self.hex: 2]
        variants.append((entry, nil))
        for mark in LedgerEntry.TwoPhaseMark.allCases {
            entry = plain
            entry.twoPhase = mark
            entry.jobIDs = ["455434197528364711", "455434197528364999"]
            entry.currentIDsStart = 1
            variants.append((entry, nil))
        }
        for (entry, groups) in variants { roundTrip(entry, idGroups: groups) }
    }

    /// A field added to `LedgerEntry` later must be packed too: an entry whose every stored
    /// property differs from a fresh one's must come back whole (the two-phase marks were once lost
    /// here, which made a resumed atomic run forget a commit it had decided).
    @Test("an entry with every field set comes back whole, so no field can be added and forgotten")
    func everyField() {
        var entry = LedgerEntry(
            job: "j", digest: Self.hex, status: .failed, jobIDs: ["1", "2"], groupIDs: [1: "2"], attempts: 2,
            lastError: "e", idempotencyKey: "k", state: "Failed", progress: 7)
        entry.groupStatus = [1: .failed]
        entry.generation = 2
        entry.generations = [Self.hex: 2, "d0": 1]
        entry.note = "n"
        entry.twoPhase = .abortDecided
        entry.currentIDsStart = 1
        entry.firstRecorded = 1
        entry.lastRecorded = 2
        let fresh = LedgerEntry(job: "", digest: "", status: .intent)
        let unset = zip(Mirror(reflecting: entry).children, Mirror(reflecting: fresh).children).filter {
            String(describing: $0.0.value) == String(describing: $0.1.value)
        }
        #expect(unset.isEmpty, "set these fields in this test: \(unset.map { $0.0.label ?? "?" })")
        roundTrip(entry, idGroups: [nil, 1])
    }

    @Test("a job's fold takes a fraction of the entry it stands for")
    func compact() {
        // Every job a ledger has seen stays in memory while it is open: 100,000 jobs used to keep
        // about 900 bytes each.
        // about 900 bytes each, most of it on the heap: the digest and the key as strings, the ids
        // and the generations in collections of their own.
        #expect(MemoryLayout<LedgerFold>.stride <= 144)
        // What every job has packs inline, with no allocation of its own.
        #expect(
            PackedDigest(Self.hex) == .sha256(0x3f9a_0c6e_1b2d_4f5a, 0x6b7c_8d9e_0f1a_2b3c, 0x4d5e_6f70_8192_a3b4, 0xc5d6_e7f8_091a_2b3c))
        #expect(PackedIDs.decimal("455434197528364711") == 455_434_197_528_364_711)
        #expect(PackedKey("bulk-import-" + Self.hex.prefix(40), digest: Self.hex) == .fromDigest(suffix: ""))
        #expect(PackedKey("bulk-import-" + Self.hex.prefix(40) + "-r2", digest: Self.hex) == .fromDigest(suffix: "-r2"))
    }

    @Test("the folding keeps first-appearance order and finds each job by name")
    func folding() {
        var folding = LedgerFolding()
        for i in 0..<1000 {
            folding.apply(.test(.intent, "j\(i)", digest: Self.hex, key: "bulk-import-" + Self.hex.prefix(40)))
        }
        for i in stride(from: 999, through: 0, by: -1) { folding.apply(.test(.submitted, "j\(i)", digest: Self.hex, ids: ["\(i)"])) }
        #expect(folding.count == 1000)
        #expect(folding.entries.map(\.job) == (0..<1000).map { "j\($0)" })
        let entry = folding.entry(for: "j500")
        #expect(entry?.status == .submitted && entry?.jobIDs == ["500"] && entry?.idempotencyKey == "bulk-import-" + Self.hex.prefix(40))
        #expect(folding.entry(for: "j1000") == nil)
    }
}

@Suite("Reading a ledger for its folds")
struct LedgerReadingTests {
    @Test("each record is handed over in file order and counted, none kept; a torn last line still warns")
    func handsRecordsOver() {
        func line(_ record: LedgerRecord) -> [UInt8] { LedgerJSON.encode(record) + [0x0A] }
        let bytes =
            line(.test(.intent, "a")) + line(.test(.submitted, "a", ids: ["1"])) + line(.test(.intent, "b")) + Array(#"{"time":1"#.utf8)
        var seen: [String] = []
        let contents = LedgerReader.read(bytes) { seen.append("\($0.event.rawValue) \($0.job)") }
        #expect(seen == ["intent a", "submitted a", "intent b"])
        #expect(contents.count == 3 && contents.records.isEmpty)
        #expect(contents.warnings.count == 1 && contents.needsLineEnd)
    }
}
