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
/// diagnostics already redacted (``ValidationResult/redactedDiagnostics``), clip them
/// (``Diagnostic/clippedForOutput()``) and return the text; the caller writes it as it is.
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
    /// `redactor` masks the source lines the text reporter quotes (the diagnostics come redacted).
    public func reporter(colors: Bool = false, sources: SourceCache? = nil, redactor: Redactor = Redactor()) -> any DiagnosticReporter {
        switch self {
        case .text: TextReporter(colors: colors, sources: sources, redactor: redactor)
        case .json: JSONReporter()
        case .github: GitHubReporter()
        case .sarif: SARIFReporter()
        }
    }
}

/// The most diagnostics of one kind a report lists: of one code, in one file, for one job (or
/// none). A mapping of 100,000 unknown keys must not print 100,000 lines, while 3,000 jobs with a
/// problem each are all listed. The counts stay whole; the report says how many it left out.
public let mostDiagnosticsShown = 50

extension Array where Element == Diagnostic {
    /// The diagnostics to list, in their order, each clipped (``Diagnostic/clippedForOutput()``):
    /// at most ``mostDiagnosticsShown`` of one code in one file for one job; and how many were
    /// left out.
    public func shownInReport() -> (shown: [Diagnostic], notShown: Int) {
        var perKind: [String: Int] = [:]
        var shown: [Diagnostic] = []
        for d in self {
            let kind = "\(d.location.file)\u{0}\(d.code.rawValue)\u{0}\(d.job ?? "")"
            let seen = perKind[kind, default: 0]
            perKind[kind] = seen + 1
            if seen < mostDiagnosticsShown { shown.append(d.clippedForOutput()) }
        }
        return (shown, count - shown.count)
    }
}

/// The most characters of a message, fix or note a reporter writes: a safety net under the
/// messages, which quote values clipped already, so that no value can make a report huge.
let longestReportedText = 1000

extension Diagnostic {
    /// The diagnostic as a reporter writes it: message, fix and notes at most
    /// ``longestReportedText`` characters, and the fields (file, job, path) clipped like any value.
    public func clippedForOutput() -> Diagnostic {
        var d = self
        d.message = Self.limited(d.message)
        d.fix = d.fix.map(Self.limited)
        d.job = d.job.map { $0.clipped() }
        d.path = d.path.map { $0.clipped() }
        d.location.file = d.location.file.clipped()
        d.notes = d.notes.map { note in
            var note = note
            note.message = Self.limited(note.message)
            if var location = note.location {
                location.file = location.file.clipped()
                note.location = location
            }
            return note
        }
        return d
    }

    /// `text` cut after ``longestReportedText`` characters (Unicode scalars), with an ellipsis and
    /// how long it was; line breaks are kept (a fix may span lines).
    static func limited(_ text: String) -> String {
        var count = 0
        var end = text.unicodeScalars.startIndex
        for index in text.unicodeScalars.indices {
            if count == longestReportedText {
                end = index
                let total = count + text.unicodeScalars[index...].count
                return String(text.unicodeScalars[..<end]) + "… (\(total) characters)"
            }
            count += 1
        }
        return text
    }
}
