import BulkImportLedger
import BulkImportPostgres
import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

/// What a claim does in one statement: a job held elsewhere costs a read and no lock, and a job
/// taken over comes with the records its last holder wrote.
@Suite(.postgresServer, .enabled(if: PostgresServer.available), .timeLimit(.minutes(5)))
struct PostgresClaimTests {
    var server: PostgresServer { PostgresServer.current! }

    @Test func aJobHeldElsewhereIsAnsweredWithoutWaitingForItsRowLock() async throws {
        let database = try await server.createDatabase()
        let a = try await PostgresState.open(url: database.url, runner: "runner-a")
        let b = try await PostgresState.open(url: database.url, runner: "runner-b")
        #expect(try await a.claim("job") == .claimed)
        // Another transaction holds the claim's row lock (as a renewal in flight would): a claim
        // that locked the row to find it taken would wait for that transaction to end.
        let locker = try await connect(databaseOf: database.url)
        try await locker.query("BEGIN", logger: Self.logger)
        try await locker.query("SELECT 1 FROM bulk_import_claims WHERE job = 'job' FOR UPDATE", logger: Self.logger)
        let answered = try await withThrowingTaskGroup(of: ClaimResult?.self) { group in
            group.addTask { try await b.claim("job") }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            // Let a claim that waits for the lock finish, so that the group can end.
            try await locker.query("ROLLBACK", logger: Self.logger)
            group.cancelAll()
            return first
        }
        try await locker.close()
        guard case .heldElsewhere(let runner, let left)? = answered else {
            Issue.record("runner-b's claim waited for the row lock of a job runner-a holds (\(String(describing: answered)))")
            return
        }
        #expect(runner == "runner-a")
        #expect(left > 0)
        await a.close()
        await b.close()
    }

    @Test func aJobTakenOverComesWithWhatItsLastHolderRecorded() async throws {
        let database = try await server.createDatabase()
        let a = try await PostgresState.open(url: database.url, runner: "runner-a")
        let b = try await PostgresState.open(url: database.url, runner: "runner-b")
        #expect(try await a.claim("job") == .claimed)
        try await a.append([.claimSample(.intent, "job"), .claimSample(.submitted, "job", ids: ["41"])])
        await a.close()  // lets go of the job

        #expect(try await b.claim("job") == .claimed)
        let taken = try #require(try await b.entry(for: "job"))
        #expect(taken.status == .submitted)
        #expect(taken.jobIDs == ["41"])
        // What b appends next is in the entry it reads next, not the records read with the claim.
        try await b.append(.claimSample(.failed, "job", ids: ["41"]))
        #expect(try await b.entry(for: "job")?.status == .failed)
        #expect(try await b.claim("never-recorded") == .claimed)
        #expect(try await b.entry(for: "never-recorded") == nil)
        await b.close()
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A connection of the superuser to the database of `url`.
    func connect(databaseOf url: String) async throws -> PostgresConnection {
        let name = String(url.split(separator: "/").last!.split(separator: "?").first!)
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: server.port, username: "bulkimport", password: nil, database: name, tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
    }
}

extension LedgerRecord {
    fileprivate static func claimSample(_ event: Event, _ job: String, ids: [String] = []) -> LedgerRecord {
        LedgerRecord(time: 1_700_000_000.125, event: event, job: job, digest: "d1", target: "local", api: "milvus-v2", jobIDs: ids)
    }
}
