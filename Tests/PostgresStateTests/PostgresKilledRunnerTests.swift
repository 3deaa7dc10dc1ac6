import BulkImportLedger
import BulkImportPostgres
import Foundation
import TestSupport
import Testing

/// A runner in another process, killed with SIGKILL: while it lives it keeps its claims; once it
/// is gone they expire after the lease, and what it recorded stays.
@Suite(.postgresServer, .enabled(if: PostgresServer.available), .timeLimit(.minutes(5)))
struct PostgresKilledRunnerTests {
    @Test func claimsOfARunnerKilledWithSIGKILLExpireAndItsRecordsStay() async throws {
        let server = try #require(PostgresServer.current)
        let database = try await server.createDatabase()
        let jobs = (1...5).map { "job-\($0)" }
        let holderPath = BulkImport.productsFolder.appendingPathComponent("postgres-claim-holder").path
        try #require(FileManager.default.isExecutableFile(atPath: holderPath), "build the postgres-claim-holder target")
        // A lease of 4 s, renewed every 4/3 s while the holder lives.
        let holder = try ChildProcess(
            holderPath, [database.url, "runner-killed", "4"] + jobs, environment: ProcessInfo.processInfo.environment)
        let lines = await offThePool {
            var lines: [String] = []
            while lines.last != "ready", let line = holder.nextLine() { lines.append(line) }
            return lines
        }
        try #require(lines.last == "ready", "the holder did not get ready: \(lines) \(holder.remainingOutput())")
        #expect(lines.dropLast() == jobs.map { "claimed \($0)" })

        let other = try await PostgresState.open(url: database.url, runner: "runner-live")
        // Longer than the lease later, the living holder still has every job.
        try await Task.sleep(for: .seconds(6))
        for job in jobs {
            guard case .heldElsewhere(let runner, _) = try await other.claim(job) else {
                Issue.record("\(job): the claim of a living runner expired")
                continue
            }
            #expect(runner == "runner-killed")
        }

        holder.signal(SIGKILL)
        _ = await holder.finished(timeout: 30)
        let deadline = ContinuousClock.now + .seconds(120)
        var free: Set<String> = []
        while free.count < jobs.count, ContinuousClock.now < deadline {
            for job in jobs where !free.contains(job) {
                if try await other.claim(job) == .claimed { free.insert(job) }
            }
            if free.count < jobs.count { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(free == Set(jobs), "claims still held after the lease: \(Set(jobs).subtracting(free).sorted())")
        // What the killed runner recorded is all there: the next one sees its intents.
        for job in jobs { #expect(try await other.entry(for: job)?.status == .intent) }
        await other.close()
    }
}
