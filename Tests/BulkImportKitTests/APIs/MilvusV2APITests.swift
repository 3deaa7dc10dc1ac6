import Testing

@testable import BulkImportKit

@Suite struct MilvusV2APITests {
    let api = MilvusV2API()

    @Test func createAnswersAreReadInEverySpellingServersUse() throws {
        #expect(try api.createdJobIDs(from: response(200, #"{"code":0,"data":{"jobId":"448707763884413158"}}"#)) == ["448707763884413158"])
        #expect(try api.createdJobIDs(from: response(200, #"{"code":200,"data":{"jobID":448707763884413158}}"#)) == ["448707763884413158"])
    }

    @Test func aBusinessErrorInAnHTTP200IsAFailureWithItsCode() {
        let error = thrown { try api.createdJobIDs(from: response(200, #"{"code":100,"message":"collection not found[collection=x]"}"#)) }
        #expect(error?.code == 100)
        #expect(error?.message == "collection not found[collection=x]")
        #expect(error?.createRetryClass == .permanent)
        let limit = thrown {
            try api.createdJobIDs(from: response(200, #"{"code":2100,"message":"The number of jobs has reached the limit"}"#))
        }
        #expect(limit?.createRetryClass == .retryable)
        let noID = thrown { try api.createdJobIDs(from: response(200, #"{"code":0,"data":{}}"#)) }
        #expect(noID?.message == "the create response has no jobId")
    }

    @Test func progressReadsStateRowsReasonAndFiles() throws {
        let progress = try api.progress(
            from: response(
                200,
                #"""
                {"code":0,"data":{"state":"Failed","progress":140,"importedRows":5,"totalRows":10,"reason":"bad row",
                 "details":[{"fileName":"[a/1.parquet]","state":"Failed","progress":50,"reason":"bad row"}]}}
                """#))
        #expect(progress.state == .failed)
        #expect(progress.progress == 100)
        #expect(progress.importedRows == 5 && progress.totalRows == 10)
        #expect(progress.reason == "bad row")
        #expect(progress.files.map(\.file) == ["[a/1.parquet]"])
    }

    @Test func aJobTheServerNoLongerKnowsIsNotFoundNotFailed() {
        let gone = thrown { try api.progress(from: response(200, #"{"code":2100,"message":"import job does not exist, jobID=1"}"#)) }
        #expect(gone?.isJobNotFound == true)
        let other = thrown { try api.progress(from: response(200, #"{"code":1100,"message":"invalid parameter"}"#)) }
        #expect(other?.isJobNotFound == false)
        // Not-found is a progress answer's meaning: a create refused with these words is not marked.
        #expect(
            thrown { try api.createdJobIDs(from: response(200, #"{"code":2100,"message":"import job does not exist"}"#)) }?.isJobNotFound
                == false)
    }

    @Test func listReadsRecords() throws {
        let jobs = try api.listedJobs(
            from: response(200, #"{"code":0,"data":{"records":[{"jobId":"7","collectionName":"c","state":"Importing","progress":50}]}}"#))
        #expect(jobs == [ListedJob(jobID: "7", collectionName: "c", state: .importing, progress: 50)])
    }
}
