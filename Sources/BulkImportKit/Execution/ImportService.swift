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
    /// Every job the target keeps on a collection, read page by page (at most `maxPages`), for
    /// reconciliation; marked incomplete when pages were left unread.
    func listAll(_ target: ImportTarget, collectionName: String, maxPages: Int) async throws(ImportError) -> JobListing
}

extension ImportService {
    public func missingCollection(for job: ImportJob) async -> String? { nil }

    /// `jobs` with the files of the first `limit` whose list entry names none filled in from their
    /// progress, where the API's progress names them (``ImportAPICapabilities/jobFiles``), one
    /// request each; a job whose progress cannot be read keeps no files. Returns how many jobs
    /// past `limit` were left without.
    public func addingFiles(to jobs: [ListedJob], on target: ImportTarget, limit: Int) async -> (jobs: [ListedJob], leftOut: Int) {
        let client = target.api.client
        guard client.capabilities.jobFiles == .progress else { return (jobs, 0) }
        var result = jobs
        var read = 0
        var leftOut = 0
        for index in result.indices where result[index].files == nil {
            guard read < limit else {
                leftOut += 1
                continue
            }
            read += 1
            // The progress request needs only the target, its database and the id.
            let stand = ImportJob(
                name: result[index].jobID, location: ManifestLocation(file: ""), target: target,
                collectionName: result[index].collectionName ?? "", dbName: target.dbName, files: [])
            guard let progress = try? await progress(of: stand, jobID: result[index].jobID),
                let groups = client.fileGroups(of: progress)
            else { continue }
            result[index].files = groups.flatMap { $0 }
        }
        return (result, leftOut)
    }

    /// Every job the target keeps on a collection. A service that cannot page reads one
    /// ``list(_:collectionName:)`` answer and takes it as complete.
    public func listAll(_ target: ImportTarget, collectionName: String, maxPages: Int) async throws(ImportError) -> JobListing {
        JobListing(jobs: try await list(target, collectionName: collectionName))
    }
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
        do { return try api.client.createdJobIDs(from: try await transport.send(request, timeout: timeout)) } catch {
            throw api.client.classified(error)
        }
    }

    public func progress(of job: ImportJob, jobID: String) async throws(ImportError) -> JobProgress {
        do {
            let response = try await transport.send(builder.progressRequest(for: job, jobID: jobID), timeout: timeout)
            return try job.target.api.client.progress(from: response)
        } catch { throw job.target.api.client.classified(error) }
    }

    public func missingCollection(for job: ImportJob) async -> String? {
        guard let request = builder.collectionCheckRequest(for: job) else { return nil }
        // A check that cannot be sent says nothing: the create decides.
        guard let response = try? await transport.send(request, timeout: timeout) else { return nil }
        return job.target.api.client.missingCollection(inPreflight: response)
    }

    public func list(_ target: ImportTarget, collectionName: String?) async throws(ImportError) -> [ListedJob] {
        do {
            let response = try await transport.send(builder.listRequest(for: target, collectionName: collectionName), timeout: timeout)
            return try target.api.client.listedJobs(from: response)
        } catch { throw target.api.client.classified(error) }
    }

    /// Every page of the list, up to `maxPages`; a listing with pages left is marked incomplete.
    public func listAll(_ target: ImportTarget, collectionName: String, maxPages: Int) async throws(ImportError) -> JobListing {
        let client = target.api.client
        var jobs: [ListedJob] = []
        var page = 1
        var read = 0
        while true {
            let request = client.listPageRequest(for: target, collectionName: collectionName, page: page, builder: builder)
            let answer: ListedPage
            do { answer = try client.listedPage(from: try await transport.send(request, timeout: timeout), page: page) } catch {
                throw client.classified(error)
            }
            jobs += answer.jobs
            read += 1
            guard let next = answer.nextPage else { return JobListing(jobs: jobs) }
            if read >= maxPages {
                return JobListing(jobs: jobs, incomplete: "the list has more than \(maxPages) pages (\(jobs.count) jobs read)")
            }
            page = next
        }
    }
}
