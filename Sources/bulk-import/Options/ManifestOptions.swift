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

    @Option(
        help: ArgumentHelp(
            "Output format: text, or json, github, sarif on stdout; each command takes those it can write.",
            discussion:
                "validate: text, json, github, sarif. plan: text, json, github (annotations, then the plan as text). run, status, list: text, json. resolve: text."
        ))
    var format: OutputFormat = .text

    @Option(
        help: ArgumentHelp(
            "Where the jobs' state is kept: a ledger file, or postgres://USER@HOST:5432/DB (a password as $<ENV>).",
            discussion: "Overrides the manifests' `state:`. Default: .bulk-import/state.jsonl in the manifests' folder.",
            valueName: "path-or-url"))
    var state: String?

    @Option(
        help: ArgumentHelp(
            "The largest manifest read, in MiB: a guard against reading what is not a manifest (a 1,000,000-job manifest is about 200 MB).",
            valueName: "MiB"))
    var maxFileSize = 64

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one manifest file or folder") }
        if maxFileSize < 1 { throw ValidationError("--max-file-size must be at least 1") }
    }

    /// Refuses a `--format` the command cannot write (a usage error, exit 64), naming those it takes.
    func require(formats: [OutputFormat], for command: String) throws {
        guard !formats.contains(format) else { return }
        let names = formats.map(\.rawValue)
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
        throw ValidationError("`\(command)` writes --format \(list), not '\(format.rawValue)'")
    }

    /// Loads and validates, prints the diagnostics, and returns the result and whether it failed.
    /// With `printSummary` (validate) the report is the command's output. Otherwise the command
    /// prints its own document: a failed check in a machine format is then the one document on
    /// stdout (JSON always goes to stdout), and diagnostics of a check that passed go to stderr
    /// as text, or to stdout as GitHub annotations above the command's text.
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
            stateOverride: override?.0, keepsJobs: !printSummary)
        var limits = ManifestLoader().limits
        limits.maxInputBytes = maxFileSize << 20
        var result = ManifestCheck(environment: environment, options: options, loader: ManifestLoader(limits: limits))
            .check(paths: paths)
        if let override { result.redactor.merge(override.1) }
        Terminal.warnAboutShortSecrets(result.redactor)
        var report = format.report
        if !printSummary {
            if result.diagnostics.isEmpty && !result.failed { return (result, false) }
            // GitHub annotations are lines that may sit above the command's own text.
            if !result.failed && report != .github { report = .text }
        }
        // The diagnostics come redacted, and the text reporter masks the manifest lines it quotes:
        // the output is written as it is, never masked again (that would break an encoded document).
        let sources = SourceCache(limit: limits.maxInputBytes)
        let reporter = report.reporter(colors: Terminal.colorsOnStderr(), sources: sources, redactor: result.redactor)
        let output = reporter.render(result.redactedDiagnostics, summary: result.summary)
        Terminal.write(output.stdout, to: .stdout)
        Terminal.write(output.stderr, to: .stderr)
        return (result, result.failed)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github, sarif

    var report: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
