import Foundation
import Testing

@testable import BulkImportKit

/// A job built by hand, so the requests depend on nothing but the builder.
func makeJob(
    api: ImportAPI,
    endpoint: String,
    collection: String = "books",
    partition: String? = nil,
    dbName: String? = nil,
    files: [[String]] = [["books/part-0001.json"]],
    options: [ImportOption] = [],
    configure: (inout ImportTarget) -> Void = { _ in },
    keys: (access: String, secret: String, token: String?)? = nil
) throws -> ImportJob {
    var target = ImportTarget(name: "t", api: api, endpoint: try Endpoint(parsing: endpoint, defaultScheme: "https"))
    configure(&target)
    return ImportJob(
        name: "job", location: ManifestLocation(file: "m.yaml", line: 3, column: 5), target: target,
        collectionName: collection, partitionName: partition, dbName: dbName, files: files,
        accessKey: keys.map { Secret($0.access) }, secretKey: keys.map { Secret($0.secret) },
        token: keys?.token.map(Secret.init), options: options)
}

extension ImportRequest {
    /// The headers as `Name: value` lines, as printed.
    var headerLines: [String] { headers.map { "\($0.name): \($0.displayValue)" } }
    var compactBody: String { body.map { JSONWriter.write($0) } ?? "" }
}

@Suite("Requests: exactly what the executor sends")
struct RequestBuilderTests {
    let builder = RequestBuilder()
    /// The headers every request with a credential starts with, the credential redacted.
    static let authorizedHeaders = [
        "Authorization: Bearer <redacted>",
        "Content-Type: application/json",
        "Accept: application/json",
        "User-Agent: bulk-import/\(BulkImportVersion.current)",
    ]

    // MARK: Milvus REST v2

