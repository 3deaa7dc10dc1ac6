import Foundation
import Testing

@testable import BulkImportKit

/// Zilliz Cloud volume jobs: validated, sent as pymilvus 2.6.5+ sends them, and hashed with their
/// volume appended to the digest.
@Suite("Validation: Zilliz Cloud volumes")
struct VolumeSourceTests {
    static func zilliz(_ body: String, target: String = ManifestBuilder.zillizTarget) -> String {
        ManifestBuilder().zilliz("cloud", target).job("v", "target: cloud\ncollection_name: c\n" + body).text
    }

    @Test func aVolumeJobBecomesVolumeNameAndDataPaths() throws {
        let outcome = check(Self.zilliz("volume_name: my-volume\ndata_paths: [a/1.parquet, [b/]]"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let job = try #require(outcome.job("v"))
        #expect(job.volumeName == "my-volume")
        #expect(job.files == [["a/1.parquet"], ["b/"]])
        let body = try #require(RequestBuilder().createRequests(for: job).first?.body)
        #expect(body["volumeName"] == "my-volume")
        #expect(body["dataPaths"] == [["a/1.parquet"], ["b/"]])
        #expect(body["objectUrls"] == nil)
        #expect(body["accessKey"] == nil)
    }

    @Test func thePlanShowsTheVolumeInBothFormats() throws {
        let outcome = check(Self.zilliz("volume_name: my-volume\ndata_paths: [a/1.parquet]"))
        let renderer = PlanRenderer(redactor: outcome.redactor)
        let json = try #require(try parseJSON(renderer.json(outcome.jobs)) as? [String: Any])
        let job = try #require((json["jobs"] as? [[String: Any]])?.first)
        let body = try #require((job["request"] as? [String: Any])?["body"] as? [String: Any])
        #expect(body["volumeName"] as? String == "my-volume")
        #expect(body["dataPaths"] as? [[String]] == [["a/1.parquet"]])
        let text = renderer.text(outcome.jobs)
        #expect(text.contains(#""volumeName": "my-volume""#), "\(text)")
        #expect(!text.contains("objectUrls"))
    }

    @Test func stageNameIsReadWithAWarningAndSentAsVolumeName() throws {
        let outcome = check(Self.zilliz("stage_name: my-stage\ndata_paths: [a/]"))
        #expect(outcome.codes == [.deprecatedField], "\(outcome.listing)")
        #expect(outcome.diagnostics.first?.fix?.contains("volume_name") == true)
        #expect(outcome.job("v")?.volumeName == "my-stage")
    }

    @Test(arguments: [
        ("volume_name: vol\ndata_paths: [a/]\nfiles: [s3://b/a/]", "files"),
        ("volume_name: vol\ndata_paths: [a/]\nobject_url: s3://b/a/", "object_url"),
        ("volume_name: vol\ndata_paths: [a/]\naccess_key: $<AWS_ACCESS_KEY_ID>", "access_key"),
        ("volume_name: vol\ndata_paths: [a/]\ntoken: $<AWS_SESSION_TOKEN>", "token"),
        ("volume_name: vol", "data_paths"),
        ("data_paths: [a/]", "volume_name"),
        ("volume_name: vol\ndata_paths: []", "no path"),
        ("volume_name: vol\ndata_paths: [[a/1.npy, a/2.npy]]", "2 paths"),
        ("volume_name: vol\ndata_paths: [s3://b/a/]", "inside the volume"),
        ("volume_name: vol\nstage_name: old\ndata_paths: [a/]", "both"),
    ])
    func aVolumeJobIsRefusedWhenTheAPIWould(body: String, says: String) throws {
        let outcome = check(Self.zilliz(body))
        let errors = outcome.diagnostics(.volumeSource)
        #expect(errors.count == 1, "\(outcome.listing)")
        #expect(errors.first?.message.contains(says) == true, "\(outcome.listing)")
        #expect(outcome.jobs.isEmpty)
    }

    @Test func aVolumeIsOnlyOnZillizCloudV2() {
        let milvus = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\nvolume_name: vol"))
        #expect(milvus.codes == [.volumeSource], "\(milvus.listing)")
        let v1 = check(Self.zilliz("volume_name: vol\ndata_paths: [a/]", target: ManifestBuilder.zillizTarget + "\napi: v1"))
        #expect(v1.codes == [.volumeSource], "\(v1.listing)")
    }

    @Test func aVolumeJobsDigestAppendsItsVolumeAndOthersKeepTheirs() throws {
        var job = apiJob(.zillizV2, files: [["a/"]])
        let before = JobDigest.canonicalEncoding(of: job)
        job.volumeName = "vol"
        let after = JobDigest.canonicalEncoding(of: job)
        #expect(String(decoding: after, as: UTF8.self) == String(decoding: before.dropLast(), as: UTF8.self) + #","volume":"vol"}"#)
        #expect(JobDigest.digest(of: job) != JobDigest.digest(of: apiJob(.zillizV2, files: [["a/"]])))
    }

    /// What pymilvus sends for `bulk_import(url, collection_name="c", cluster_id="in01-x", api_key=...,
    /// volume_name="vol", data_paths=[["a/1.parquet"], ["b/"]])`: every key, the unused ones empty.
    /// Captured from pymilvus 3.0.2 (PyPI) against a local listener on 2026-11-30, and the same as its
    /// source (`pymilvus/bulk_writer/bulk_import.py`); pymilvus is not a test dependency. Ours is
    /// the same body without the empty keys.
    static let pymilvusVolumeBody =
        #"{"collectionName":"c","dbName":"","partitionName":"","files":null,"objectUrl":"","objectUrls":null,"clusterId":"in01-x","projectId":"","regionId":"","accessKey":"","secretKey":"","token":"","volumeName":"vol","dataPaths":[["a/1.parquet"],["b/"]],"options":{}}"#

    @Test func theBodyIsPymilvussWithoutItsEmptyKeys() throws {
        var job = apiJob(.zillizV2, files: [["a/1.parquet"], ["b/"]])
        job.volumeName = "vol"
        let ours = try #require(RequestBuilder().createRequests(for: job).first)
        let wire = try #require(ours.wireBody())
        let sent = try #require(try parseJSON(String(decoding: wire, as: UTF8.self)) as? [String: Any])
        let theirs = try #require(try parseJSON(Self.pymilvusVolumeBody) as? [String: Any])
        let nonEmpty = theirs.filter { _, value in
            !(value is NSNull) && (value as? String) != "" && !((value as? [String: Any])?.isEmpty ?? false)
        }
        #expect(Set(sent.keys) == Set(nonEmpty.keys))
        #expect(sent["volumeName"] as? String == "vol")
        #expect(sent["dataPaths"] as? [[String]] == [["a/1.parquet"], ["b/"]])
        #expect(sent["clusterId"] as? String == "in01-x")
        #expect(sent["collectionName"] as? String == "c")
        #expect(ours.url.hasSuffix("/v2/vectordb/jobs/import/create"))
    }
}
