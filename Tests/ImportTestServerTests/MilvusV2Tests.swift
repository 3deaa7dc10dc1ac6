import Testing

@testable import ImportTestServer

@Suite("Milvus REST v2")
struct MilvusV2Tests {
    @Test("create, describe and list walk a job Pending → Importing → Completed")
    func createDescribeList() async throws {
        try await withServer(.init(jobTimeline: .polls(3))) { server in
            let created = try await TestClient.post(
                server, Paths.create,
                #"{"collectionName":"quick_setup","files":[["a/1.parquet"],["b/id.npy","b/vec.npy"]],"options":{"timeout":"300s"}}"#)
            #expect(created.status == 200)
            #expect(created.code == 0)
            #expect(created.header("X-Milvus-Trace-Id")?.count == 32)
            let jobId = try #require(created.data?["jobId"]?.stringValue)
            #expect(Int64(jobId) != nil)

            var states: [String] = []
            for _ in 0..<4 {
                let progress = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(jobId)"}"#)
                #expect(progress.code == 0)
                states.append(progress.data?["state"]?.stringValue ?? "?")
            }
            #expect(states == ["Pending", "Importing", "Completed", "Completed"])

            let done = try await TestClient.post(server, "/v2/vectordb/jobs/import/get_progress", #"{"jobId":"\#(jobId)"}"#)
            let data = try #require(done.data)
            #expect(data["jobId"]?.stringValue == jobId)
            #expect(data["collectionName"]?.stringValue == "quick_setup")
            #expect(data["progress"]?.intValue == 100)
            #expect(data["totalRows"]?.intValue == 200_000)
            #expect(data["importedRows"]?.intValue == 200_000)
            #expect(data["completeTime"]?.stringValue?.hasSuffix("Z") == true)
            #expect(data["reason"] == nil)
            let details = try #require(data["details"]?.arrayValue)
            #expect(details.count == 2)
            #expect(details[1]["fileName"]?.stringValue == "[b/id.npy b/vec.npy]")
            #expect(details[0]["state"]?.stringValue == "Completed")

            let list = try await TestClient.post(server, Paths.list, #"{"collectionName":"quick_setup"}"#)
            let records = try #require(list.data?["records"]?.arrayValue)
            #expect(records.count == 1)
            #expect(records[0]["jobId"]?.stringValue == jobId)
            #expect(records[0]["state"]?.stringValue == "Completed")
            #expect(records[0]["progress"]?.intValue == 100)
            #expect(await server.jobsCreated(collection: "quick_setup") == 1)
        }
    }

    @Test("a duration timeline completes by wall time")
    func durationTimeline() async throws {
        // Generous margins: the machine may be busy, and the early query must land before the end.
        // Under ThreadSanitizer, with every suite starting at once, create and describe took over 2 s.
        try await withServer(.init(jobTimeline: .duration(.seconds(5)))) { server in
            let sent = ContinuousClock.now  // the server made the job after this
            let created = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","files":[["x.json"]]}"#)
            let answered = ContinuousClock.now  // the server made the job before this
            let jobId = try #require(created.data?["jobId"]?.stringValue)
            let early = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(jobId)"}"#)
            // Only an answer that came back within 5 s of sending the create was surely decided
            // before the job's end: on a loaded machine the create alone once took 20 s, and then
            // the early query proves nothing.
            if ContinuousClock.now < sent + .seconds(5) {
                #expect(early.data?["state"]?.stringValue != "Completed")
            }
            try await Task.sleep(until: answered + .milliseconds(5100), clock: .continuous)
            let late = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(jobId)"}"#)
            #expect(late.data?["state"]?.stringValue == "Completed")
        }
    }

    @Test("a file named with the fail marker makes the job fail, with a reason per file")
    func failedJob() async throws {
        try await withServer(.init(jobTimeline: .immediate)) { server in
            let created = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["ok.json"],["dir/fail-me.parquet"]]}"#)
            let jobId = try #require(created.data?["jobId"]?.stringValue)
            let progress = try await TestClient.post(server, Paths.describe, #"{"jobId":"\#(jobId)"}"#)
            let data = try #require(progress.data)
            #expect(data["state"]?.stringValue == "Failed")
            #expect(data["reason"]?.stringValue?.contains("dir/fail-me.parquet") == true)
            #expect(data["reason"]?.stringValue?.contains("The specified key does not exist.") == true)
            let details = try #require(data["details"]?.arrayValue)
            #expect(details[0]["reason"] == nil)
            #expect(details[1]["reason"]?.stringValue?.contains("fail-me") == true)
            #expect(details[1]["state"]?.stringValue == "Failed")
        }
    }

    @Test(
        "validation errors carry the server's codes",
        arguments: [
            (#"{"collectionName":"c","files":[["a.json"]],"options":{"timeout":300}}"#, Int64(1801), "ImportReq.options"),
            (#"{"collectionName":"c","files":["a.json"]}"#, 1801, "cannot unmarshal string"),
            (#"{"collectionName":"c","files":[["a.json"]]"#, 1801, "can only accept json format request"),
            (#"[1]"#, 1801, "cannot unmarshal array"),
            (#"{"files":[["a.json"]]}"#, 1802, "'CollectionName' failed on the 'required' tag"),
            (#"{"collectionName":"c"}"#, 1802, "'Files' failed on the 'required' tag"),
            (#"{"collectionName":"c","files":[[],[]]}"#, 2100, "import request is empty"),
            (#"{"collectionName":"c","files":[["a.json","b.json"]]}"#, 2100, "accepts only one file"),
            (#"{"collectionName":"c","files":[["a.npy","b.json"]]}"#, 2100, "inconsistent file types"),
            (#"{"collectionName":"c","files":[["a.txt"]]}"#, 2100, "unexpected file type"),
            (
                #"{"collectionName":"c","files":[["1.json"],["2.json"],["3.json"]]}"#, 2100,
                "The max number of import files should not exceed 2, but got 3"
            ),
            (#"{"collectionName":"nope","files":[["a.json"]]}"#, 100, "collection not found[database=default][collection=nope]"),
        ])
    func validation(body: String, code: Int64, fragment: String) async throws {
        try await withServer(.init(knownCollections: ["c"], maxFilesPerRequest: 2)) { server in
            let response = try await TestClient.post(server, Paths.create, body)
            #expect(response.status == 200)
            #expect(response.code == code)
            #expect(response.message.contains(fragment), "\(response.message)")
            #expect(await server.statistics().jobsCreated == 0)
        }
    }

    @Test("describe: Zilliz ids, unknown jobs, missing and mistyped ids")
    func describeErrors() async throws {
        try await withServer { server in
            let zilliz = try await TestClient.post(server, Paths.describe, #"{"jobId":"job-0123"}"#)
            #expect(zilliz.code == 1100)
            #expect(zilliz.message.contains("parse job id failed"))
            let unknown = try await TestClient.post(server, Paths.describe, #"{"jobId":"448707763884413158"}"#)
            #expect(unknown.code == 2100)
            #expect(unknown.message == "import job does not exist, jobID=448707763884413158")
            let missing = try await TestClient.post(server, Paths.describe, #"{}"#)
            #expect(missing.code == 1802)
            let number = try await TestClient.post(server, Paths.describe, #"{"jobId":448707763884413158}"#)
            #expect(number.code == 1801)
        }
    }

    @Test("auth: missing or wrong bearer token is HTTP 401 code 1800")
    func auth() async throws {
        try await withServer(.init(token: "root:Milvus")) { server in
            let body = #"{"collectionName":"c","files":[["a.json"]]}"#
            let missing = try await TestClient.post(server, Paths.create, body)
            #expect(missing.status == 401)
            #expect(missing.code == 1800)
            let wrong = try await TestClient.post(server, Paths.create, body, headers: [("Authorization", "Bearer root:wrong")])
            #expect(wrong.status == 401)
            #expect(wrong.code == 1800)
            let basic = try await TestClient.post(server, Paths.list, "{}", headers: [("Authorization", "Basic cm9vdDpNaWx2dXM=")])
            #expect(basic.status == 401)
            let right = try await TestClient.post(server, Paths.create, body, headers: [("Authorization", "Bearer root:Milvus")])
            #expect(right.status == 200)
            #expect(right.code == 0)
            #expect(await server.statistics().jobsCreated == 1)
        }
    }

    @Test("databases: DB-Name header or dbName scope list; unknown database is code 800")
    func databases() async throws {
        try await withServer(.init(knownDatabases: ["analytics"])) { server in
            let inDb = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["a.json"]]}"#, headers: [("DB-Name", "analytics")])
            #expect(inDb.code == 0)
            let inDefault = try await TestClient.post(server, Paths.create, #"{"collectionName":"c","files":[["b.json"]]}"#)
            #expect(inDefault.code == 0)
            let listed = try await TestClient.post(server, Paths.list, #"{"dbName":"analytics"}"#)
            #expect(listed.data?["records"]?.arrayValue?.count == 1)
            let listedByHeader = try await TestClient.post(server, Paths.list, "", headers: [("DB-Name", "analytics")])
            #expect(listedByHeader.data?["records"]?.arrayValue?.count == 1)
            let unknown = try await TestClient.post(server, Paths.create, #"{"dbName":"nope","collectionName":"c","files":[["a.json"]]}"#)
            #expect(unknown.code == 800)
            #expect(unknown.message == "database not found[database=nope]")
        }
    }

    @Test("Idempotency-Key: honoured, the same key answers the first job and creates nothing")
    func idempotencyHonoured() async throws {
        try await withServer(.init(honoursIdempotencyKey: true)) { server in
            let first = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["a.json"]]}"#, headers: [("Idempotency-Key", "run-1/c/0")])
            let second = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["other.json"]]}"#, headers: [("Idempotency-Key", "run-1/c/0")])
            let third = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["a.json"]]}"#, headers: [("Idempotency-Key", "run-1/c/1")])
            let firstId = try #require(first.data?["jobId"]?.stringValue)
            #expect(second.data?["jobId"]?.stringValue == firstId)
            #expect(third.data?["jobId"]?.stringValue != firstId)
            let stats = await server.statistics()
            #expect(stats.jobsCreated == 2)
            #expect(stats.idempotentReplays == 1)
            #expect(stats.importsPerFile["other.json"] == nil)
            #expect(await server.jobs().first?.idempotencyKey == "run-1/c/0")
            let tooLong = try await TestClient.post(
                server, Paths.create, #"{"collectionName":"c","files":[["a.json"]]}"#,
                headers: [("Idempotency-Key", String(repeating: "k", count: 257))])
            #expect(tooLong.code == 1100)
        }
    }

    @Test("Idempotency-Key: ignored by an older server, so a resend imports twice")
    func idempotencyIgnored() async throws {
        try await withServer(.init(honoursIdempotencyKey: false)) { server in
            for _ in 0..<2 {
                _ = try await TestClient.post(
                    server, Paths.create, #"{"collectionName":"c","files":[["a.json"]]}"#, headers: [("Idempotency-Key", "k")])
            }
            let stats = await server.statistics()
            #expect(stats.jobsCreated == 2)
            #expect(stats.importsPerFile["a.json"] == 2)
        }
    }

    @Test("pymilvus's body (every key, Zilliz ones empty or null) is a Milvus create, as on a real Milvus")
    func pymilvusBody() async throws {
        try await withServer(.init()) { server in
            let body =
                #"{"collectionName":"c","dbName":"","partitionName":"","files":[["a/1.parquet"]],"objectUrl":"","objectUrls":null,"clusterId":"","projectId":"","regionId":"","accessKey":"","secretKey":"","token":"","volumeName":"","dataPaths":null,"options":{}}"#
            let created = try await TestClient.post(server, Paths.create, body)
            #expect(created.code == 0)
            #expect(Int64(try #require(created.data?["jobId"]?.stringValue)) != nil)
            #expect(await server.jobsCreated(collection: "c") == 1)
        }
    }

    @Test("the unfinished-job limit answers code 2100 until jobs finish")
    func jobLimit() async throws {
        try await withServer(.init(jobTimeline: .polls(100), unfinishedJobLimit: 2)) { server in
            let body = #"{"collectionName":"c","files":[["a.json"]]}"#
            #expect(try await TestClient.post(server, Paths.create, body).code == 0)
            #expect(try await TestClient.post(server, Paths.create, body).code == 0)
            let refused = try await TestClient.post(server, Paths.create, body)
            #expect(refused.code == 2100)
            #expect(refused.message.contains("The number of jobs has reached the limit"))
            let legacy = try await TestClient.post(server, Paths.legacyCreate, #"{"collection_name":"c","files":["a.json"]}"#)
            #expect(legacy.json?["status"]?["reason"]?.stringValue?.contains("The number of jobs has reached the limit") == true)
            await server.finishAllJobs()
            #expect(try await TestClient.post(server, Paths.create, body).code == 0)
            #expect(await server.jobsCreated(collection: "c") == 3)
        }
    }

    @Test("unknown paths and wrong methods answer 404 like gin")
    func notFound() async throws {
        try await withServer { server in
            let wrongPath = try await TestClient.post(server, "/v2/vectordb/jobs/import/nope", "{}")
            #expect(wrongPath.status == 404)
            #expect(wrongPath.text == "404 page not found")
            let wrongMethod = try await TestClient.get(server, Paths.create)
            #expect(wrongMethod.status == 404)
            let health = try await TestClient.get(server, "/healthz")
            #expect(health.status == 200)
            #expect(health.text == "OK")
        }
    }
}