    @Test func milvusV2DefaultDatabaseWithoutToken() throws {
        let job = try makeJob(
            api: .milvusV2, endpoint: "http://localhost:19530", dbName: "default",
            options: [ImportOption("timeout", "300s")])
        let requests = builder.createRequests(for: job)
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://localhost:19530/v2/vectordb/jobs/import/create")
        #expect(
            request.headerLines == [
                "Content-Type: application/json",
                "Accept: application/json",
                "User-Agent: bulk-import/\(BulkImportVersion.current)",
                "Request-Timeout: 60",
            ])
        #expect(request.header("authorization") == nil)
        #expect(request.header("DB-Name") == nil)
        #expect(request.compactBody == #"{"collectionName":"books","files":[["books/part-0001.json"]],"options":{"timeout":"300s"}}"#)
    }

    @Test func milvusV2OtherDatabaseWithTokenAndPartition() throws {
        let job = try makeJob(
            api: .milvusV2, endpoint: "https://milvus.example.com:19530/base/", partition: "y2024", dbName: "analytics",
            files: [["a.parquet"], ["n/id.npy", "n/vec.npy"]],
            configure: { $0.token = Secret("root:Milvus") })
        let builder = RequestBuilder(requestTimeoutSeconds: 600)
        let request = try #require(builder.createRequests(for: job, idempotencyKey: "bulk-import-abc").first)
        #expect(request.url == "https://milvus.example.com:19530/base/v2/vectordb/jobs/import/create")
        #expect(
            request.headerLines == Self.authorizedHeaders + [
                "DB-Name: analytics",
                "Request-Timeout: 600",
                "Idempotency-Key: bulk-import-abc",
            ])
        #expect(request.headers.first?.wireValue() == "Bearer root:Milvus")
        #expect(
            request.compactBody
                == #"{"dbName":"analytics","collectionName":"books","partitionName":"y2024","files":[["a.parquet"],["n/id.npy","n/vec.npy"]]}"#
        )
    }

    @Test func milvusV2NoDatabaseAtAll() throws {
        let job = try makeJob(api: .milvusV2, endpoint: "http://localhost:19530")
        let request = try #require(builder.createRequests(for: job).first)
        #expect(request.header("DB-Name") == nil)
        #expect(request.compactBody == #"{"collectionName":"books","files":[["books/part-0001.json"]]}"#)
    }

    // MARK: Milvus 2.2/2.3

    @Test func milvusV1SendsOneRequestPerGroupWithKeyValueOptions() throws {
        let job = try makeJob(
            api: .milvusV1, endpoint: "http://legacy:9091", partition: "p1", dbName: "ignored",
            files: [["a.json"], ["n/id.npy", "n/vec.npy"]],
            options: [ImportOption("timeout", "300s"), ImportOption("backup", "true")],
            configure: { $0.token = Secret("tok") })
        let requests = builder.createRequests(for: job)
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.url == "http://legacy:9091/api/v1/import" && $0.method == "POST" })
        #expect(
            requests[0].compactBody
                == #"{"collection_name":"books","partition_name":"p1","files":["a.json"],"options":[{"key":"timeout","value":"300s"},{"key":"backup","value":"true"}]}"#
        )
        #expect(
            requests[1].compactBody
                == #"{"collection_name":"books","partition_name":"p1","files":["n/id.npy","n/vec.npy"],"options":[{"key":"timeout","value":"300s"},{"key":"backup","value":"true"}]}"#
        )
        #expect(requests[0].headerLines == Self.authorizedHeaders)
    }

    @Test func milvusV1WithoutOptionsOrPartition() throws {
        let job = try makeJob(api: .milvusV1, endpoint: "http://legacy:9091")
        let request = try #require(builder.createRequests(for: job).first)
        #expect(request.compactBody == #"{"collection_name":"books","files":["books/part-0001.json"]}"#)
        #expect(request.header("Authorization") == nil)
    }

    // MARK: Zilliz Cloud v2

    @Test func zillizV2WithClusterAndKeys() throws {
        let job = try makeJob(
            api: .zillizV2, endpoint: "https://api.cloud.zilliz.com", collection: "medium_articles", partition: "p",
            dbName: "staging", files: [["s3://bucket/a.parquet"], ["s3://bucket/folder/"]],
            options: [ImportOption("timeout", "1.5h")],
            configure: {
                $0.clusterID = "in01-0123"
                $0.apiKey = Secret("zk-VALUE")
            },
            keys: ("ak-VALUE", "sk-VALUE", "tk-VALUE"))
        let request = try #require(builder.createRequests(for: job).first)
        #expect(request.url == "https://api.cloud.zilliz.com/v2/vectordb/jobs/import/create")
        #expect(request.headerLines == Self.authorizedHeaders)
        #expect(request.headers.first?.wireValue() == "Bearer zk-VALUE")
        #expect(
            request.compactBody
                == #"{"clusterId":"in01-0123","dbName":"staging","collectionName":"medium_articles","partitionName":"p","objectUrls":[["s3://bucket/a.parquet"],["s3://bucket/folder/"]],"accessKey":"<redacted>","secretKey":"<redacted>","token":"<redacted>","options":{"timeout":"1.5h"}}"#
        )
        let revealed = String(decoding: try #require(request.wireBody()), as: UTF8.self)
        #expect(revealed.contains(#""accessKey":"ak-VALUE","secretKey":"sk-VALUE","token":"tk-VALUE""#))
    }

    @Test func zillizV2WithProjectAndRegion() throws {
        let job = try makeJob(
            api: .zillizV2, endpoint: "https://api.cloud.zilliz.com", files: [["gs://b/x.json"]],
            configure: {
                $0.projectID = "proj-1"
                $0.regionID = "aws-us-west-2"
                $0.apiKey = Secret("zk")
            },
            keys: ("ak", "sk", nil))
        let request = try #require(builder.createRequests(for: job).first)
        #expect(
            request.compactBody
                == #"{"projectId":"proj-1","regionId":"aws-us-west-2","collectionName":"books","objectUrls":[["gs://b/x.json"]],"accessKey":"<redacted>","secretKey":"<redacted>"}"#
        )
    }

    // MARK: Zilliz Cloud v1

    @Test func zillizV1TakesOneObjectURL() throws {
        let job = try makeJob(
            api: .zillizV1, endpoint: "controller.api.gcp-us-west1.zillizcloud.com", collection: "medium_articles",
            files: [["gs://my-gcs-bucket/medium_articles/1.parquet"]],
            configure: {
                $0.clusterID = "in03-fedc"
                $0.apiKey = Secret("zk")
            },
            keys: ("ak", "sk", "ignored-token"))
        let requests = builder.createRequests(for: job)
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.url == "https://controller.api.gcp-us-west1.zillizcloud.com/v1/vector/collections/import")
        #expect(request.header("Authorization") == "Bearer <redacted>")
        #expect(request.header("Request-Timeout") == nil)
        #expect(
            request.compactBody
                == #"{"clusterId":"in03-fedc","collectionName":"medium_articles","objectUrl":"gs://my-gcs-bucket/medium_articles/1.parquet","accessKey":"<redacted>","secretKey":"<redacted>"}"#
        )
    }

    // MARK: From manifests

    @Test func quickstartExamplePlansTheMilvusCreateRequest() throws {
        let path = Paths.examples.appendingPathComponent("quickstart.yaml").path
        let outcome = ManifestCheck(environment: testEnvironment, options: ValidationOptions(unsetVariableSeverity: .error))
            .check(paths: [path])
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        let job = try #require(outcome.job("quickstart-books"))
        let request = try #require(builder.createRequests(for: job).first)
        #expect(request.url == "http://localhost:19530/v2/vectordb/jobs/import/create")
        #expect(request.header("Authorization") == "Bearer <redacted>")
        #expect(request.headers.first?.wireValue() == "Bearer root:mt-secret-1")
        #expect(
            request.compactBody
                == #"{"collectionName":"books","files":[["quickstart/books/part-0001.json"],["quickstart/books/part-0002.json"]],"options":{"timeout":"300s"}}"#
        )
    }

    @Test func zillizExampleResolvesDefaultsAndPerJobKeys() throws {
        let path = Paths.examples.appendingPathComponent("zilliz-cloud.yaml").path
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [path])
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        let v1 = try #require(outcome.job("zilliz-articles-v1"))
        #expect(v1.target.api == .zillizV1)
        #expect(v1.accessKey?.reveal() == "gk-secret-7")
        let v1Body = String(decoding: try #require(builder.createRequests(for: v1).first?.wireBody()), as: UTF8.self)
        #expect(
            v1Body
                == #"{"clusterId":"in03-fedcba9876543210","collectionName":"medium_articles","objectUrl":"gs://my-gcs-bucket/medium_articles/1.parquet","accessKey":"gk-secret-7","secretKey":"gs-secret-8"}"#
        )

        let sts = try #require(outcome.job("zilliz-reviews-sts"))
        let stsBody = try #require(builder.createRequests(for: sts).first).compactBody
        #expect(
            stsBody
                == #"{"clusterId":"in01-0123456789abcdef","dbName":"staging","collectionName":"reviews","objectUrls":[["https://my-import-bucket.s3.us-west-2.amazonaws.com/reviews/reviews.json"]],"accessKey":"<redacted>","secretKey":"<redacted>","token":"<redacted>"}"#
        )
    }

    @Test func multiTargetExamplePlansEveryAPI() throws {
        let path = Paths.examples.appendingPathComponent("multi-target.yaml").path
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [path])
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        #expect(outcome.jobs.map(\.target.api) == [.milvusV2, .milvusV1, .zillizV2, .milvusV2])
        let staging = try #require(outcome.job("multi-catalog-staging"))
        let stagingRequest = try #require(builder.createRequests(for: staging).first)
        #expect(stagingRequest.header("DB-Name") == "catalog")
        #expect(stagingRequest.compactBody.hasPrefix(#"{"dbName":"catalog","collectionName":"catalog","#))
        #expect(builder.createRequests(for: try #require(outcome.job("multi-catalog-legacy"))).count == 2)
        let laptop = try #require(outcome.job("multi-catalog-laptop"))
        #expect(laptop.target.name == nil)
        #expect(builder.createRequests(for: laptop).first?.url == "http://localhost:19530/v2/vectordb/jobs/import/create")
    }

    // MARK: Rendering

    @Test func requestJSONMasksSecretsUnlessRevealed() throws {
        let job = try makeJob(
            api: .zillizV2, endpoint: "https://api.cloud.zilliz.com",
            configure: {
                $0.clusterID = "c"
                $0.apiKey = Secret("zk-VALUE")
            }, keys: ("ak-VALUE", "sk-VALUE", nil))
        let request = try #require(builder.createRequests(for: job).first)
        let masked = JSONWriter.write(request.json)
        #expect(!masked.contains("VALUE"))
        #expect(masked.contains(#""Authorization":"Bearer <redacted>""#))
        #expect(masked.contains(#""accessKey":"<redacted>""#))
        let object = try #require(try parseJSON(masked) as? [String: Any])
        #expect(Set(object.keys) == ["method", "url", "headers", "body"])
        // The wire body shows the body's secrets (headers keep their printed form in `json`).
        let revealed = String(decoding: try #require(request.wireBody()), as: UTF8.self)
        #expect(revealed.contains(#""accessKey":"ak-VALUE""#))
        #expect(revealed.contains(#""secretKey":"sk-VALUE""#))
    }

    @Test func planJSONListsEveryJob() throws {
        let jobs = [
            try makeJob(api: .milvusV2, endpoint: "http://localhost:19530", configure: { $0.token = Secret("mt-VALUE") }),
            try makeJob(api: .milvusV1, endpoint: "http://legacy:9091", files: [["a.json"], ["b.json"]]),
        ]
        let text = PlanRenderer().json(jobs)
        #expect(!text.contains("mt-VALUE"))
        let root = try #require(try parseJSON(text) as? [String: Any])
        let items = try #require(root["jobs"] as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items[0]["name"] as? String == "job")
        #expect(items[0]["target"] as? String == "t")
        #expect(items[0]["api"] as? String == "milvus-v2")
        let request = try #require(items[0]["request"] as? [String: Any])
        #expect(request["method"] as? String == "POST")
        #expect(request["url"] as? String == "http://localhost:19530/v2/vectordb/jobs/import/create")
        #expect((request["headers"] as? [String: String])?["Authorization"] == "Bearer <redacted>")
        #expect((request["body"] as? [String: Any])?["collectionName"] as? String == "books")
        #expect(items[0]["requests"] == nil)
        #expect((items[1]["requests"] as? [Any])?.count == 2)
    }

    @Test func planTextShowsMethodURLHeadersAndBody() throws {
        let job = try makeJob(api: .milvusV2, endpoint: "http://localhost:19530", configure: { $0.token = Secret("mt-VALUE") })
        let text = PlanRenderer().text([job])
        #expect(text.hasPrefix("job job  (m.yaml:3:5)  → t [milvus-v2]\n"))
        #expect(text.contains("  POST http://localhost:19530/v2/vectordb/jobs/import/create\n"))
        #expect(text.contains("  Authorization: Bearer <redacted>\n"))
        #expect(text.contains("  \"collectionName\": \"books\""))
        #expect(text.hasSuffix("1 job planned; nothing was sent.\n"))
        #expect(!text.contains("mt-VALUE"))
        #expect(PlanRenderer().text([]) == "0 jobs planned; nothing was sent.\n")
    }

    @Test func planTextNumbersTheRequestsOfAMilvusV1Job() throws {
        let job = try makeJob(api: .milvusV1, endpoint: "http://legacy:9091", files: [["a.json"], ["b.json"], ["c.json"]])
        let text = PlanRenderer().text([job])
        #expect(text.contains("# request 1 of 3"))
        #expect(text.contains("# request 3 of 3"))
        #expect(text.components(separatedBy: "POST http://legacy:9091/api/v1/import").count == 4)
    }

    // MARK: JSON writing

    @Test func jsonWriterEscapesAndKeepsKeyOrder() throws {
        let value: JSONValue = [
            "z": "quote \" backslash \\ newline \n tab \t bell \u{07} é",
            "a": [1, true, .null, .double(1.5), .double(.infinity)],
            "m": [:],
            "e": [],
        ]
        let text = JSONWriter.write(value)
        #expect(text == #"{"z":"quote \" backslash \\ newline \n tab \t bell \u0007 é","a":[1,true,null,1.5,null],"m":{},"e":[]}"#)
        let parsed = try #require(try parseJSON(text) as? [String: Any])
        #expect(parsed["z"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é")
        let pretty = JSONWriter.write(["k": [1, 2]], pretty: true)
        #expect(pretty == "{\n  \"k\": [\n    1,\n    2\n  ]\n}")
    }

    @Test func bodySecretsPrintRedactedExceptOnTheWire() throws {
        func request(_ secret: String) -> ImportRequest {
            ImportRequest(
                method: "POST", url: "http://h", headers: [], body: ["k": .string(Secret.placeholder)],
                bodySecrets: ["k": Secret(secret)])
        }
        let value = try #require(request("s3cr3t\"x").body)
        #expect(JSONWriter.write(value) == #"{"k":"<redacted>"}"#)
        #expect(String(decoding: try #require(request("s3cr3t\"x").wireBody()), as: UTF8.self) == #"{"k":"s3cr3t\"x"}"#)
        #expect(value["k"] != nil)
        #expect(request("a") != request("b"))
    }

    @Test(arguments: [
        ("http://localhost:19530", "http://localhost:19530"),
        ("HTTP://Host:80/", "http://Host:80"),
        ("https://h/a/b//", "https://h/a/b"),
        ("  http://h  ", "http://h"),
    ])
    func endpointsNormalise(text: String, description: String) throws {
        #expect(try Endpoint(parsing: text, defaultScheme: nil).description == description)
    }
}
