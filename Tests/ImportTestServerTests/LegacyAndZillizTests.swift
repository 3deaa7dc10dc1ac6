import Testing

@testable import ImportTestServer

@Suite("Milvus 2.2/2.3 /api/v1")
struct LegacyTests {
    @Test("create answers tasks; state walks 0 (omitted) → 2/5 → 6 with infos")
    func createAndState() async throws {
        try await withServer(.init(jobTimeline: .polls(3))) { server in
            let created = try await TestClient.post(
                server, Paths.legacyCreate,
                #"{"collection_name":"c","files":["/data/rows.json"],"options":[{"key":"timeout","value":"300s"}]}"#)
            #expect(created.status == 200)
            #expect(created.json?["status"] == .object([]))
            let task = try #require(created.json?["tasks"]?[0]?.intValue)

            let first = try await TestClient.get(server, Paths.legacyState, body: #"{"task":\#(task)}"#)
            #expect(first.json?["status"] == .object([]))
            #expect(first.json?["state"] == nil)  // Pending is 0, left out by omitempty
            let second = try await TestClient.get(server, Paths.legacyState, body: #"{"task":\#(task)}"#)
            #expect([2, 5].contains(second.json?["state"]?.intValue ?? -1))
            let third = try await TestClient.get(server, Paths.legacyState, body: #"{"task":\#(task)}"#)
            let done = try #require(third.json)
            #expect(done["state"]?.intValue == 6)
            #expect(done["row_count"]?.intValue == 100_000)
            #expect(done["id"]?.intValue == task)
            let infos = try #require(done["infos"]?.arrayValue)
            let progress = infos.first { $0["key"]?.stringValue == "progress_percent" }
            #expect(progress?["value"]?.stringValue == "100")
            let files = infos.first { $0["key"]?.stringValue == "files" }
            #expect(files?["value"]?.stringValue == "/data/rows.json")
            let failed = infos.first { $0["key"]?.stringValue == "failed_reason" }
            #expect(failed != nil && failed?["value"] == nil)

            let tasks = try await TestClient.get(server, Paths.legacyTasks)
            #expect(tasks.json?["tasks"]?.arrayValue?.count == 1)
            let statistics = try await TestClient.get(server, "/api/v1/collection/statistics", body: #"{"collection_name":"c"}"#)
            #expect(statistics.json?["stats"]?[0]?["value"]?.stringValue == "100000")
        }
    }

    @Test("a failing task reports state 1 and failed_reason")
    func failedTask() async throws {
        try await withServer(.init(jobTimeline: .immediate)) { server in
            let created = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"c","files":["/x/fail.json"]}"#)
            let task = try #require(created.json?["tasks"]?[0]?.intValue)
            let state = try await TestClient.get(server, Paths.legacyState, body: #"{"task":\#(task)}"#)
            #expect(state.json?["state"]?.intValue == 1)
            let failed = state.json?["infos"]?.arrayValue?.first { $0["key"]?.stringValue == "failed_reason" }
            #expect(failed?["value"]?.stringValue?.contains("/x/fail.json") == true)
        }
    }

    @Test("errors: bad bodies are HTTP 400, unknown collections and tasks a non-empty status")
    func errors() async throws {
        try await withServer(.init(knownCollections: ["c"])) { server in
            let mistyped = try await TestClient.get(server, Paths.legacyState, body: #"{"task":"123"}"#)
            #expect(mistyped.status == 400)
            #expect(mistyped.json?["error_code"]?.intValue == 5)
            let empty = try await TestClient.get(server, Paths.legacyState)
            #expect(empty.status == 400)
            let grouped = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"c","files":[["a.json"]]}"#)
            #expect(grouped.status == 400)

            let unknown = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"nope","files":["a.json"]}"#)
            #expect(unknown.status == 200)
            let status = try #require(unknown.json?["status"])
            #expect(status["error_code"]?.intValue == 1)
            #expect(status["code"]?.intValue == 65535)
            #expect(status["reason"]?.stringValue?.contains("collection not found[database=default][collection=nope]") == true)
            #expect(status["detail"]?.stringValue?.hasPrefix("stack trace") == true)

            let noTask = try await TestClient.get(server, Paths.legacyState, body: #"{"task":42}"#)
            #expect(noTask.json?["status"]?["error_code"]?.intValue == 1)
            #expect(await server.statistics().jobsCreated == 0)
        }
    }
}

@Suite("Zilliz Cloud")
struct ZillizTests {
    let cluster = "in01-0123456789abcde"

    @Test("v2: create by clusterId, getProgress/describe, list with paging")
    func v2Flow() async throws {
        try await withServer(.init(token: "key", knownClusters: [cluster], jobTimeline: .polls(2))) { server in
            let auth = [("Authorization", "Bearer key")]
            let created = try await TestClient.post(
                server, Paths.create,
                #"{"clusterId":"\#(cluster)","collectionName":"medium_articles","objectUrls":[["s3://bucket/a/1.parquet"],["gs://bucket/b/"]],"accessKey":"AK","secretKey":"SK"}"#,
                headers: auth)
            #expect(created.code == 0)
            let jobId = try #require(created.data?["jobId"]?.stringValue)
            #expect(jobId.hasPrefix("job-"))
            #expect(jobId.count == 26)

            let first = try await TestClient.post(
                server, Paths.getProgress, #"{"clusterId":"\#(cluster)","jobId":"\#(jobId)"}"#, headers: auth)
            #expect(first.data?["state"]?.stringValue == "Pending")
            let second = try await TestClient.post(
                server, Paths.describe, #"{"clusterId":"\#(cluster)","jobId":"\#(jobId)"}"#, headers: auth)
            let data = try #require(second.data)
            #expect(data["state"]?.stringValue == "Completed")
            #expect(data["progress"]?.intValue == 100)
            #expect(data["collectionName"]?.stringValue == "medium_articles")
            #expect(data["details"]?.arrayValue?.count == 2)
            #expect(data["details"]?[0]?["fileName"]?.stringValue == "a/1.parquet")  // the object's path, as Zilliz Cloud shows it

            for i in 0..<2 {
                _ = try await TestClient.post(
                    server, Paths.create,
                    #"{"clusterId":"\#(cluster)","collectionName":"c\#(i)","objectUrls":[["s3://b/\#(i).json"]]}"#,
                    headers: auth)
            }
            let page = try await TestClient.post(
                server, Paths.list, #"{"clusterId":"\#(cluster)","pageSize":2,"currentPage":2}"#, headers: auth)
            #expect(page.data?["count"]?.intValue == 3)
            #expect(page.data?["currentPage"]?.intValue == 2)
            #expect(page.data?["records"]?.arrayValue?.count == 1)
            #expect(page.data?["records"]?[0]?["collectionName"]?.stringValue == "c1")
        }
    }

    @Test("v2: project databases use projectId and regionId")
    func v2Project() async throws {
        try await withServer { server in
            let created = try await TestClient.post(
                server, Paths.create,
                #"{"projectId":"proj-1","regionId":"aws-us-west-2","collectionName":"c","objectUrls":[["s3://b/k.json"]]}"#)
            #expect(created.code == 0)
            let missingRegion = try await TestClient.post(
                server, Paths.create, #"{"projectId":"proj-1","collectionName":"c","objectUrls":[["s3://b/k.json"]]}"#)
            #expect(missingRegion.code == 1802)
        }
    }

    @Test("v2: errors 21119, 96018, 96026, 1802 and 1100")
    func v2Errors() async throws {
        try await withServer(.init(token: "key", knownClusters: [cluster])) { server in
            let auth = [("Authorization", "Bearer key")]
            let badKey = try await TestClient.post(
                server, Paths.create, #"{"clusterId":"\#(cluster)","collectionName":"c","objectUrls":[["s3://b/k"]]}"#,
                headers: [("Authorization", "Bearer other")])
            #expect(badKey.status == 200)
            #expect(badKey.code == 21119)
            #expect(badKey.message == "The apikey is illegal.")
            let noCluster = try await TestClient.post(
                server, Paths.create, #"{"clusterId":"in09-nope","collectionName":"c","objectUrls":[["s3://b/k"]]}"#, headers: auth)
            #expect(noCluster.code == 96018)
            let missingCluster = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","objectUrls":[["s3://b/k"]]}"#, headers: auth)
            #expect(missingCluster.code == 1802)
            let twoInOne = try await TestClient.post(
                server, Paths.create, #"{"clusterId":"\#(cluster)","collectionName":"c","objectUrls":[["s3://b/1","s3://b/2"]]}"#,
                headers: auth)
            #expect(twoInOne.code == 1100)
            let localPath = try await TestClient.post(
                server, Paths.create, #"{"clusterId":"\#(cluster)","collectionName":"c","objectUrls":[["/tmp/x.json"]]}"#,
                headers: auth)
            #expect(localPath.code == 1100)
            let noJob = try await TestClient.post(
                server, Paths.getProgress, #"{"clusterId":"\#(cluster)","jobId":"job-nope"}"#, headers: auth)
            #expect(noJob.code == 96026)
            let badPage = try await TestClient.post(server, Paths.list, #"{"clusterId":"\#(cluster)","pageSize":500}"#, headers: auth)
            #expect(badPage.code == 1100)
            #expect(await server.statistics().jobsCreated == 0)
        }
    }

    @Test("v1: create answers code 200; get has readyPercentage, state and errorMessage; list pages")
    func v1Flow() async throws {
        try await withServer(.init(token: "key", jobTimeline: .immediate)) { server in
            let auth = [("Authorization", "Bearer key")]
            let created = try await TestClient.post(
                server, Paths.v1Create,
                #"{"clusterId":"\#(cluster)","collectionName":"medium_articles","partitionName":"","objectUrl":"gs://bucket/folder/1.parquet","accessKey":"a","secretKey":"s"}"#,
                headers: auth)
            #expect(created.code == 200)
            let jobId = try #require(created.data?["jobId"]?.stringValue)
            #expect(jobId.hasPrefix("job-"))

            let got = try await TestClient.get(server, "\(Paths.v1Get)?jobId=\(jobId)&clusterId=\(cluster)", headers: auth)
            #expect(got.code == 200)
            #expect(got.data?["readyPercentage"]?.doubleValue == 1)
            #expect(got.data?["state"]?.stringValue == "ImportCompleted")
            #expect(got.data?["errorMessage"] == .null)

            let failing = try await TestClient.post(
                server, Paths.v1Create,
                #"{"clusterId":"\#(cluster)","collectionName":"c","objectUrl":"s3://b/fail.json"}"#, headers: auth)
            let failingId = try #require(failing.data?["jobId"]?.stringValue)
            let failed = try await TestClient.get(server, "\(Paths.v1Get)?jobId=\(failingId)&clusterId=\(cluster)", headers: auth)
            #expect(failed.data?["state"]?.stringValue == "ImportFailed")
            #expect(failed.data?["errorMessage"]?.stringValue?.contains("s3://b/fail.json") == true)

            let list = try await TestClient.get(server, "\(Paths.v1List)?clusterId=\(cluster)&pageSize=1&currentPage=1", headers: auth)
            #expect(list.code == 200)
            #expect(list.data?["count"]?.intValue == 2)
            #expect(list.data?["tasks"]?.arrayValue?.count == 1)
            #expect(list.data?["tasks"]?[0]?["state"]?.stringValue == "ImportCompleted")

            // A v1 job is visible through the v2 progress call of the same cluster.
            let viaV2 = try await TestClient.post(
                server, Paths.getProgress, #"{"clusterId":"\#(cluster)","jobId":"\#(jobId)"}"#, headers: auth)
            #expect(viaV2.data?["state"]?.stringValue == "Completed")
        }
    }

    @Test("v1: errors 80001, 80002, 80000, 96026")
    func v1Errors() async throws {
        try await withServer(.init(token: "key")) { server in
            let body = #"{"clusterId":"\#(cluster)","collectionName":"c","objectUrl":"s3://b/k.json"}"#
            #expect(try await TestClient.post(server, Paths.v1Create, body).code == 80001)
            #expect(try await TestClient.post(server, Paths.v1Create, body, headers: [("Authorization", "Bearer x")]).code == 80002)
            let auth = [("Authorization", "Bearer key")]
            let missing = try await TestClient.post(
                server, Paths.v1Create, #"{"clusterId":"\#(cluster)","collectionName":"c"}"#, headers: auth)
            #expect(missing.code == 80000)
            let noJob = try await TestClient.get(server, "\(Paths.v1Get)?jobId=job-x&clusterId=\(cluster)", headers: auth)
            #expect(noJob.code == 96026)
        }
    }
}
