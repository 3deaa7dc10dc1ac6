import Testing

@testable import ImportTestServer

/// What reconciliation reads off the double, as import-api.md says real servers answer it.
@Suite("What the double tells about jobs it has")
struct ReconciliationWireTests {
    @Test("Idempotency-Key: a failed job's key keeps answering that job; keys are per collection")
    func failedJobKeepsItsKey() async throws {
        try await withServer(.init(honoursIdempotencyKey: true, jobTimeline: .immediate)) { server in
            let key = [("Idempotency-Key", "digest-1")]
            let first = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","files":[["x/fail.json"]]}"#, headers: key)
            let failedID = try #require(first.data?["jobId"]?.stringValue)
            let seen = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(failedID)"}"#)
            #expect(seen.data?["state"]?.stringValue == "Failed")
            let again = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","files":[["x/fail.json"]]}"#, headers: key)
            #expect(again.data?["jobId"]?.stringValue == failedID)
            let elsewhere = try await TestClient.post(server, Paths.create, #"{"collectionName":"d","files":[["x/a.json"]]}"#, headers: key)
            #expect(elsewhere.data?["jobId"]?.stringValue != failedID)
            let stats = await server.statistics()
            #expect(stats.jobsCreated == 2)
            #expect(stats.idempotentReplays == 1)
        }
    }

    @Test("Milvus v2: the list names no files; describe names each group in details[].fileName")
    func milvusListAndDescribe() async throws {
        try await withServer(.init(jobTimeline: .immediate)) { server in
            let created = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["a/1.parquet"],["b/id.npy","b/v.npy"]]}"#)
            let id = try #require(created.data?["jobId"]?.stringValue)
            let list = try await TestClient.post(server, Paths.list, #"{"collectionName":"c"}"#)
            let record = try #require(list.data?["records"]?[0]?.objectValue)
            #expect(Set(record.map(\.0)) == ["jobId", "collectionName", "state", "progress"])
            let described = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(id)"}"#)
            let names = described.data?["details"]?.arrayValue?.compactMap { $0["fileName"]?.stringValue }
            #expect(names == ["[a/1.parquet]", "[b/id.npy b/v.npy]"])
        }
    }

    @Test("Milvus 2.3: the task list carries files, partition and create_ts")
    func legacyTaskList() async throws {
        try await withServer(.init(jobTimeline: .immediate)) { server in
            _ = try await TestClient.post(
                server, Paths.legacyCreate, #"{"collection_name":"c","partition_name":"p1","files":["/d/a.npy","/d/b.npy"]}"#)
            _ = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"other","files":["/d/x.json"]}"#)
            let tasks = try await TestClient.get(server, Paths.legacyTasks, body: #"{"collection_name":"c"}"#)
            let list = try #require(tasks.json?["tasks"]?.arrayValue)
            #expect(list.count == 1)
            let infos = try #require(list[0]["infos"]?.arrayValue)
            func info(_ key: String) -> String? { infos.first { $0["key"]?.stringValue == key }?["value"]?.stringValue }
            #expect(info("files") == "/d/a.npy,/d/b.npy")
            #expect(info("partition") == "p1")
            #expect(info("collection") == "c")
            #expect((list[0]["create_ts"]?.intValue ?? 0) > 1_700_000_000)
        }
    }

    @Test("Zilliz v2: the list is paged by pageSize and currentPage and counts every job")
    func zillizPages() async throws {
        let cluster = "in01-0123456789abcdef"
        try await withServer(.init(jobTimeline: .immediate)) { server in
            for i in 0..<5 {
                _ = try await TestClient.post(
                    server, Paths.create, #"{"clusterId":"\#(cluster)","collectionName":"c","objectUrls":[["s3://b/\#(i).json"]]}"#)
            }
            var ids: [String] = []
            for page in 1...3 {
                let answer = try await TestClient.post(
                    server, Paths.list, #"{"clusterId":"\#(cluster)","pageSize":2,"currentPage":\#(page)}"#)
                #expect(answer.data?["count"]?.intValue == 5)
                ids += answer.data?["records"]?.arrayValue?.compactMap { $0["jobId"]?.stringValue } ?? []
            }
            #expect(ids.count == 5)
            #expect(Set(ids).count == 5)
            let progress = try await TestClient.post(server, Paths.getProgress, #"{"clusterId":"\#(cluster)","jobId":"\#(ids[0])"}"#)
            #expect(progress.data?["details"]?[0]?["fileName"]?.stringValue == "0.json")
        }
    }
}
