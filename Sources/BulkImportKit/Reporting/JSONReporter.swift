/// One JSON object on stdout: `{"valid", "errorCount", "warningCount", "diagnostics": [...]}`, and
/// `diagnosticsNotShown` when there were more than ``mostDiagnosticsShown``.
public struct JSONReporter: DiagnosticReporter {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput {
        let (shown, notShown) = diagnostics.shownInReport()
        var pairs: [(String, JSONValue)] = [
            ("valid", .bool(!summary.failed)),
            ("errorCount", .int(summary.errors)),
            ("warningCount", .int(summary.warnings)),
            ("fileCount", .int(summary.files)),
            ("jobCount", .int(summary.jobs)),
            ("diagnostics", .array(shown.map(Self.json))),
        ]
        // Only when some were left out (see `mostDiagnosticsShown`).
        if notShown > 0 { pairs.append(("diagnosticsNotShown", .int(notShown))) }
        let value: JSONValue = .object(pairs)
        return ReportOutput(stdout: JSONWriter.write(value, pretty: true) + "\n")
    }

    static func json(_ d: Diagnostic) -> JSONValue {
        let optional: (String?) -> JSONValue = { $0.map(JSONValue.string) ?? .null }
        return .object([
            ("severity", .string(d.severity.rawValue)),
            ("code", .string(d.code.rawValue)),
            ("message", .string(d.message)),
            ("file", .string(d.location.file)),
            ("line", .int(d.location.line)),
            ("column", .int(d.location.column)),
            ("endLine", .int(d.location.endLine)),
            ("endColumn", .int(d.location.endColumn)),
            ("job", optional(d.job)),
            ("path", optional(d.path)),
            ("fix", optional(d.fix)),
            (
                "notes",
                .array(
                    d.notes.map { note in
                        var pairs: [(String, JSONValue)] = [("message", .string(note.message))]
                        if let l = note.location {
                            pairs += [("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))]
                        }
                        return .object(pairs)
                    })
            ),
        ])
    }
}
