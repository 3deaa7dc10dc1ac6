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

/// The import APIs over HTTP. The requests come from the same ``RequestBuilder`` that `plan` prints,
/// and each answer is read by the target's ``ImportAPIClient``.
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
        try api.client.createdJobIDs(from: try await transport.send(request, timeout: timeout))
    }

    public func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress {
        let response = try await transport.send(builder.progressRequest(for: job, jobID: jobID), timeout: timeout)
        return try job.target.api.client.progress(from: response)
    }

    public func missingCollection(for job: ImportJob) async -> String? {
        guard let request = builder.collectionCheckRequest(for: job) else { return nil }
        // A check that cannot be sent says nothing: the create decides.
        guard let response = try? await transport.send(request, timeout: timeout) else { return nil }
        return job.target.api.client.missingCollection(inPreflight: response)
    }

    public func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob] {
        let response = try await transport.send(builder.listRequest(for: target, collectionName: collectionName), timeout: timeout)
        return try target.api.client.listedJobs(from: response)
    }
}
