import ArgumentParser
import BulkImportKit

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate, resolve variables, and print the exact HTTP requests run would send (secrets masked).",
        discussion: """
            Nothing is sent. Each create shows the Idempotency-Key run will send (where the API takes one), \
            from the jobs' state: a job sent again on purpose gets a new key. Exit 0 when every job is valid, \
            1 otherwise, 64 usage.
            """
    )

    @OptionGroup var manifests: ManifestOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: "The server-side timeout sent to Milvus in Request-Timeout, in seconds.")
    var requestTimeout = 60

    func validate() throws {
        try manifests.require(formats: [.text, .json, .github], for: "plan")
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        if failed { throw ExitCode(1) }
        // What the state says decides each job's key (its generation); read without locking or
        // creating it, so plan works beside a run and before the first one.
        var entries: [LedgerEntry] = []
        do {
            entries = try await Connections.readState(outcome.state, required: false) ?? []
        } catch {
            // plan is a dry run pipelines gate on: a state it cannot read is not a reason to fail it.
            Terminal.write(
                "warning: the jobs' state could not be read (\(error)); each key shown is that of a job's first sending\n",
                to: .stderr, redactor: outcome.redactor)
        }
        let jobs = try selection.select(outcome.jobs, redactor: outcome.redactor)
        let state = Dictionary(entries.map { ($0.job, $0) }, uniquingKeysWith: { $1 })
        let renderer = PlanRenderer(builder: RequestBuilder(requestTimeoutSeconds: requestTimeout), redactor: outcome.redactor)
        let text = manifests.format == .json ? renderer.json(jobs, state: state) : renderer.text(jobs, state: state)
        // Built from redacted values: written as it is (masking it again would break the JSON).
        Terminal.write(text, to: .stdout)
    }
}
