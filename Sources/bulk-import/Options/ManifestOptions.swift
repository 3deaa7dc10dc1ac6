import ArgumentParser
import BulkImportKit

/// Options every command that reads manifests shares.
struct ManifestOptions: ParsableArguments {
    @Argument(help: "Manifest files, or folders of *.yaml and *.yml manifests.", completion: .file(extensions: ["yaml", "yml"]))
    var paths: [String]

    @Flag(help: "Report secrets written in plain text as warnings instead of errors.")
    var allowPlaintextSecrets = false

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Option(help: "Diagnostics format: text (stderr), json, github or sarif (stdout).")
    var format: OutputFormat = .text

    @Option(
        help: ArgumentHelp(
            "Where the jobs' state is kept: a ledger file, or postgres://USER@HOST:5432/DB (a password as $<ENV>).",
            discussion: "Overrides the manifests' `state:`. Default: .bulk-import/state.jsonl in the manifests' folder.",
            valueName: "path-or-url"))
    var state: String?

    @Option(help: ArgumentHelp("The largest manifest accepted, in MiB.", visibility: .hidden))
    var maxFileSize = 64

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one manifest file or folder") }
        if maxFileSize < 1 { throw ValidationError("--max-file-size must be at least 1") }
    }

    /// Loads and validates, prints the diagnostics, and returns the result and whether it failed.
    func check(unsetVariables: Severity, printSummary: Bool = true) -> (ValidationResult, failed: Bool) {
        let environment = Terminal.environment()
        let override: (StateLocation, Redactor)?
        do {
            override = try state.map { try Connections.stateLocation(parsing: $0, environment: environment) }
        } catch {
            Terminal.write("error: \(error)\n", to: .stderr, redactor: Redactor())
            return (ValidationResult.empty, true)
        }
        let options = ValidationOptions(
            allowPlaintextSecrets: allowPlaintextSecrets, unsetVariableSeverity: unsetVariables, strict: strict,
            stateOverride: override?.0)
        var limits = ManifestLoader().limits
        limits.maxInputBytes = maxFileSize << 20
        var result = ManifestCheck(environment: environment, options: options, loader: ManifestLoader(limits: limits))
            .check(paths: paths)
        if let override { result.redactor.merge(override.1) }
        let reporter = format.report.reporter(colors: Terminal.colorsOnStderr(), sources: SourceCache())
        var output = reporter.render(result.redactedDiagnostics, summary: result.summary)
        if !printSummary {
            // plan and run print their own document on stdout: diagnostics go to stderr.
            output = result.diagnostics.isEmpty && !result.failed ? ReportOutput() : ReportOutput(stderr: output.stderr + output.stdout)
        }
        // Masked again as written: the text reporter quotes manifest lines, which may hold a secret.
        Terminal.write(output.stdout, to: .stdout, redactor: result.redactor)
        Terminal.write(output.stderr, to: .stderr, redactor: result.redactor)
        return (result, result.failed)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github, sarif

    var report: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
