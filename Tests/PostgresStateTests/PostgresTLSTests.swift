import BulkImportLedger
import BulkImportPostgres
import Foundation
import TestSupport
import Testing

/// Against a server that takes TLS with a self-signed certificate.
@Suite(.enabled(if: PostgresServer.available), .timeLimit(.minutes(5)))
struct PostgresTLSTests {
    @Test func sslModesAgainstAServerWithASelfSignedCertificate() async throws {
        let server = try await PostgresServer.start(tls: true)
        try await withOpened({ server }, close: { await $0.remove() }) { server in
            let database = try await server.createDatabase()
            // require and prefer encrypt without checking the certificate.
            for mode in ["require", "prefer"] {
                let url = database.passwordURL.replacingOccurrences(of: "sslmode=disable", with: "sslmode=\(mode)")
                let state = try await PostgresState.open(url: url, runner: mode)
                try await state.append(.sample(.intent, mode))
                #expect(try await state.entry(for: mode)?.status == .intent)
                await state.close()
            }
            // verify-ca and verify-full check it: a self-signed one is refused, with no password shown.
            let password = try #require(database.passwordURL.split(separator: ":")[2].split(separator: "@").first.map(String.init))
            for mode in ["verify-ca", "verify-full"] {
                let url = database.passwordURL.replacingOccurrences(of: "sslmode=disable", with: "sslmode=\(mode)")
                await #expect {
                    try await PostgresState.open(url: url, runner: mode)
                } throws: { error in
                    guard case .tls = error as? PostgresStateError else { return false }
                    return !"\(error)".contains(password)
                }
            }
        }
    }
}
