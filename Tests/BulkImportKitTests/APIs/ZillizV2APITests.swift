import Testing

@testable import BulkImportKit

@Suite struct ZillizV2APITests {
    let api = ZillizV2API()

    @Test func aProjectDatabaseIsNamedByProjectAndRegion() {
        var job = apiJob(.zillizV2)
        job.target.clusterID = nil
        job.target.projectID = "proj-1"
        job.target.regionID = "aws-us-west-2"
        let request = api.progressRequest(for: job, jobID: "job-1", builder: RequestBuilder())
        #expect(request.body == ["projectId": "proj-1", "regionId": "aws-us-west-2", "jobId": "job-1"])
        #expect(request.url == "http://h:1/v2/vectordb/jobs/import/getProgress")
    }

    @Test func code96026MeansTheJobIsGone() {
        let gone = thrown { try api.progress(from: response(200, #"{"code":96026,"message":"something"}"#)) }
        #expect(gone?.isJobNotFound == true)
        let cluster = thrown { try api.progress(from: response(200, #"{"code":96018,"message":"cluster not found"}"#)) }
        #expect(cluster?.isJobNotFound == false)
    }

    @Test func progressAndListReadAsOnMilvus() throws {
        let progress = try api.progress(
            from: response(200, #"{"code":0,"data":{"jobId":"job-1","state":"Completed","progress":100,"totalRows":3}}"#))
        #expect(progress.state == .completed && progress.progress == 100 && progress.totalRows == 3)
        let jobs = try api.listedJobs(
            from: response(200, #"{"code":0,"data":{"count":1,"records":[{"jobId":"job-1","collectionName":"a","state":"Pending"}]}}"#))
        #expect(jobs == [ListedJob(jobID: "job-1", collectionName: "a", state: .pending)])
    }
}
