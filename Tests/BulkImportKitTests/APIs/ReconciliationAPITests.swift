import Testing

@testable import BulkImportKit

/// What each API client tells reconciliation: where job files are named, how they read, and how
/// the list pages.
@Suite struct ReconciliationAPITests {
    @Test(arguments: [
        ("[a/1.parquet]", ["a/1.parquet"]),
        ("[b/id.npy b/vec.npy]", ["b/id.npy", "b/vec.npy"]),
        ("[a.npy, b.npy]", ["a.npy", "b.npy"]),
        ("[]", []),
        (#"id:448 paths:"a/id.npy" paths:"a/vec.npy""#, ["a/id.npy", "a/vec.npy"]),
        (#"id:1 paths:"q\"uote\\d.json""#, [#"q"uote\d.json"#]),
        (#"paths:"caf\303\251.json""#, ["café.json"]),
        ("s3://bucket/articles/1.parquet", ["s3://bucket/articles/1.parquet"]),
        ("  ", []),
    ])
    func fileNamesReadAsServersWriteThem(name: String, paths: [String]) {
        #expect(FileGroupName.paths(in: name) == paths)
    }

    @Test func restV2ProgressCarriesEachGroupsPaths() throws {
        let body = #"""
            {"code":0,"data":{"jobId":"1","state":"Completed","progress":100,"details":[
              {"fileName":"[a/1.parquet]","state":"Completed","progress":100},
              {"fileName":"id:2 paths:\"b/id.npy\" paths:\"b/v.npy\"","state":"Completed","progress":100}]}}
            """#
        let client = ImportAPI.milvusV2.client
        let progress = try client.progress(from: response(200, body))
        #expect(progress.files.map(\.paths) == [["a/1.parquet"], ["b/id.npy", "b/v.npy"]])
        #expect(client.fileGroups(of: progress) == [["a/1.parquet"], ["b/id.npy", "b/v.npy"]])
        #expect(client.fileGroups(of: JobProgress(state: .pending, progress: 0)) == nil)
    }

    @Test func eachAPISaysWhereJobFilesAreNamed() {
        #expect(ImportAPI.milvusV1.capabilities.jobFiles == .list)
        #expect(ImportAPI.milvusV2.capabilities.jobFiles == .progress)
        #expect(ImportAPI.zillizV2.capabilities.jobFiles == .progress)
        guard case .notAtAll(let why) = ImportAPI.zillizV1.capabilities.jobFiles else {
            Issue.record("Zilliz Cloud v1 should not claim to name files")
            return
        }
        #expect(why.contains("v1"))
    }

    @Test func milvus23TasksCarryTheirGroupPartitionAndCreationTime() throws {
        let client = ImportAPI.milvusV1.client
        let jobs = try client.listedJobs(
            from: response(
                200,
                #"""
                {"status":{},"tasks":[{"id":5,"state":1,"create_ts":1764510742,"infos":[{"key":"collection","value":"c"},
                 {"key":"partition","value":"p1"},{"key":"files","value":"/a.npy,/b.npy"},{"key":"failed_reason","value":"bad"}]},
                 {"id":6,"infos":[{"key":"files","value":"/c.json"}]}]}
                """#))
        #expect(
            jobs[0]
                == ListedJob(
                    jobID: "5", collectionName: "c", state: .failed, progress: 0, files: ["/a.npy", "/b.npy"], createdAt: 1_764_510_742,
                    partitionName: "p1", reason: "bad"))
        #expect(jobs[1].createdAt == nil)
        #expect(client.fileGroups(of: jobs[0]) == [["/a.npy", "/b.npy"]])
        let request = client.listPageRequest(for: apiJob(.milvusV1).target, collectionName: "c", page: 1, builder: RequestBuilder())
        #expect(request.body == .object([("collection_name", .string("c"))]))
    }

    @Test func zillizV2ListsPageByPageUntilTheCount() throws {
        let client = ImportAPI.zillizV2.client
        let target = apiJob(.zillizV2).target
        let request = client.listPageRequest(for: target, collectionName: "c", page: 3, builder: RequestBuilder())
        #expect(request.body?["currentPage"] == .int(3))
        #expect(request.body?["pageSize"] == .int(100))
        func page(_ n: Int, _ ids: [Int], count: Int?) throws -> ListedPage {
            let records = ids.map { #"{"jobId":"job-\#($0)","collectionName":"c","state":"Completed"}"# }.joined(separator: ",")
            let total = count.map { #""count":\#($0),"# } ?? ""
            return try client.listedPage(
                from: response(200, #"{"code":0,"data":{\#(total)"currentPage":\#(n),"pageSize":2,"records":[\#(records)]}}"#), page: n)
        }
        #expect(try page(1, [1, 2], count: 5).nextPage == 2)
        #expect(try page(3, [5], count: 5).nextPage == nil)
        #expect(try page(2, [3, 4], count: 4).nextPage == nil)
        #expect(try page(2, [3, 4], count: nil).nextPage == 3)
        #expect(try page(4, [], count: 9).nextPage == nil)
    }

    @Test(arguments: [
        ("s3://bucket/a/1.parquet", "a/1.parquet"), ("gs://b/x.json", "x.json"),
        ("https://bucket.s3.us-west-2.amazonaws.com/k/1.parquet", "k/1.parquet"),
        ("https://storage.cloud.google.com/bucket/k/1.parquet", "k/1.parquet"),
        ("https://acct.blob.core.windows.net/container/k/1.parquet", "k/1.parquet"), ("plain/key.json", "plain/key.json"),
    ])
    func zillizObjectKeys(url: String, key: String) {
        #expect(ZillizV2API.objectKey(url) == key)
    }

    @Test func zillizComparesObjectKeysAndIsUnsureOfShortNamesAndFolders() {
        let client = ImportAPI.zillizV2.client
        let sent = [["s3://bucket/articles/1.parquet"], ["s3://bucket/articles/2.parquet"]]
        #expect(client.compareFiles(sent: sent, reported: sent) == .same)
        #expect(client.compareFiles(sent: sent, reported: [["articles/2.parquet"], ["articles/1.parquet"]]) == .same)
        #expect(client.compareFiles(sent: sent, reported: [["articles/1.parquet"]]) != .same)
        guard case .unsure = client.compareFiles(sent: sent, reported: [["1.parquet"], ["2.parquet"]]) else {
            Issue.record("a bare name may be the object of a url")
            return
        }
        guard case .unsure = client.compareFiles(sent: [["s3://bucket/folder/"]], reported: [["folder/a.parquet"]]) else {
            Issue.record("a folder is named by the files in it")
            return
        }
        #expect(client.compareFiles(sent: sent, reported: [["other/9.parquet"]]) == .different)
        // Milvus names files as sent: anything else is another job.
        #expect(ImportAPI.milvusV2.client.compareFiles(sent: [["a/1.parquet"]], reported: [["1.parquet"]]) == .different)
    }
}
