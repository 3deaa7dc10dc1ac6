import Foundation
import Testing

@testable import BulkImportKit

/// Azure Blob and Google Cloud Storage urls in the forms Zilliz Cloud takes.
@Suite("Validation: object urls of every cloud")
struct ObjectURLTests {
    static func job(_ url: String, accessKey: String = "$<AWS_ACCESS_KEY_ID>") -> String {
        ManifestBuilder().zilliz().job(
            "z", "target: cloud\ncollection_name: c\nobject_url: '\(url)'\naccess_key: \(accessKey)\nsecret_key: $<AWS_SECRET_ACCESS_KEY>"
        ).text
    }

    @Test(arguments: [
        "gs://bucket/a/", "https://storage.googleapis.com/bucket/a.parquet", "https://storage.cloud.google.com/bucket/a/",
        "https://bucket.s3.us-west-2.amazonaws.com/a/", "s3://bucket/a/",
    ])
    func acceptedForms(url: String) {
        let outcome = check(Self.job(url))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    @Test(arguments: [
        ("https://myaccount.blob.core.windows.net/", "container"), ("https://myaccount.blob.core.windows.net", "container"),
        ("https://.blob.core.windows.net/c/a", "container"), ("https://storage.googleapis.com/", "bucket"),
        ("https://storage.cloud.google.com", "bucket"), ("https:///a", "bucket"), ("gs://", "bucket"),
    ])
    func malformedURLsSayWhatIsMissing(url: String, missing: String) throws {
        let outcome = check(Self.job(url))
        let error = try #require(outcome.diagnostics(.invalidObjectURL).first, "\(outcome.listing)")
        #expect(error.message.contains("names no \(missing)"))
        #expect(outcome.jobs.isEmpty)
    }

    @Test func onAzureTheAccessKeyIsTheStorageAccount() throws {
        let environment = Environment(["ZILLIZ_API_KEY": "zk", "AZ_ACCOUNT": "myaccount", "AZ_KEY": "azure-account-key"])
        let matching = check(
            Self.job("https://myaccount.blob.core.windows.net/products/a/", accessKey: "$<AZ_ACCOUNT>")
                .replacingOccurrences(of: "$<AWS_SECRET_ACCESS_KEY>", with: "$<AZ_KEY>"), environment: environment)
        #expect(matching.diagnostics.isEmpty, "\(matching.listing)")
        let other = check(Self.job("https://myaccount.blob.core.windows.net/products/a/"))
        let warning = try #require(other.diagnostics(.storageAccountMismatch).first, "\(other.listing)")
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("'myaccount'"))
        // The key itself is never printed.
        #expect(!other.listing.contains("ak-secret-4"))
        #expect(other.jobs.count == 1)
    }
}
