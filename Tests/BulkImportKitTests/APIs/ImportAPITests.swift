import Testing

@testable import BulkImportKit

/// What holds for every API, and how a target's API is chosen.
@Suite struct ImportAPITests {
    @Test(arguments: ImportAPI.allCases)
    func capabilitiesAgreeWithTheRequestsTheClientBuilds(_ api: ImportAPI) {
        let job = apiJob(api, files: [["a.parquet"], ["b.parquet"]])
        let requests = api.client.createRequests(for: job, idempotencyKey: "k", builder: RequestBuilder())
        // One request per group exactly where the API makes one task per group.
        #expect(requests.count == (api.capabilities.createsOneTaskPerFileGroup ? 2 : 1))
        #expect(api.taskCount(forFileGroups: 2) == requests.count)
        // The key is on the wire exactly where the API honours it.
        #expect(requests.allSatisfy { ($0.header("Idempotency-Key") == "k") == api.capabilities.acceptsIdempotencyKey })
        // An API that takes one group per request has no limit on groups per job.
        #expect((api.capabilities.maxFileGroups == nil) == api.capabilities.createsOneTaskPerFileGroup)
        #expect(api.capabilities.capsUnfinishedJobs == (api.kind == .milvus))
        #expect(api.capabilities.isRateLimitedPerEndpoint == (api.kind == .zilliz))
    }

    @Test(arguments: ImportAPI.allCases)
    func onlyMilvus23AsksAboutTheCollectionFirst(_ api: ImportAPI) {
        let check = RequestBuilder().collectionCheckRequest(for: apiJob(api))
        #expect((check != nil) == (api == .milvusV1))
    }

    @Test func theAPIIsChosenByKindVersionAndHost() {
        #expect(ImportAPI.resolve(kind: .milvus, requested: nil, host: "h") == .milvusV2)
        #expect(ImportAPI.resolve(kind: .milvus, requested: .v2, host: "h") == .milvusV2)
        #expect(ImportAPI.resolve(kind: .milvus, requested: .v1, host: "h") == .milvusV1)
        #expect(ImportAPI.resolve(kind: .zilliz, requested: .v1, host: "api.cloud.zilliz.com") == .zillizV1)
        #expect(ImportAPI.resolve(kind: .zilliz, requested: .v2, host: "controller.api.gcp-us-west1.zillizcloud.com") == .zillizV2)
        #expect(ImportAPI.resolve(kind: .zilliz, requested: nil, host: "Controller.API.gcp-us-west1.zillizcloud.com") == .zillizV1)
        #expect(ImportAPI.resolve(kind: .zilliz, requested: nil, host: "api.cloud.zilliz.com") == .zillizV2)
        #expect(ImportAPI.resolve(kind: .zilliz, requested: nil, host: nil) == .zillizV2)
    }

    @Test(arguments: ImportAPI.allCases)
    func anHTMLPageIsNeverReadAsSuccess(_ api: ImportAPI) {
        let page = response(502, "<html><body>Bad Gateway</body></html>")
        let create = thrown { try api.client.createdJobIDs(from: page) }
        #expect(create?.httpStatus == 502)
        #expect(create?.createRetryClass == .ambiguous)
        #expect(thrown { try api.client.progress(from: page) }?.isJobNotFound == false)
        #expect(thrown { try api.client.listedJobs(from: page) } != nil)
    }

    @Test func aMissingEndpointSaysWhichPortAndAPIToUse() {
        let error = thrown { try ImportAPI.milvusV2.client.createdJobIDs(from: response(404, "404 page not found")) }
        #expect(error?.message.contains("Milvus 2.2/2.3 serve /api/v1 on their HTTP port (9091) with `api: v1`") == true)
    }
}
