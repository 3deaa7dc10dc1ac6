import ArgumentParser
import BulkImportKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate, resolve variables, and print the exact HTTP requests run would send (secrets masked).",
        discussion: "Nothing is sent. Exit 0 when every job is valid, 1 otherwise, 64 usage."
    )

    @OptionGroup var manifests: ManifestOptions

    @Option(help: "The server-side timeout sent to Milvus in Request-Timeout, in seconds.")
    var requestTimeout = 60

    func run() throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        if failed { throw ExitCode(1) }
        let renderer = PlanRenderer(builder: RequestBuilder(requestTimeoutSeconds: requestTimeout), redactor: outcome.redactor)
        let text = manifests.format == .json ? renderer.json(outcome.jobs) : renderer.text(outcome.jobs)
        Terminal.write(text, to: .stdout, redactor: outcome.redactor)
    }
}
