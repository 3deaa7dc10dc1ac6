import Testing

@testable import BulkImportKit

/// Which API a target speaks, and the fields each API needs.
@Suite("Validation: targets and APIs")
struct TargetValidationTests {
    @Test(arguments: [
        ("zilliz", "url: https://api.cloud.zilliz.com", ImportAPI.zillizV2),
        ("zilliz", "url: controller.api.gcp-us-west1.zillizcloud.com", .zillizV1),
        ("zilliz", "url: https://CONTROLLER.api.aws-us-west-2.zillizcloud.com", .zillizV1),
        ("zilliz", "url: http://127.0.0.1:8080\napi: v1", .zillizV1),
        ("zilliz", "url: controller.api.gcp-us-west1.zillizcloud.com\napi: v2", .zillizV2),
        ("milvus", "uri: http://localhost:19530", .milvusV2),
        ("milvus", "uri: http://localhost:9091\napi: v1", .milvusV1),
    ])
    func theAPIFollowsTheURLAndTheAPIField(kind: String, target: String, api: ImportAPI) throws {
        var targetLines = target
        var job = "target: t\ncollection_name: c\n"
        if kind == "zilliz" {
            targetLines += "\napi_key: $<ZILLIZ_API_KEY>\ncluster_id: in01-x"
            job += "object_url: s3://bucket/x/\n" + ManifestBuilder.zillizCredentials
        } else {
            job += "files: [a.parquet]"
        }
        let outcome = check(ManifestBuilder().target("t", kind, targetLines).job("j", job).text)
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        #expect(outcome.job("j")?.target.api == api)
    }

    @Test func zillizProjectNeedsBothProjectAndRegion() throws {
        let outcome = check(
            ManifestBuilder()
                .zilliz("p", "url: https://api.cloud.zilliz.com\napi_key: $<ZILLIZ_API_KEY>\nproject_id: proj-1")
                .job("j", "target: p\ncollection_name: c\nobject_url: s3://b/x/\n" + ManifestBuilder.zillizCredentials)
                .text)
        let diagnostic = try #require(outcome.diagnostics(.missingField).first)
        #expect(diagnostic.path == "targets.p.zilliz.region_id")
        #expect(diagnostic.location.line == 7)
    }

    @Test func zillizV1RefusesProjectIDs() throws {
        let outcome = check(
            ManifestBuilder()
                .zilliz(
                    "p",
                    """
                    url: controller.api.gcp-us-west1.zillizcloud.com
                    api_key: $<ZILLIZ_API_KEY>
                    project_id: proj-1
                    region_id: gcp-us-west1
                    """
                )
                .job("j", "target: p\ncollection_name: c\nobject_url: s3://b/x/\n" + ManifestBuilder.zillizCredentials)
                .text)
        #expect(Set(outcome.codes) == [.missingField, .conflictingFields], "\(outcome.listing)")
    }

    @Test(arguments: [
        ("http://localhost:19530", true), ("https://milvus.example.com/prefix/", true), ("http://[::1]:19530", true),
        ("grpc://localhost:19530", false), ("http://user:pw@host", false), ("http://host:99999", false),
        ("http://host?x=1", false), ("http://", false), ("http://bad host", false),
    ])
    func milvusURIs(uri: String, valid: Bool) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]", target: "uri: '\(uri)'"))
        #expect(outcome.diagnostics.isEmpty == valid, "\(outcome.listing)")
        if !valid { #expect(outcome.codes == [.invalidURL]) }
    }
}

/// An `ImportTarget` keeps its fields in one shared box: `run` keeps every job it submits, and a
/// copy of the target's fields in each was half of a job's memory.
@Suite("Model: a target shared among its jobs")
struct SharedTargetTests {
    @Test func theJobsOfOneNamedTargetShareItsFieldsAndAnInlineTargetHasItsOwn() throws {
        let outcome = check(
            ManifestBuilder()
                .target("t", "milvus", "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>")
                .job("a", "target: t\ncollection_name: c\nfiles: [a.parquet]")
                .job("b", "target: t\ncollection_name: c\nfiles: [b.parquet]")
                .job("c", "target: {milvus: {uri: http://localhost:19530}}\ncollection_name: c\nfiles: [c.parquet]")
                .text)
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        let a = try #require(outcome.job("a")).target
        let b = try #require(outcome.job("b")).target
        let c = try #require(outcome.job("c")).target
        #expect(a.sharesFields(with: b))
        #expect(!a.sharesFields(with: c))
        #expect(a.name == "t" && c.name == nil)
        #expect(a.token?.reveal() == "root:mt-secret-1")
    }

    @Test func settingAFieldOfACopyLeavesTheOriginalAsItWas() throws {
        let endpoint = try Endpoint(parsing: "http://localhost:19530", defaultScheme: nil)
        var original = ImportTarget(name: "t", api: .milvusV2, endpoint: endpoint)
        original.dbName = "db1"
        var copy = original
        #expect(copy.sharesFields(with: original))
        copy.dbName = "db1"  // the value it has: still shared
        #expect(copy.sharesFields(with: original))
        #expect(copy == original && copy.hashValue == original.hashValue)
        copy.dbName = "db2"
        copy.token = Secret("root:Milvus")
        #expect(!copy.sharesFields(with: original))
        #expect(original.dbName == "db1" && original.token == nil)
        #expect(copy.dbName == "db2" && copy.token?.reveal() == "root:Milvus")
        #expect(copy != original)
        // Equal fields in two boxes are equal values with equal hashes.
        var twin = ImportTarget(name: "t", api: .milvusV2, endpoint: endpoint)
        twin.dbName = "db1"
        #expect(!twin.sharesFields(with: original))
        #expect(twin == original && twin.hashValue == original.hashValue)
    }
}
