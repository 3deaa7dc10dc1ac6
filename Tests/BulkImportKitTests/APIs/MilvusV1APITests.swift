import Testing

@testable import BulkImportKit

@Suite struct MilvusV1APITests {
    let api = MilvusV1API()

    @Test func eachGroupIsARequestOfItsOwnWithAFlatFileList() {
        let requests = api.createRequests(
            for: apiJob(.milvusV1, files: [["/a.json"], ["/v.npy", "/id.npy"]]),
            idempotencyKey: "ignored", builder: RequestBuilder())
        #expect(requests.map { $0.body?["files"] } == [["/a.json"], ["/v.npy", "/id.npy"]])
        #expect(requests.allSatisfy { $0.url == "http://h:1/api/v1/import" && $0.header("Idempotency-Key") == nil })
    }

    @Test func theTaskIdOfAProgressRequestIsANumber() {
        let request = api.progressRequest(for: apiJob(.milvusV1), jobID: "470746104686121124", builder: RequestBuilder())
        #expect(request.method == "GET" && request.body == ["task": 470_746_104_686_121_124])
    }

    @Test func createAnswersAreTaskIds() throws {
        #expect(try api.createdJobIDs(from: response(200, #"{"status":{},"tasks":[470746104686121124]}"#)) == ["470746104686121124"])
        let none = thrown { try api.createdJobIDs(from: response(200, #"{"status":{},"tasks":[]}"#)) }
        #expect(none?.message == "the create response has no tasks")
    }

    @Test(arguments: [
        (0, JobState.pending), (1, .failed), (2, .importing), (5, .importing), (6, .completed), (7, .failed), (8, .importing),
    ])
    func taskStatesMapToJobStates(_ code: Int, _ state: JobState) throws {
        let progress = try api.progress(from: response(200, #"{"status":{},"state":\#(code),"infos":[]}"#))
        #expect(progress.state == state)
        #expect(progress.progress == (state == .completed ? 100 : 0))
    }

    @Test func theCollectionCheckStopsOnlyAClearNotFound() {
        let missing = api.missingCollection(
            inPreflight: response(
                200, #"{"status":{"error_code":1,"reason":"attempt #9: rpc error: collection not found[collection=nope]","code":65535}}"#))
        #expect(missing == "collection not found[collection=nope]")
        #expect(api.missingCollection(inPreflight: response(200, #"{"status":{},"stats":[{"key":"row_count","value":"0"}]}"#)) == nil)
        #expect(api.missingCollection(inPreflight: response(500, "oops")) == nil)
    }

    @Test func listReadsTasksWithTheirFiles() throws {
        let jobs = try api.listedJobs(
            from: response(
                200,
                #"""
                {"status":{},"tasks":[{"id":5,"state":6,"infos":[{"key":"collection","value":"c"},{"key":"files","value":"/a.json, /b.json"}]}]}
                """#))
        #expect(jobs == [ListedJob(jobID: "5", collectionName: "c", state: .completed, progress: 100, files: ["/a.json", "/b.json"])])
    }
}
