import BulkImportLedger
@_spi(Testing) import BulkImportPostgres
import Foundation
import TestSupport
import Testing

/// The PostgreSQL state against a real server: one server for the suite, a new database per test.
@Suite(.postgresServer, .enabled(if: PostgresServer.available), .timeLimit(.minutes(5)))
struct PostgresStateTests {
    var server: PostgresServer { PostgresServer.current! }

    /// Opens a store on a new database, runs `body`, closes it.
    func withState<T>(
        runner: String = "runner-a", lease: Duration = .seconds(30), _ body: (PostgresState, String) async throws -> T
    ) async throws -> T {
        let database = try await server.createDatabase()
        return try await withOpened(
            { try await PostgresState.open(url: database.url, runner: runner, lease: lease) }, close: { await $0.close() }
        ) { state in try await body(state, database.url) }
    }

    @Test func foldsExactlyLikeTheFileLedger() async throws {
        try await TemporaryFolder.with { folder in
            try await withState { state, _ in
                #expect(await state.isNew)
                let path = folder.url.appendingPathComponent("state.jsonl").path
                let ledger = try Ledger.open(path: path)
                for batch in sampleHistory() {
                    try await ledger.append(batch)
                    try await state.append(batch)
                }
                await ledger.close()
                let fromFile = try Ledger.snapshot(path: path)
                #expect(try await state.entries() == fromFile)
                #expect(fromFile.count == 4)
                for entry in fromFile {
                    #expect(try await state.entry(for: entry.job) == entry)
                }
                #expect(try await state.entry(for: "never-recorded") == nil)
                #expect(try await state.records() == Ledger.records(path: path))
                #expect(try await state.records() == sampleHistory().flatMap { $0 })
            }
        }
    }

