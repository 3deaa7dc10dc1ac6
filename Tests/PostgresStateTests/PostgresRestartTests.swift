import BulkImportLedger
import BulkImportPostgres
import Foundation
import TestSupport
import Testing

/// The database lost mid-run: a server of its own, stopped and started again.
@Suite(.enabled(if: PostgresServer.available), .timeLimit(.minutes(5)))
struct PostgresRestartTests {
    @Test func anAppendWhileTheServerIsDownFailsClearlyAndALaterOneSucceeds() async throws {
        let server = try await PostgresServer.start()
        try await withOpened({ server }, close: { await $0.remove() }) { server in
            let database = try await server.createDatabase()
            let password = try #require(database.passwordURL.split(separator: ":")[2].split(separator: "@").first.map(String.init))
            let state = try await PostgresState.open(url: database.passwordURL, runner: "a", lease: .seconds(3))
            try await state.append([.sample(.intent, "one"), .sample(.submitted, "one", ids: ["1"])])

            try await server.stop()
            var failure: (any Error)?
            do {
                try await state.append(.sample(.intent, "two"))
            } catch {
                failure = error
            }
            let error = try #require(failure as? PostgresStateError, "\(String(describing: failure))")
            guard case .unreachable(let location, _) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(location == state.location)
            let description = "\(error)"
            #expect(description.contains("unreachable"))
            #expect(description.contains("nothing recorded is lost"))
            #expect(!description.contains(password), "\(description)")
            // While it is down, reads fail the same way, without hanging.
            await #expect(throws: PostgresStateError.self) { try await state.entries() }
            await #expect(throws: PostgresStateError.self) { try await state.claim("one") }

            try await server.restart()
            // The caller retries recording the job id: it goes through once the server is back.
            try await state.append(.sample(.submitted, "two", ids: ["2"]))
            let entries = try await state.entries()
            #expect(entries.map(\.job) == ["one", "two"])
            #expect(entries.first?.jobIDs == ["1"])
            #expect(entries.last?.jobIDs == ["2"])
            #expect(try await state.claim("two") == .claimed)
            await state.close()
        }
    }
}
