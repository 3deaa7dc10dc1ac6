import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// A Zilliz Cloud volume job, run against the loopback double: the create carries `volumeName` and
/// `dataPaths` (no object urls, no storage keys), and the ledger keeps the job's digest, which
/// counts its volume.
@Suite("Run: Zilliz Cloud volumes")
struct VolumeRunTests {
    @Test func aVolumeJobIsCreatedAsPymilvusSendsItAndRecordedByItsDigest() async throws {
        try await Harness.with { h in
            var job = h.zillizJob("vol")
            job.accessKey = nil
            job.secretKey = nil
            job.volumeName = "my-volume"
            job.files = [["articles/1.parquet"], ["articles/2025/"]]
            let summary = try await h.run([job])
            #expect(summary.submitted == 1)
            let create = try #require(await h.creates().first)
            #expect(create.path == "/v2/vectordb/jobs/import/create")
            #expect(create.bodyText.contains(#""volumeName":"my-volume""#))
            #expect(create.bodyText.contains(#""dataPaths":[["articles/1.parquet"],["articles/2025/"]]"#))
            #expect(!create.bodyText.contains("objectUrls"))
            #expect(!create.bodyText.contains("accessKey"))
            let ledger = String(decoding: try Data(contentsOf: URL(fileURLWithPath: h.ledgerPath)), as: UTF8.self)
            #expect(ledger.contains(JobDigest.digest(of: job)))
        }
    }
}
