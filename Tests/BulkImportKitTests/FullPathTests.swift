import Testing

@testable import BulkImportKit

/// A diagnostic's `path` is where its value is written, from the manifest's root, and its `job`
/// names a job only when the value is that job's: an unset `defaults.secret_key` was reported as
/// `"job": "articles", "path": "secret_key"`.
@Suite("Diagnostics: full paths")
struct FullPathTests {
    static let manifest = """
        version: 1
        targets:
          cloud:
            zilliz:
              url: https://api.cloud.zilliz.com
              api_key: $<NOT_SET_API_KEY>
              cluster_id: in01-0123456789abcdef
        defaults:
          access_key: $<AWS_ACCESS_KEY_ID>
          secret_key: $<NOT_SET_SECRET_KEY>
        jobs:
          - name: articles
            target: cloud
            collection_name: articles
            object_url: s3://bucket/x/
          - name: authors
            target: cloud
            collection_name: authors
            files: [a.parquet, b.parquet]
            object_url: s3://bucket/y/

        """

    @Test func pathsStartAtTheRootAndDefaultsBelongToNoJob() throws {
        let outcome = check(Self.manifest)
        let unset = outcome.diagnostics(.unsetVariable)
        let key = try #require(unset.first { $0.message.contains("NOT_SET_API_KEY") }, "\(outcome.listing)")
        #expect(key.path == "targets.cloud.zilliz.api_key" && key.job == nil)
        let secret = try #require(unset.first { $0.message.contains("NOT_SET_SECRET_KEY") }, "\(outcome.listing)")
        #expect(secret.path == "defaults.secret_key" && secret.job == nil)
        let conflict = try #require(outcome.diagnostics(.conflictingFields).first, "\(outcome.listing)")
        #expect(conflict.path == "jobs[1].files" && conflict.job == "authors")
    }

    @Test func aPathFromTheRootIsKept() {
        let manifest = Manifest(file: "m.yaml")
        for path in ["jobs[0].name", "defaults.x", "targets.a.milvus.uri", "version", "state"] {
            let d = Diagnostic(.error, .missingField, "m", at: ManifestLocation(file: "m.yaml"), job: "j", path: path)
            #expect(d.withFullPath(in: manifest) == d)
        }
    }
}
