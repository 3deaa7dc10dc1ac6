import Testing

@testable import BulkImportLedger

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Ledger lock and open errors")
struct LedgerLockTests {
    @Test("a second open while the first is open is refused with the holder's pid; after close it succeeds")
    func locked() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path = dir.file()
        let first = try Ledger.open(path: path)
        #expect(throws: LedgerError.locked(path: path, pid: getpid())) { try Ledger.open(path: path) }
        let message = LedgerError.locked(path: path, pid: 42).description
        #expect(message.contains(path) && message.contains("pid 42") && message.contains("different state file"))
        await first.close()
        let second = try await Ledger.openAfterClose(path: path)
        #expect(second.path == path)
        await second.close()
    }

    @Test("a path whose folder cannot be created or written is refused with cannotOpen")
    func cannotOpen() async throws {
        let dir = try LedgerTestDirectory()
        defer { dir.remove() }
        let path: String
        if getuid() == 0 {
            // root writes through chmod, so use a regular file where a folder should be (ENOTDIR).
            LedgerTestDirectory.write(dir.file("file"), "not a folder")
            path = dir.file("file/state.jsonl")
        } else {
            _ = mkdir(dir.file("readonly"), 0o555)
            path = dir.file("readonly/state.jsonl")
        }
        #expect {
            try Ledger.open(path: path)
        } throws: { error in
            guard case .cannotOpen(let errorPath, let reason)? = error as? LedgerError else { return false }
            return errorPath == path && !reason.isEmpty
                && (error as? LedgerError)?.description.contains("cannot open the state file \(path)") == true
        }
        // A folder deeper under the file fails while creating folders.
        #expect(throws: LedgerError.self) { try Ledger.open(path: dir.file("file/deeper/state.jsonl")) }
        // A folder where the file should be.
        _ = mkdir(dir.file("folder.jsonl"), 0o755)
        #expect {
            try Ledger.open(path: dir.file("folder.jsonl"))
        } throws: { error in
            guard case .cannotOpen(let errorPath, _)? = error as? LedgerError else { return false }
            return errorPath == dir.file("folder.jsonl")
        }
        // The lock is released when opening fails, so a good path opens afterwards.
        let ledger = try await Ledger.openAfterClose(path: dir.file())
        await ledger.close()
    }
}
