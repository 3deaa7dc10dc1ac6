/// `bulk-import abort`: aborts the selected jobs that are still running where the API allows it,
/// records each abort in the state, and says for every other job why it was not aborted.
///
/// Only a job created with `auto_commit: "false"` (an atomic group's, or one whose options say so)
/// can be aborted, and only on a server with two-phase imports (see `TwoPhaseCommit.swift`): the
/// server refuses the others (PR #50692), so they are not sent. A job whose atomic group decided to
/// commit is never aborted.
public struct AbortRunner: Sendable {
    public let service: any TwoPhaseImportService
    public let ledger: any StateStore
    public let redactor: Redactor

    public init(service: any TwoPhaseImportService, ledger: any StateStore, redactor: Redactor = Redactor()) {
        self.service = service
        self.ledger = ledger
        self.redactor = redactor
    }

    /// What became of one job.
    public struct Outcome: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// The server accepted the abort (or the job was aborted before): it imports nothing.
            case aborted
            /// It had ended already (Completed, Failed, cleaned up): nothing to abort.
            case finished
            /// Never submitted from this state (or changed since): nothing to abort.
            case notSubmitted = "not-submitted"
            /// Still running (or unknown) and not aborted: why is in the message.
            case cannot
        }

        public var job: String
        public var kind: Kind
        public var jobIDs: [String]
        /// What happened, in a sentence; server words already masked.
        public var message: String
    }

    /// Aborts what can be aborted of `jobs`, one after the other, in order.
    ///
    /// - Throws: the state's error when it cannot be read.
    public func abort(_ jobs: [ImportJob]) async throws -> [Outcome] {
        let entries = try await ledger.entries(for: jobs.map(\.name))
        var outcomes: [Outcome] = []
        for job in jobs { outcomes.append(await abort(job, entry: entries[job.name])) }
        return outcomes
    }

    private func abort(_ job: ImportJob, entry: LedgerEntry?) async -> Outcome {
        let digest = JobDigest.digest(of: job)
        func outcome(_ kind: Outcome.Kind, _ message: String) -> Outcome {
            Outcome(job: job.name, kind: kind, jobIDs: entry?.jobIDs ?? [], message: redactor.redact(message))
        }
        guard let entry, entry.digest == digest else {
            return outcome(
                .notSubmitted, entry == nil ? "not in the state: never submitted" : "changed since it was submitted: nothing of it runs")
        }
        let ids = entry.currentJobIDs.joined(separator: ", ")
        switch entry.status {
        case .completed: return outcome(.finished, "already completed as job \(ids)")
        case .cleanedUp: return outcome(.finished, "already ended as job \(ids) (since cleaned up on the server)")
        case .failed:
            if entry.twoPhase == .aborted { return outcome(.aborted, "job \(ids) was aborted before") }
            return outcome(.finished, "already failed: \(entry.lastError ?? "no reason recorded")")
        case .intent, .unknown:
            return outcome(
                .cannot,
                "no job id is recorded (its create's outcome is unknown), so there is nothing to abort; find it with `bulk-import list` and record it with `bulk-import resolve`"
            )
        case .submitted: break
        }
        if let why = job.target.api.client.twoPhase.refusal {
            return outcome(.cannot, "\(job.target.api.rawValue) cannot abort a job: \(why)")
        }
        if entry.twoPhase?.commits == true {
            return outcome(.cannot, "its atomic group decided to commit job \(ids): a committed job cannot be aborted")
        }
        guard job.isManualCommit || entry.twoPhase != nil else {
            return outcome(
                .cannot,
                "job \(ids) was created with auto-commit, and the server aborts only jobs created with auto_commit: \"false\" (an `atomic: true` group's)"
            )
        }
        let recorder = JobRecorder(ledger: ledger, redactor: redactor)
        var failures: [String] = []
        for id in entry.currentJobIDs {
            do {
                try await service.abort(job, jobID: id)
            } catch {
                if error.isJobNotFound {
                    try? await recorder.record(job, digest, .cleanedUp, ids: entry.jobIDs, generation: entry.generation)
                    return outcome(.finished, "job \(id) is no longer known to the server: \(error.description)")
                }
                // Refused: a job that has ended since is said as such, with what the server said.
                if let progress = try? await service.progress(of: job, jobID: id), progress.state.isTerminal {
                    let ended: LedgerRecord.Event = progress.state == .completed ? .completed : .failed
                    try? await recorder.record(
                        job, digest, ended, ids: entry.jobIDs, error: progress.reason, progress: progress, generation: entry.generation)
                    return outcome(.finished, "job \(id) already ended \(progress.state) (the server said: \(error.description))")
                }
                failures.append("job \(id): the server said: \(error.description)")
            }
        }
        if !failures.isEmpty { return outcome(.cannot, "not aborted: " + failures.joined(separator: "; ")) }
        do {
            try await recorder.record(
                job, digest, .aborted, ids: entry.jobIDs, error: "aborted by `bulk-import abort`", generation: entry.generation,
                note: "aborted by `bulk-import abort`")
        } catch {
            return outcome(.aborted, "job \(ids) aborted, but the state could not record it: \(error)")
        }
        return outcome(.aborted, "job \(ids) aborted: it imports nothing")
    }
}
