import Foundation
import Testing

@testable import BulkImportKit

/// The ledger is a file the tool writes: a secret must never reach it, not even in a server's words.
@Suite struct LedgerRedactionTests {
    @Test func aSecretTheServerEchoesIsMaskedInTheLedgerFile() async throws {
        try await Harness.with { h in
            let token = "root:Milvus-s3cr3t"
            await h.server.inject(
                .businessError(
                    code: 1800, message: "authentication failed for token \(token)", times: 1, path: "/v2/vectordb/jobs/import/create"))
            let summary = try await h.run([h.milvusJob("p1", token: token)], redactor: Redactor(secrets: [token]))
            #expect(summary.failed == 1)
            let ledger = String(decoding: try Data(contentsOf: URL(fileURLWithPath: h.ledgerPath)), as: UTF8.self)
            #expect(!ledger.contains("s3cr3t"))
            #expect(ledger.contains("authentication failed for token \(Secret.placeholder)"))
            // The job's name and digest are written exactly: the next run finds the job by them.
            #expect(ledger.contains(#""job":"p1""#))
            #expect(ledger.contains(JobDigest.digest(of: h.milvusJob("p1", token: token))))
        }
    }
}
