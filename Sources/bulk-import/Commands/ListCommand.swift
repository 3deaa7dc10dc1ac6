import ArgumentParser
import BulkImportKit

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the import jobs on a target of the manifests, and which of them the ledger knows.",
        discussion: """
            Use it to look up a job whose outcome is unknown before `run --retry-unknown`. Milvus 2.4+ and \
            Zilliz Cloud list jobs by collection (--collection); Milvus 2.2/2.3 list their latest 100 tasks.

            Files and creation time are shown where the API gives them: Milvus 2.2/2.3 list each task's \
            files and creation time. Milvus 2.4+ and Zilliz Cloud v2 list neither; with --files, each job's \
            files are read from its progress, one request per job, for the first \(Self.filesLimit) jobs \
            listed. Zilliz Cloud v1 names no files. Servers keep finished jobs for a while only (Milvus: 3 h, \
            48 h from 2.6.24), so older jobs are not listed.
            """
    )

    @Argument(help: "The name of a target under `targets` in the manifests.")
    var target: String

    @OptionGroup var manifests: ManifestOptions

    @Option(help: "Only jobs of this collection.")
    var collection: String?

    @Option(help: "Seconds the request may take.")
    var requestTimeout = 60

    @Flag(
        help:
            "Where the list names no files (Milvus 2.4+, Zilliz Cloud v2), read each job's files from its progress: one request per job, for the first \(Self.filesLimit) jobs."
    )
    var files = false

    /// `job` with every value the server gave clipped (``ClippedValue``), its reason at 1000 characters.
    static func clipped(_ job: ListedJob) -> ListedJob {
        var j = job
        j.jobID = j.jobID.clipped()
        j.collectionName = j.collectionName?.clipped()
        if case .other(let state) = j.state { j.state = .other(state.clipped()) }
        j.files = j.files?.map { $0.clipped() }
        j.partitionName = j.partitionName?.clipped()
        j.reason = j.reason?.clipped(to: 1000)
        return j
    }

    /// The most progress reads `--files` makes.
    static let filesLimit = 100

    func validate() throws {
        try manifests.require(formats: [.text, .json], for: "list")
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        guard let resolved = outcome.targets[target] else {
            let known = outcome.targets.keys.sorted()
            throw ToolError(
                failed
                    ? "target \(quoted: target) could not be used: fix the errors above"
                    : "no target named \(quoted: target) in \(manifests.paths.map { $0.clipped() }.joined(separator: ", "))"
                        + (known.isEmpty
                            ? "; the manifests define no targets"
                            : "; the targets are: \(known.prefix(20).map { "\(quoted: $0)" }.joined(separator: ", "))"
                                + (known.count > 20 ? " and \(known.count - 20) more" : "")))
        }
        let redactor = outcome.redactor
        // Read first, without taking its lock (a run may hold it): a missing state is an error.
        let entries = try await Connections.readState(outcome.state, required: true) ?? []
        let client = Connections.client(requestTimeout: requestTimeout)
        var listed: [ListedJob]
        var note: String?
        do {
            listed = try await client.service.list(resolved, collectionName: collection)
            if files {
                let filled = await client.service.addingFiles(to: listed, on: resolved, limit: Self.filesLimit)
                listed = filled.jobs
                if filled.leftOut > 0 {
                    note =
                        "the files of \(Plural.count(filled.leftOut, "more job")) were not read (--files reads at most \(Self.filesLimit))"
                }
            }
            await client.shutdown()
        } catch {
            await client.shutdown()
            // ArgumentParser prints this, not Terminal: masked here, as the server's words may repeat a secret.
            let reason = error.explained(for: resolved).clipped(to: 1000)
            throw ToolError(redactor.redact("listing the jobs on target \(quoted: target) failed: \(reason)"))
        }
        // Which job of the state each id belongs to.
        var names: [String: String] = [:]
        for entry in entries {
            for id in entry.jobIDs { names[id] = entry.job }
        }
        // Masked before they are encoded: the server's ids and names may repeat a secret.
        // and clipped: a hostile server's values must not make a table cell or a field huge.
        let report = JobListReport(
            target: redactor.redact(target).clipped(), endpoint: redactor.redact(resolved.endpoint.description).clipped(),
            rows: listed.map {
                JobListReport.Row(job: Self.clipped(redactor.redact($0)), ledgerJob: names[$0.jobID].map { redactor.redact($0).clipped() })
            },
            note: note)
        let text = manifests.format == .json ? report.json() : report.table()
        Terminal.write(text, to: .stdout)
    }
}
