import Testing

@testable import BulkImportLedger

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Ledger crash safety", .serialized)
struct LedgerCrashTests {
    @Test("SIGKILL mid-way: every acknowledged record is there and the file reads")
    func killMidway() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file()
        let child = try LedgerCrashWriterProcess(arguments: [path, "1000000", "--concurrency", "16"])
        let early = await child.lines { lines in Self.acks(lines).count >= 300 }
        child.kill()
        let acked = Self.acks(early + (await child.lines()))
        let status = await child.wait()
        #expect(status & 0x7F == SIGKILL, "the writer should have been killed, not exited (status \(status))")
        #expect(acked.count >= 300)

        let ledger = try Ledger.open(path: path)
        let warnings = await ledger.warnings
        // At most the last line can be torn; nothing in the middle is bad.
        #expect(warnings.count <= 1)
        #expect(warnings.allSatisfy { $0.contains("interrupted") })
        let entries = await ledger.entries()
        let byJob = Dictionary(uniqueKeysWithValues: entries.map { ($0.job, $0) })
        for i in acked {
            let entry = byJob["job-\(i)"]
            #expect(entry?.jobIDs == ["id-\(i)"], "acknowledged record \(i) is missing")
            #expect(entry?.lastError == "line one\nline two ✓")
        }
        // And the ledger goes on: an append after the crash reads back cleanly.
        try await ledger.append(.test(.intent, "after-crash"))
        await ledger.close()
        let reopened = try await Ledger.openAfterClose(path: path)
        #expect(await reopened.entry(for: "after-crash")?.status == .intent)
        #expect(await reopened.entries().count == entries.count + 1)
        await reopened.close()
    }

    @Test("a failed write (file size limit) fails the append, refuses later ones, and leaves no half record")
    func writeFailure() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file()
        let child = try LedgerCrashWriterProcess(arguments: [path, "100000", "--concurrency", "4", "--fsize-limit", "20000"])
        let lines = await child.lines()
        let status = await child.wait()
        #expect(status & 0x7F == 0 && (status >> 8) & 0xFF == 3, "exit status \(status)")
        let failures = lines.filter { $0.hasPrefix("failed ") }
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { $0.contains("cannot write to the state file \(path): File too large") })
        #expect(lines.last?.hasPrefix("refused: cannot write to the state file \(path)") == true)
        let acked = Self.acks(lines)
        #expect(acked.count > 10)

        let bytes = LedgerTestDirectory.read(path)
        #expect(bytes.last == 0x0A, "the file was cut back to its last whole record")
        let ledger = try Ledger.open(path: path)
        #expect(await ledger.warnings.isEmpty)
        let jobs = Set(await ledger.entries().map(\.job))
        #expect(acked.allSatisfy { jobs.contains("job-\($0)") })
        await ledger.close()
    }

    /// The record numbers the writer acknowledged ("ack N" lines).
    private static func acks(_ lines: [String]) -> Set<Int> {
        Set(lines.compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil })
    }
}
