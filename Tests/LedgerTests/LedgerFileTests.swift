import Testing

@testable import BulkImportLedger

@Suite("Ledger file")
struct LedgerFileTests {
    @Test("records with awkward strings survive close and reopen; entries keep first-seen order")
    func reopen() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file("nested/folders/state.jsonl")
        let ledger = try Ledger.open(path: path)
        #expect(await ledger.entries().isEmpty)
        #expect(await ledger.warnings.isEmpty)
        for (i, text) in LedgerJSONTests.awkward.enumerated() {
            try await ledger.append([
                .test(.intent, text, key: text),
                .test(.failed, text, ids: [text], error: text),
                .test(.submitted, "other-\(i)", ids: ["\(i)"], group: i),
            ])
        }
        try await ledger.append(.test(.completed, LedgerJSONTests.awkward[0]))
        let before = await ledger.entries()
        #expect(before.count == LedgerJSONTests.awkward.count * 2)
        #expect(before.first?.job == "plain" && before.first?.status == .completed)
        #expect(await ledger.entry(for: "unicode: été 漢字 🚀 \u{2028}\u{2029}")?.lastError == "unicode: été 漢字 🚀 \u{2028}\u{2029}")
        #expect(await ledger.entry(for: "missing") == nil)
        await ledger.close()

        let reopened = try await Ledger.openAfterClose(path: path)
        defer { Task { await reopened.close() } }
        #expect(await reopened.entries() == before)
        #expect(await reopened.warnings.isEmpty)
        let lines = LedgerTestDirectory.read(path).split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.count == LedgerJSONTests.awkward.count * 3 + 2)  // + the completed record, + "" after the last \n
        #expect(lines.last?.isEmpty == true)
    }

    @Test("a torn last line is ignored with a warning; appends after it start on their own line")
    func tornLastLine() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file()
        let good = String(decoding: LedgerJSON.encode(.test(.submitted, "a", ids: ["1"])), as: UTF8.self)
        LedgerTestDirectory.write(path, good + "\n" + #"{"time":1700000000.250,"event":"submi"#)

        let ledger = try Ledger.open(path: path)
        #expect(await ledger.warnings == ["line 2 is incomplete (the previous run was interrupted while writing it); ignored"])
        #expect(await ledger.entries().map(\.job) == ["a"])
        try await ledger.append(.test(.submitted, "b", ids: ["2"]))
        try await ledger.append(.test(.completed, "a"))
        await ledger.close()

        let reopened = try await Ledger.openAfterClose(path: path)
        #expect(await reopened.entries().map(\.job) == ["a", "b"])
        #expect(await reopened.entry(for: "a")?.status == .completed)
        #expect(await reopened.entry(for: "b")?.jobIDs == ["2"])
        // The torn fragment is now a bad line in the middle, reported by number.
        let warnings = await reopened.warnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("line 2 is not a valid record (") == true)
        #expect(warnings.first?.hasSuffix("); skipped") == true)
        await reopened.close()
    }

    @Test("a garbage line in the middle is skipped with a warning naming its line; the rest reads")
    func garbageMiddleLine() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file()
        func line(_ record: LedgerRecord) -> String { String(decoding: LedgerJSON.encode(record), as: UTF8.self) }
        LedgerTestDirectory.write(
            path,
            [
                line(.test(.intent, "a")), "", "this is not json", line(.test(.submitted, "a", ids: ["1"])),
                #"{"time":1,"event":"teleported","job":"a","digest":"d1"}"#, line(.test(.intent, "b")),
            ].joined(separator: "\n") + "\n")
        let ledger = try Ledger.open(path: path)
        let warnings = await ledger.warnings
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("line 3 is not a valid record (not valid JSON: unexpected character at column 1)") == true)
        #expect(warnings.last == #"line 5 is not a valid record (unknown event "teleported"); skipped"#)
        #expect(await ledger.entry(for: "a")?.jobIDs == ["1"])
        #expect(await ledger.entry(for: "b")?.status == .intent)
        await ledger.close()
    }

    @Test("a whole record missing only its line end is kept, so it reads the same after the next append")
    func missingLineEnd() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file()
        LedgerTestDirectory.write(path, String(decoding: LedgerJSON.encode(.test(.submitted, "a", ids: ["1"])), as: UTF8.self))
        let ledger = try Ledger.open(path: path)
        #expect(
            await ledger.warnings == [
                "line 1 has no line end (the previous run was interrupted while writing it); its record is complete and was kept"
            ])
        #expect(await ledger.entry(for: "a")?.jobIDs == ["1"])
        try await ledger.append(.test(.intent, "b"))
        await ledger.close()
        let reopened = try await Ledger.openAfterClose(path: path)
        #expect(await reopened.warnings.isEmpty)
        #expect(await reopened.entries().map(\.job) == ["a", "b"])
        await reopened.close()
    }

    @Test("200 concurrent appends share few write+fsync batches")
    func groupCommit() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let ledger = try Ledger.open(path: dir.file())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { try await ledger.append(.test(.submitted, "job-\(i)", ids: ["id-\(i)"])) }
            }
            try await group.waitForAll()
        }
        let flushes = await ledger.flushCount
        #expect(flushes >= 1)
        #expect(flushes <= 50, "expected group commit, got \(flushes) batches for 200 appends")
        #expect(await ledger.entries().count == 200)
        await ledger.close()
        let reopened = try await Ledger.openAfterClose(path: dir.file())
        #expect(Set(await reopened.entries().map(\.job)) == Set((0..<200).map { "job-\($0)" }))
        await reopened.close()
    }

    @Test("appending nothing writes nothing; appending after close throws .closed")
    func emptyAndClosed() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let ledger = try Ledger.open(path: dir.file())
        try await ledger.append([])
        #expect(await ledger.flushCount == 0)
        await ledger.close()
        await ledger.close()
        await #expect(throws: LedgerError.closed(path: dir.file())) { try await ledger.append(.test(.intent, "a")) }
    }
}
