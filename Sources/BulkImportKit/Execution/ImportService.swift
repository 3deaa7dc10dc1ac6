/// The import API of one job's target: create, progress and list, whichever API the target speaks.
public protocol ImportService: Sendable {
    /// Sends one create request (one of ``RequestBuilder/createRequests(for:idempotencyKey:)``) and
    /// returns the job ids it created.
    func create(_ request: ImportRequest, api: ImportAPI) async throws(ImportError) -> [String]
    /// The progress of one job id.
    func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress
    /// The import jobs on a target.
    func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob]
    /// Why the job's collection cannot take the import, if the API can tell before a create
    /// (Milvus 2.2/2.3); nil when it exists or nothing can be said.
    func missingCollection(for job: ImportJob) async -> String?
}

extension ImportService {
    public func missingCollection(for job: ImportJob) async -> String? { nil }
}

/// The import APIs over HTTP: Milvus REST v2, Milvus 2.2/2.3, Zilliz Cloud v2 and v1. The requests
/// come from the same ``RequestBuilder`` that `plan` prints.
public struct HTTPImportService: ImportService {
    public let transport: any HTTPTransport
    public let builder: RequestBuilder
    public let timeout: Duration

    public init(transport: any HTTPTransport, builder: RequestBuilder = RequestBuilder(), timeout: Duration = .seconds(60)) {
        self.transport = transport
        self.builder = builder
        self.timeout = timeout
    }

    public func create(_ request: ImportRequest, api: ImportAPI) async throws(ImportError) -> [String] {
        let response = try await transport.send(request, timeout: timeout)
        switch api {
        case .milvusV1: return try ResponseParser.legacyTasks(response)
        case .milvusV2, .zillizV2, .zillizV1: return [try ResponseParser.createdJobID(response)]
        }
    }

    public func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress {
        let response = try await transport.send(builder.progressRequest(for: job, jobID: jobID), timeout: timeout)
        switch job.target.api {
        case .milvusV1: return try ResponseParser.legacyProgress(response)
        case .zillizV1: return try ResponseParser.zillizV1Progress(response)
        case .milvusV2, .zillizV2: return try ResponseParser.progress(response)
        }
    }

    public func missingCollection(for job: ImportJob) async -> String? {
        guard let request = builder.collectionCheckRequest(for: job) else { return nil }
        do {
            let response = try await transport.send(request, timeout: timeout)
            try ResponseParser.legacyStatus(try ResponseParser.object(response), response)
            return nil
        } catch {
            // Only a clear "not found" stops the job; any other failure leaves it to the create.
            return error.message.contains("collection not found") ? error.message : nil
        }
    }

    public func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob] {
        let response = try await transport.send(builder.listRequest(for: target, collectionName: collectionName), timeout: timeout)
        return try ResponseParser.list(response, api: target.api)
    }
}
