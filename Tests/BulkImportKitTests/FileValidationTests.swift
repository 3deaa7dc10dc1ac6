import Testing

@testable import BulkImportKit

/// Milvus object keys and file groups, Zilliz Cloud urls.
@Suite("Validation: files")
struct FileValidationTests {
    @Test func milvusAbsolutePathIsNotBucketRelativeButV1AcceptsIt() throws {
        let v2 = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [/data/a.json]"))
        #expect(v2.codes == [.notBucketRelative])
        #expect(v2.diagnostics.first?.fix?.contains("data/a.json") == true)
        let v1 = check(
            milvusManifest(job: "target: local\ncollection_name: c\nfiles: [/data/a.json]", target: "uri: http://localhost:9091\napi: v1"))
        #expect(v1.diagnostics.isEmpty, "\(v1.listing)")
    }

    @Test(arguments: [
        ("a.parquet", true), ("a.JSON", true), ("dir/a.csv", true), ("a.npy", true),
        ("a.txt", false), ("a", false), ("dir/", false), (".parquet", false), ("dir/.json", false), ("a.tar.gz", false),
    ])
    func milvusFileExtensions(path: String, accepted: Bool) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: ['\(path)']"))
        #expect(outcome.diagnostics.isEmpty == accepted, "\(outcome.listing)")
        if !accepted { #expect(outcome.codes == [.unsupportedExtension]) }
    }

    @Test func npyGroupOfManyFilesIsFine() throws {
        let outcome = check(
            milvusManifest(job: "target: local\ncollection_name: c\nfiles:\n  - [a/id.npy, a/vec.npy, a/title.npy]\n  - b.parquet"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        #expect(outcome.job("job-1")?.files == [["a/id.npy", "a/vec.npy", "a/title.npy"], ["b.parquet"]])
    }

    @Test func zillizV2GroupsHoldOneURLEach() throws {
        let outcome = check(
            ManifestBuilder()
                .zilliz()
                .job(
                    "j",
                    """
                    target: cloud
                    collection_name: c
                    files:
                      - [s3://b/1.parquet, s3://b/2.parquet]
                      - gs:///no-bucket
                    """ + "\n" + ManifestBuilder.zillizCredentials
                )
                .text)
        #expect(Set(outcome.codes) == [.groupSize, .invalidObjectURL], "\(outcome.listing)")
    }
}