    @Test func concurrentAppendsShareTransactions() async throws {
        try await withState { state, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<200 {
                    group.addTask { try await state.append(.sample(.intent, "job-\(i)")) }
                }
                try await group.waitForAll()
            }
            let flushes = await state.flushCount
            #expect(flushes >= 1)
            #expect(flushes < 200, "expected group commit, got \(flushes) INSERTs for 200 appends")
            #expect(try await state.entries().count == 200)
            #expect(try await state.records().count == 200)
        }
    }

    @Test func reopeningSeesWhatWasRecordedAndIsNotNew() async throws {
        let database = try await server.createDatabase()
        let first = try await PostgresState.open(url: database.url, runner: "a")
        #expect(await first.isNew)
        try await first.append(.sample(.submitted, "one", ids: ["42"]))
        await first.close()
        await first.close()
        await #expect(throws: PostgresStateError.self) { try await first.append(.sample(.intent, "two")) }

        let second = try await PostgresState.open(url: database.url, runner: "a")
        #expect(await !second.isNew)
        #expect(try await second.entry(for: "one")?.jobIDs == ["42"])
        await second.close()
    }

    @Test func readingAStateThatDoesNotExistCreatesNothing() async throws {
        let database = try await server.createDatabase()
        await #expect {
            try await PostgresState.open(url: database.url, runner: "a", create: false)
        } throws: { error in
            guard case .noState = error as? PostgresStateError else { return false }
            return "\(error)".contains("holds no bulk-import state")
        }
        // Still nothing there: a state opened to write is new.
        let writer = try await PostgresState.open(url: database.url, runner: "a")
        #expect(await writer.isNew)
        try await writer.append(.sample(.intent, "job"))
        let reader = try await PostgresState.open(url: database.url, runner: "b", create: false)
        #expect(try await reader.entry(for: "job")?.status == .intent)
        await reader.close()
        await writer.close()
    }

    @Test func runnersStartingTogetherCreateTheTablesOnce() async throws {
        let database = try await server.createDatabase()
        let states = try await withThrowingTaskGroup(of: PostgresState.self) { group in
            for i in 0..<4 {
                group.addTask { try await PostgresState.open(url: database.url, runner: "r\(i)") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(states.count == 4)
        for state in states { await state.close() }
    }

    @Test func eachJobIsClaimedByExactlyOneRunner() async throws {
        let database = try await server.createDatabase()
        let a = try await PostgresState.open(url: database.url, runner: "runner-a")
        let b = try await PostgresState.open(url: database.url, runner: "runner-b")
        let jobs = (0..<40).map { "job-\($0)" }
        async let claimedByA = claimAll(jobs, a)
        async let claimedByB = claimAll(jobs, b)
        let (resultsA, resultsB) = try await (claimedByA, claimedByB)
        for job in jobs {
            let owners = [resultsA[job] == .claimed, resultsB[job] == .claimed].filter { $0 }.count
            #expect(owners == 1, "\(job) was claimed by \(owners) runners")
            if case .heldElsewhere(let runner, let left) = resultsA[job] {
                #expect(runner == "runner-b")
                #expect(left > 0 && left <= 30)
            }
            if case .heldElsewhere(let runner, _) = resultsB[job] { #expect(runner == "runner-a") }
        }
        // A runner may claim what it already holds again.
        for (state, results) in [(a, resultsA), (b, resultsB)] {
            if let mine = jobs.first(where: { results[$0] == .claimed }) {
                #expect(try await state.claim(mine) == .claimed)
            }
        }
        await a.close()
        await b.close()
    }

    /// Claims every job at once, so that the two runners race for each.
    private func claimAll(_ jobs: [String], _ state: PostgresState) async throws -> [String: ClaimResult] {
        try await withThrowingTaskGroup(of: (String, ClaimResult).self) { group in
            for job in jobs { group.addTask { (job, try await state.claim(job)) } }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    @Test func closingReleasesTheClaims() async throws {
        let database = try await server.createDatabase()
        let a = try await PostgresState.open(url: database.url, runner: "runner-a")
        let b = try await PostgresState.open(url: database.url, runner: "runner-b")
        #expect(try await a.claim("job") == .claimed)
        guard case .heldElsewhere = try await b.claim("job") else {
            Issue.record("runner-b got a job runner-a holds")
            return
        }
        await a.close()
        #expect(try await b.claim("job") == .claimed)
        await b.close()
    }

    @Test func claimsOfAVanishedRunnerExpireAfterTheLease() async throws {
        let database = try await server.createDatabase()
        let dead = try await PostgresState.open(url: database.url, runner: "runner-dead", lease: .seconds(1))
        let live = try await PostgresState.open(url: database.url, runner: "runner-live")
        #expect(try await dead.claim("job") == .claimed)
        await dead.abandon()  // as kill -9: no renewal, no release
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        var result = try await live.claim("job")
        while result != .claimed, clock.now < deadline {
            if case .heldElsewhere(let runner, let left) = result {
                #expect(runner == "runner-dead")
                #expect(left <= 1)
            }
            try await Task.sleep(for: .milliseconds(200))
            result = try await live.claim("job")
        }
        #expect(result == .claimed)
        await live.close()
    }

    @Test func aLiveRunnerKeepsRenewingItsClaims() async throws {
        let database = try await server.createDatabase()
        // A lease of 15 s is renewed every 5 s: 20 s later, past the lease, the claim still holds.
        // (A 4 s lease lapsed once on a loaded machine: a renewal came more than 2.7 s late.)
        let holder = try await PostgresState.open(url: database.url, runner: "runner-a", lease: .seconds(15))
        let other = try await PostgresState.open(url: database.url, runner: "runner-b")
        #expect(try await holder.claim("job") == .claimed)
        try await Task.sleep(for: .seconds(20))
        guard case .heldElsewhere(let runner, _) = try await other.claim("job") else {
            Issue.record("the claim of a live runner expired")
            return
        }
        #expect(runner == "runner-a")
        await holder.close()
        await other.close()
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let database = try await server.createDatabase()
        let state = try await PostgresState.open(url: database.url, runner: "a")
        await state.close()
        let name = String(database.url.split(separator: "/").last!.split(separator: "?").first!)
        try await server.admin("UPDATE bulk_import_meta SET value = '2' WHERE key = 'schema_version'", database: name)
        let error = await #expect(throws: PostgresStateError.self) {
            try await PostgresState.open(url: database.url, runner: "a")
        }
        #expect(error.map { "\($0)".contains("written by a newer bulk-import") } == true, "\(String(describing: error))")
    }

    @Test func thePasswordIsNeverShown() async throws {
        let database = try await server.createDatabase()
        let password = try #require(passwordOf(database.passwordURL))
        let state = try await PostgresState.open(url: database.passwordURL, runner: "a")
        #expect(!state.location.contains(password))
        #expect(state.location.hasPrefix("postgres://bulkimport_pw@127.0.0.1:\(server.port)/"))
        try await state.append(.sample(.intent, "job"))
        await state.close()

        var descriptions: [String] = []
        let wrong = database.passwordURL.replacingOccurrences(of: ":\(password)@", with: ":\(password)x@")
        do {
            _ = try await PostgresState.open(url: wrong, runner: "a")
            Issue.record("a wrong password was accepted")
        } catch {
            descriptions.append("\(error)")
            #expect(error is PostgresStateError)
            #expect("\(error)".contains("refused"), "\(error)")
        }
        let closedPort = database.passwordURL.replacingOccurrences(of: ":\(server.port)/", with: ":1/")
        do {
            _ = try await PostgresState.open(url: closedPort, runner: "a")
            Issue.record("a closed port answered")
        } catch {
            descriptions.append("\(error)")
            #expect("\(error)".contains("unreachable"), "\(error)")
        }
        do {
            _ = try await PostgresState.open(url: database.passwordURL + "&sslmode=bogus", runner: "a")
            Issue.record("a bad sslmode was accepted")
        } catch {
            descriptions.append("\(error)")
        }
        for description in descriptions {
            #expect(!description.contains(password), "\(description)")
            #expect(!description.contains(password + "x"), "\(description)")
        }
    }

    @Test func sslModesAgainstAServerWithoutTLS() async throws {
        let database = try await server.createDatabase()
        // prefer falls back to a plain connection; require refuses one.
        let preferred = database.url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=prefer")
        let state = try await PostgresState.open(url: preferred, runner: "a")
        try await state.append(.sample(.intent, "job"))
        await state.close()
        let required = database.url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        await #expect {
            try await PostgresState.open(url: required, runner: "a")
        } throws: { error in
            guard case .tls(let location, _) = error as? PostgresStateError else { return false }
            return location == state.location
        }
    }

    @Test func transferFileToPostgresToFileKeepsEveryRecord() async throws {
        try await TemporaryFolder.with { folder in
            let source = folder.url.appendingPathComponent("source.jsonl").path
            let back = folder.url.appendingPathComponent("back.jsonl").path
            let ledger = try Ledger.open(path: source)
            for batch in sampleHistory() { try await ledger.append(batch) }
            try await withState { state, _ in
                #expect(try await StateTransfer.copy(from: ledger, to: state) == sampleHistory().joined().count)
                let returned = try Ledger.open(path: back)
                #expect(try await StateTransfer.copy(from: state, to: returned) == sampleHistory().joined().count)
                await returned.close()
                #expect(try Ledger.records(path: back) == Ledger.records(path: source))
                #expect(try Ledger.snapshot(path: back) == Ledger.snapshot(path: source))
                #expect(try await state.entries() == Ledger.snapshot(path: source))

                // A destination that holds records is refused.
                await #expect(
                    throws: StateTransfer.Failure.destinationNotEmpty(destination: state.location, records: sampleHistory().joined().count)
                ) {
                    try await StateTransfer.copy(from: ledger, to: state)
                }
            }
            await ledger.close()
        }
    }

    /// Records of four jobs covering what the fold knows: groups (Milvus 2.3), generations, notes,
    /// a new digest under the same name, progress and completion; in batches of appends.
    func sampleHistory() -> [[LedgerRecord]] {
        [
            [.sample(.intent, "plain", key: "k1", generation: 1)],
            [.sample(.submitted, "plain", ids: ["100"], key: "k1", generation: 1)],
            [
                .sample(.intent, "grouped", group: 0), .sample(.submitted, "grouped", ids: ["200"], group: 0),
                .sample(.intent, "grouped", group: 1),
            ],
            [.sample(.unknown, "grouped", group: 1, error: "timeout"), .sample(.progress, "plain", ids: ["100"], state: "Importing")],
            [.sample(.failed, "again", error: "bad file"), .sample(.intent, "again", key: "k2", generation: 2)],
            [.sample(.submitted, "again", ids: ["300"], key: "k2", generation: 2, note: "adopted from the server")],
            [.sample(.completed, "plain", ids: ["100"], state: "Completed")],
            [.sample(.intent, "renamed", digest: "d2"), .sample(.submitted, "renamed", digest: "d3", ids: ["400"])],
        ]
    }

    private func passwordOf(_ url: String) -> String? {
        guard let start = url.range(of: "bulkimport_pw:"), let end = url.range(of: "@", range: start.upperBound..<url.endIndex) else {
            return nil
        }
        return String(url[start.upperBound..<end.lowerBound])
    }
}

extension LedgerRecord {
    static func sample(
        _ event: Event, _ job: String, digest: String = "d1", ids: [String] = [], group: Int? = nil, state: String? = nil,
        error: String? = nil, key: String? = nil, generation: Int? = nil, note: String? = nil
    ) -> LedgerRecord {
        LedgerRecord(
            time: 1_700_000_000.125, event: event, job: job, digest: digest, target: "local", api: "milvus-v2", jobIDs: ids,
            group: group, state: state, error: error, idempotencyKey: key, generation: generation, note: note)
    }
}
