/// Counts that end a report.
public struct ReportSummary: Sendable, Hashable {
    public var files: Int
    public var jobs: Int
    public var errors: Int
    public var warnings: Int
    /// Whether the run counts as a failure (errors, or warnings under `--strict`).
    public var failed: Bool

    public init(files: Int, jobs: Int, errors: Int, warnings: Int, failed: Bool) {
        self.files = files
        self.jobs = jobs
        self.errors = errors
        self.warnings = warnings
        self.failed = failed
    }
}

/// What a reporter wants written: machine formats go to stdout, human text to stderr.
public struct ReportOutput: Sendable, Hashable {
    public var stdout: String
    public var stderr: String

    public init(stdout: String = "", stderr: String = "") {
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Turns diagnostics into text in one format, escaping what that format needs. Reporters get
/// diagnostics already redacted (``ValidationResult/redactedDiagnostics``) and return the text; the
/// caller writes it.
public protocol DiagnosticReporter: Sendable {
    func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput
}

/// The formats `--format` offers.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    case github
    case sarif

    /// The reporter for this format.
    public func reporter(colors: Bool = false, sources: SourceCache? = nil) -> any DiagnosticReporter {
        switch self {
        case .text: TextReporter(colors: colors, sources: sources)
        case .json: JSONReporter()
        case .github: GitHubReporter()
        case .sarif: SARIFReporter()
        }
    }
}
