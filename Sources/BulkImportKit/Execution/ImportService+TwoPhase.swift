/// Commit, abort and the two-phase probe, for services that speak them (see `TwoPhaseCommit.swift`).
public protocol TwoPhaseImportService: ImportService {
    /// Commits an `Uncommitted` job (a repeated commit succeeds on the server).
    func commit(_ job: ImportJob, jobID: String) async throws(ImportError)
    /// Aborts a job created with `auto_commit: "false"` (a repeated abort is a no-op on the server).
    func abort(_ job: ImportJob, jobID: String) async throws(ImportError)
    /// Whether `target`'s server has two-phase imports.
    func twoPhaseSupport(of target: ImportTarget) async -> TwoPhaseVerdict
}

extension HTTPImportService: TwoPhaseImportService {
    public func commit(_ job: ImportJob, jobID: String) async throws(ImportError) {
        try await send(builder.commitRequest(for: job, jobID: jobID), job: job, what: "commit")
    }

    public func abort(_ job: ImportJob, jobID: String) async throws(ImportError) {
        try await send(builder.abortRequest(for: job, jobID: jobID), job: job, what: "abort")
    }

    private func send(_ request: ImportRequest?, job: ImportJob, what: String) async throws(ImportError) {
        let client = job.target.api.client
        guard let request else {
            throw .server(
                httpStatus: 0, code: nil,
                message: "\(job.target.api.rawValue) has no \(what): \(client.twoPhase.refusal ?? "not supported")")
        }
        do { try client.phaseAnswer(from: try await transport.send(request, timeout: timeout)) } catch { throw client.classified(error) }
    }

    public func twoPhaseSupport(of target: ImportTarget) async -> TwoPhaseVerdict {
        guard let request = target.api.client.twoPhaseProbeRequest(for: target, builder: builder) else {
            return .unsupported(target.api.client.twoPhase.refusal ?? "this API has no abort")
        }
        do {
            return TwoPhaseProbe.verdict(.success(try await transport.send(request, timeout: timeout)), api: target.api)
        } catch {
            return TwoPhaseProbe.verdict(.failure(error), api: target.api)
        }
    }
}

extension RequestBuilder {
    /// The request that commits job `jobID` of `job`'s target; nil where the API has no commit.
    public func commitRequest(for job: ImportJob, jobID: String) -> ImportRequest? {
        job.target.api.client.commitRequest(for: job, jobID: jobID, builder: self)
    }

    /// The request that aborts job `jobID` of `job`'s target; nil where the API has no abort.
    public func abortRequest(for job: ImportJob, jobID: String) -> ImportRequest? {
        job.target.api.client.abortRequest(for: job, jobID: jobID, builder: self)
    }
}
