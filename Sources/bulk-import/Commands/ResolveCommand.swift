import ArgumentParser
import BulkImportKit

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Record what an operator found on the target about a job whose outcome is unknown.",
        discussion: """
            After a crash or a second Ctrl-C, a create may have reached the server without its id being \
            recorded. Look the job up (bulk-import list), then record it: --job-id ID when the target has it \
            (repeat it, in file-group order, for a Milvus 2.2/2.3 job of several groups), so it is never \
            created again; --not-created when it does not, so the next run sends it (under a new \
            Idempotency-Key). The id is checked with the target first unless --no-check.
            Exit codes: 0 recorded; 1 not recorded (unknown job, id the target does not know, state error); 64 usage.
            """
    )

    @Argument(help: "The name of the job in the manifests.")
    var job: String

    @OptionGroup var manifests: ManifestOptions

    @Option(name: .customLong("job-id"), help: "The id the target gave the job (repeatable: one per file group on Milvus 2.2/2.3).")
    var jobIDs: [String] = []

    @Flag(help: "The target has no such job: the next run sends it.")
    var notCreated = false

    @Option(help: "Why, for the record (who checked what).")
    var note: String?

    @Flag(help: "Record the id without asking the target whether it has it.")
    var noCheck = false

    @Option(help: "Seconds the check may take.")
    var requestTimeout = 60

    func validate() throws {
        try manifests.require(formats: [.text], for: "resolve")
        if jobIDs.isEmpty == !notCreated { throw ValidationError("give either --job-id ID or --not-created") }
        if jobIDs.contains(where: { $0.isEmpty }) { throw ValidationError("--job-id must not be empty") }
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        guard let job = outcome.jobs.first(where: { $0.name == job }) else {
            throw ToolError(
                failed
                    ? "job \(quoted: self.job) could not be used: fix the errors above"
                    : "no job named \(quoted: self.job) in \(manifests.paths.map { $0.clipped() }.joined(separator: ", "))")
        }
        let redactor = outcome.redactor
        let groups = job.target.api.capabilities.createsOneTaskPerFileGroup ? job.files.count : 1
        if !jobIDs.isEmpty && jobIDs.count != groups {
            throw ToolError(
                "job \(quoted: job.name) is \(Plural.count(groups, "task")) on its target (one per file group), so give \(groups) --job-id, in file-group order"
            )
        }
        if !jobIDs.isEmpty && !noCheck { try await check(job, redactor: redactor) }

        let state = try await Connections.openState(outcome.state, use: .record, redactor: redactor)
        do {
            let recorded = try await record(job, in: state, redactor: redactor)
            await state.close()
            Terminal.write("resolved   \(job.name): \(recorded)\n", to: .stdout, redactor: redactor)
        } catch {
            await state.close()
            throw ToolError(redactor.redact("\(error)"))
        }
    }

    /// Asks the target for the progress of each id: an id it does not know is refused.
    private func check(_ job: ImportJob, redactor: Redactor) async throws {
        let client = Connections.client(requestTimeout: requestTimeout)
        for id in jobIDs {
            do {
                let progress = try await client.service.progress(of: job, jobID: id)
                Terminal.write(
                    "checked    \(job.name): the target has job \(id) (\(progress.state) \(progress.progress)%)\n", to: .stderr,
                    redactor: redactor)
            } catch {
                await client.shutdown()
                throw ToolError(
                    redactor.redact(
                        error.isJobNotFound
                            ? "the target does not know job \(id) (finished jobs are cleaned up after some hours): nothing recorded; use --no-check if you are sure"
                            : "job \(id) could not be checked with the target: \(error); nothing recorded (use --no-check to record it anyway)"
                    ))
            }
        }
        await client.shutdown()
    }

    private func record(_ job: ImportJob, in state: any StateStore, redactor: Redactor) async throws -> String {
        let digest = JobDigest.digest(of: job)
        let entry = try await state.entry(for: job.name).flatMap { $0.digest == digest ? $0 : nil }
        let generation = max(1, entry?.generation ?? 1)
        let note = "resolved by an operator" + (self.note.map { ": \($0)" } ?? "")
        func record(_ event: LedgerRecord.Event, ids: [String] = [], group: Int? = nil, error: String? = nil) -> LedgerRecord {
            LedgerRecord(
                event: event, job: job.name, digest: digest, target: job.target.displayName, api: job.target.api.rawValue,
                jobIDs: ids, group: group, attempt: entry?.attempts ?? 0, error: error.map(redactor.redact),
                generation: generation, note: redactor.redact(note))
        }
        if notCreated {
            if let entry, entry.status == .submitted || entry.status == .completed, !entry.jobIDs.isEmpty {
                throw ToolError(
                    "the state records job \(entry.jobIDs.joined(separator: ", ")) for \(quoted: job.name) (\(entry.status)): only a job without a recorded id can be marked not created"
                )
            }
            try await state.append(record(.failed, error: "not created, as an operator found on the target"))
            return "recorded as not created; the next run sends it under a new Idempotency-Key"
        }
        if job.target.api.capabilities.createsOneTaskPerFileGroup {
            try await state.append(jobIDs.enumerated().map { record(.submitted, ids: [$1], group: $0) })
        } else {
            try await state.append(record(.submitted, ids: jobIDs))
        }
        return "recorded as job \(jobIDs.joined(separator: ", ")); it will not be created again"
    }
}
