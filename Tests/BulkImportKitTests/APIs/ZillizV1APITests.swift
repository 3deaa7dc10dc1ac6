import Testing

@testable import BulkImportKit

@Suite struct ZillizV1APITests {
    let api = ZillizV1API()

    @Test func readsGoByQueryStringWithNoBody() {
        let request = api.progressRequest(for: apiJob(.zillizV1), jobID: "job-1 &x", builder: RequestBuilder())
        #expect(request.method == "GET" && request.body == nil)
        #expect(request.url == "http://h:1/v1/vector/collections/import/get?jobId=job-1%20%26x&clusterId=in01-x")
    }

    @Test func readyPercentageIsAFractionAndAnErrorMessageMeansFailed() throws {
        let half = try api.progress(from: response(200, #"{"code":200,"data":{"readyPercentage":0.5}}"#))
        #expect(half.state == .importing && half.progress == 50)
        let done = try api.progress(from: response(200, #"{"code":200,"data":{"readyPercentage":1}}"#))
        #expect(done.state == .completed && done.progress == 100)
        let failed = try api.progress(from: response(200, #"{"code":200,"data":{"readyPercentage":0.2,"errorMessage":"bad file"}}"#))
        #expect(failed.state == .failed && failed.reason == "bad file")
    }

    @Test func listReadsReadyPercentage() throws {
        let jobs = try api.listedJobs(
            from: response(200, #"{"code":200,"data":{"tasks":[{"jobId":"job-1","readyPercentage":0.25,"status":"ImportRunning"}]}}"#))
        #expect(jobs.first?.jobID == "job-1" && jobs.first?.progress == 25)
    }

    @Test func aJobNotFoundAnswerIsMarked() {
        let gone = thrown { try api.progress(from: response(200, #"{"code":80000,"message":"job not found"}"#)) }
        #expect(gone?.isJobNotFound == true)
    }
}
