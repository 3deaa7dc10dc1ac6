/// What checking manifests gave: every diagnostic, the jobs that passed, ready to plan or run, and
/// the secret values to mask in any output.
public struct ValidationResult: Sendable {
    /// The manifest files read.
    public var files: [String]
    /// How many jobs the manifests declare.
    public var declaredJobs: Int
    /// Every diagnostic, loading and validation, by file and position.
    public var diagnostics: [Diagnostic]
    /// The jobs without errors, in manifest order.
    public var jobs: [ImportJob]
    /// Masks every resolved secret value.
    public var redactor: Redactor
    /// The named targets without errors, by name (the first manifest to name one wins).
    public var targets: [String: ImportTarget]
    /// Whether the check failed: any error, or any warning under `--strict`.
    public var failed: Bool
    /// Where the jobs' state is kept (see ``Validator/Resolution/state``).
    public var state: StateLocation?
    /// Errors and warnings past ``DiagnosticBag/maxPerCode`` of one code in one file: counted, not
    /// listed (the last one listed has a note).
    public var hiddenErrors = 0
    public var hiddenWarnings = 0

    /// How many errors were found.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } + hiddenErrors }
    /// How many warnings were found (still warnings under `--strict`).
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } + hiddenWarnings }

    /// The counts that end a report.
    public var summary: ReportSummary {
        ReportSummary(files: files.count, jobs: declaredJobs, errors: errorCount, warnings: warningCount, failed: failed)
    }

    /// The diagnostics with every secret value masked, ready for a reporter to encode.
    public var redactedDiagnostics: [Diagnostic] { diagnostics.map(redactor.redact) }
}

extension ValidationResult {
    /// The result of checking nothing: no file, no job, not failed.
    public static let empty = ValidationResult(
        files: [], declaredJobs: 0, diagnostics: [], jobs: [], redactor: Redactor(), targets: [:], failed: false, state: nil)
}
