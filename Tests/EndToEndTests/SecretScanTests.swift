import Foundation
import TestSupport
import Testing

/// Runs `validate` and `plan` in every format with the secrets set, and scans all they print.
@Suite("Secret scan")
struct SecretScanTests {
    /// Secrets used inside a url path, a collection name, a partition name, a file path and an
    /// object url, besides their own fields. The manifest is valid.
    static let reuse = """
        version: 1
        targets:
          local:
            milvus:
              uri: http://localhost:19530/$<MILVUS_TOKEN>
              token: $<MILVUS_TOKEN>
          cloud:
            zilliz:
              url: https://api.cloud.zilliz.com/proxy-$<ZILLIZ_API_KEY>
              api_key: $<ZILLIZ_API_KEY>
              cluster_id: in01-0123456789abcdef
        jobs:
          - name: scan-milvus
            target: local
            collection_name: c_$<MILVUS_TOKEN>
            partition_name: p_$<MILVUS_TOKEN>
            files: [a/$<MILVUS_TOKEN>.parquet]
          - name: scan-zilliz
            target: cloud
            collection_name: c_$<AWS_SECRET_ACCESS_KEY>
            object_url: s3://bucket/$<AWS_ACCESS_KEY_ID>/$<AWS_SESSION_TOKEN>/
            access_key: $<AWS_ACCESS_KEY_ID>
            secret_key: $<AWS_SECRET_ACCESS_KEY>
            token: $<AWS_SESSION_TOKEN>

        """

    /// Secrets that end up inside diagnostic messages and fixes.
    static let errors = """
        version: 1
        targets:
          local:
            milvus:
              uri: http://localhost:19530
              token: $<MILVUS_TOKEN>
        jobs:
          - name: scan-errors
            target: local
            collection_name: c
            files: [s3://bucket/$<MILVUS_TOKEN>.parquet, /abs/$<MILVUS_TOKEN>.json, x/$<MILVUS_TOKEN>.txt]
            options: {timeout: $<MILVUS_TOKEN>}

        """

    @Test(arguments: ["text", "json", "github", "sarif"])
    func validateNeverPrintsASecret(format: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reuse = try folder.write("reuse.yaml", Self.reuse)
        let errors = try folder.write("errors.yaml", Self.errors)

        let examples = try await BulkImport.run(["validate", "--format", format, "examples/"], environment: secretEnvironment)
        #expect(examples.status == 0, "\(examples)")
        expectNoSecrets(examples, "validate --format \(format) examples/")

        let valid = try await BulkImport.run(["validate", "--format", format, reuse], environment: secretEnvironment)
        #expect(valid.status == 0, "\(valid)")
        expectNoSecrets(valid, "validate --format \(format) reuse.yaml")

        let invalid = try await BulkImport.run(["validate", "--format", format, errors], environment: secretEnvironment)
        #expect(invalid.status == 1, "\(invalid)")
        expectNoSecrets(invalid, "validate --format \(format) errors.yaml")
        // The messages that held the value show the placeholder instead.
        #expect(invalid.output.contains("<redacted>"), "\(invalid)")
        #expect(invalid.output.contains("not-bucket-relative"))
        #expect(invalid.output.contains("invalid-duration"))
    }

    @Test(arguments: ["text", "json"])
    func planNeverPrintsASecret(format: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reuse = try folder.write("reuse.yaml", Self.reuse)

        let examples = try await BulkImport.run(["plan", "--format", format, "examples/"], environment: secretEnvironment)
        #expect(examples.status == 0, "\(examples)")
        expectNoSecrets(examples, "plan --format \(format) examples/")
        #expect(examples.stdout.contains("<redacted>"))

        let run = try await BulkImport.run(["plan", "--format", format, reuse], environment: secretEnvironment)
        #expect(run.status == 0, "\(run)")
        expectNoSecrets(run, "plan --format \(format) reuse.yaml")
        // Where the value was, the placeholder is: in the url, the names, the paths, the keys.
        #expect(run.stdout.contains("http://localhost:19530/<redacted>/v2/vectordb/jobs/import/create"), "\(run)")
        #expect(run.stdout.contains("https://api.cloud.zilliz.com/proxy-<redacted>/v2/vectordb/jobs/import/create"), "\(run)")
        #expect(run.stdout.contains("c_<redacted>"))
        #expect(run.stdout.contains("p_<redacted>"))
        #expect(run.stdout.contains("a/<redacted>.parquet"))
        #expect(run.stdout.contains("s3://bucket/<redacted>/<redacted>/"))
        #expect(run.stdout.contains("Bearer <redacted>"))
    }

    /// The same `$<VAR>` text as a secret field, used whole in a plain field that is read first.
    @Test func secretUsedWholeInACollectionNameIsMasked() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "whole.yaml",
            Self.reuse.replacing("collection_name: c_$<AWS_SECRET_ACCESS_KEY>", with: "collection_name: $<AWS_SECRET_ACCESS_KEY>"))
        for format in ["text", "json"] {
            let run = try await BulkImport.run(["plan", "--format", format, path], environment: secretEnvironment)
            #expect(run.status == 0, "\(run)")
            expectNoSecrets(run, "plan --format \(format) whole.yaml")
        }
    }

    /// A secret that holds a character GitHub's annotation escaping changes (`%`) must still be masked.
    @Test func secretWithAPercentSignIsMaskedInGitHubAnnotations() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("errors.yaml", Self.errors)
        var environment = secretEnvironment
        environment["MILVUS_TOKEN"] = "root:p%25s3cr3t-VALUE-199"
        let run = try await BulkImport.run(["validate", "--format", "github", path], environment: environment)
        #expect(run.status == 1)
        #expect(!run.output.contains("s3cr3t"), "\(run)")
        #expect(run.output.contains("<redacted>"), "\(run)")
    }
}
