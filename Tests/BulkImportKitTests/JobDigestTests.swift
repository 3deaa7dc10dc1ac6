import Testing

@testable import BulkImportKit

/// The job digest is what every existing ledger compares against: a job whose digest changes is
/// imported again, and Milvus does not de-duplicate rows. These values were computed by the code
/// that wrote the first ledgers (SHA-256 over the general-purpose JSON writer's output) and must
/// never change. A failure here is never fixed by updating the expected value.
@Suite struct JobDigestTests {
    static func target(_ name: String?, _ api: ImportAPI, _ uri: String, scheme: String? = nil) -> ImportTarget {
        ImportTarget(name: name, api: api, endpoint: try! Endpoint(parsing: uri, defaultScheme: scheme))
    }

    static func job(
        _ target: ImportTarget, collection: String, partition: String? = nil, db: String? = nil,
        files: [[String]], options: [ImportOption] = []
    ) -> ImportJob {
        ImportJob(
            name: "j", location: ManifestLocation(file: "m.yaml"), target: target, collectionName: collection,
            partitionName: partition, dbName: db, files: files, options: options)
    }

    /// One job per shape that matters: each API, a named and an inline target, partitions, groups,
    /// options, a database, non-ASCII paths and every character the encoding escapes.
    static let pinned: [(String, ImportJob, String)] = {
        var cloud = target("cloud", .zillizV2, "https://api.cloud.zilliz.com")
        cloud.clusterID = "in01-0123456789abcdef"
        cloud.apiKey = Secret("zk-never-in-the-digest")
        var project = target(nil, .zillizV2, "https://api.cloud.zilliz.com/")
        project.projectID = "proj-42"
        project.regionID = "aws-us-west-2"
        var projectNoRegion = target(nil, .zillizV2, "api.cloud.zilliz.com", scheme: "https")
        projectNoRegion.projectID = "proj-42"
        var legacy = target(nil, .zillizV1, "https://controller.api.gcp-us-west1.zillizcloud.com")
        legacy.clusterID = "in03-ffff"
        var named = target("local", .milvusV2, "http://localhost:19530")
        named.token = Secret("root:Milvus")
        return [
            (
                "milvus v2, named target, partition, db, options",
                job(
                    named, collection: "products", partition: "p2024", db: "analytics",
                    files: [["data/a.parquet"], ["data/b.parquet"]],
                    options: [ImportOption("timeout", "300s"), ImportOption("skip_dv", "true")]),
                "2450a7ff5101a55dad41d46e2798ccbbb5a5fa319a71bf146470b69eeb9d59cb"
            ),
            (
                "milvus v2, inline target with port and path",
                job(
                    target(nil, .milvusV2, "http://10.0.0.1:19530/proxy/"), collection: "c",
                    files: [["a.json"]]),
                "2c6ec3e4f5bc80128868ab14fd81a94784064623e0f65facfa8c9c6840a95fba"
            ),
            (
                "milvus 2.2/2.3, inline, groups, non-ASCII",
                job(
                    target(nil, .milvusV1, "http://127.0.0.1:9091"), collection: "produits",
                    files: [["/données/été.json"], ["/data/vec.npy", "/data/id.npy"]],
                    options: [ImportOption("backup", "false")]),
                "79ede26b1a95f1d908db3fdaf24c2b756848ae922d3337bb6ce3a54228863408"
            ),
            (
                "milvus 2.2/2.3, named, no options",
                job(
                    target("legacy", .milvusV1, "http://localhost:9091"), collection: "c", partition: "p",
                    files: [["/a.json"]]),
                "50d187acd72a21780142334242510081e98a180371cfcf8a8dfc833b0af6259d"
            ),
            (
                "zilliz v2, named, cluster id",
                job(
                    cloud, collection: "articles", partition: "_default", db: "db1",
                    files: [["s3://bucket/articles/1.parquet"], ["s3://bucket/articles/2.parquet"]],
                    options: [ImportOption("timeout", "1h")]),
                "ae90b5135586f397f9cbe17897d18876a4396341cc9ff6e50623c826ace8bb8a"
            ),
            (
                "zilliz v2, inline, project and region",
                job(
                    project, collection: "articles", files: [["gs://b/文件.parquet"]]),
                "87ee228342d24c1f656c89c2735986b27fc4097e502243ded6c51bf845e1f416"
            ),
            (
                "zilliz v2, inline, project without region",
                job(
                    projectNoRegion, collection: "a", files: [["s3://b/x.json"]]),
                "04610829f660afbe31f50f2ae068d0a6860540cce36b9adb2111c02a88600ce8"
            ),
            (
                "zilliz v1, inline, one url",
                job(
                    legacy, collection: "articles", files: [["https://storage.googleapis.com/b/x.parquet"]]),
                "957f0b775a0d9540a4eb080cdb4971d7fcdc186bee1ead90070350162dc185cb"
            ),
            (
                "every escaped character",
                job(
                    target("quote\"back\\slash", .milvusV2, "http://h"), collection: "tab\there\nnl\rcr",
                    partition: "ctl\u{1}\u{1f}\u{7f}\u{2028}", db: "emoji🙂é",
                    files: [["a\"b", "c\\d"], [], ["\u{0}"]],
                    options: [ImportOption("k\"", "v\\"), ImportOption("", "")]),
                "3306dea3c1511973f472c9ec06d77be63d2e77b328b279b7e6fa84010cef032e"
            ),
        ]
    }()

    @Test(arguments: 0..<9)
    func digestsOfExistingLedgersNeverChange(_ index: Int) {
        let (what, job, expected) = Self.pinned[index]
        let actual = JobDigest.digest(of: job)
        #expect(actual == expected, "\(what): \(actual)")
    }
}

extension JobDigestTests {
    /// The bytes behind the digest, for a job that uses every field, so that a failure above shows
    /// what moved.
    @Test func theCanonicalEncodingIsVersionOneByteForByte() {
        let (_, job, _) = Self.pinned[2]
        let text = String(decoding: JobDigest.canonicalEncoding(of: job), as: UTF8.self)
        #expect(
            text
                == #"{"api":"milvus-v1","endpoint":"http://127.0.0.1:9091","cluster":"","db":"","collection":"produits","partition":"","files":[["/données/été.json"],["/data/vec.npy","/data/id.npy"]],"options":[["backup","false"]]}"#
        )
        let (_, escaped, _) = Self.pinned[8]
        let bytes = JobDigest.canonicalEncoding(of: escaped)
        let escapedText = String(decoding: bytes, as: UTF8.self)
        #expect(escapedText.contains(#""collection":"tab\there\nnl\rcr""#))
        #expect(escapedText.contains(#""partition":"ctl\u0001\u001f"# + "\u{7f}\u{2028}\""))
        #expect(escapedText.contains(#""files":[["a\"b","c\\d"],[],["\u0000"]]"#))
        #expect(escapedText.hasPrefix(#"{"api":"milvus-v2","endpoint":"target:quote\"back\\slash","#))
    }

    @Test func theIdempotencyKeyIsTheDigestPrefix() {
        let digest = JobDigest.digest(of: Self.pinned[0].1)
        #expect(JobDigest.idempotencyKey(for: digest) == "bulk-import-2450a7ff5101a55dad41d46e2798ccbbb5a5fa31")
        #expect(JobDigest.idempotencyKey(for: digest, group: 3) == "bulk-import-2450a7ff5101a55dad41d46e2798ccbbb5a5fa31-g3")
    }
}
