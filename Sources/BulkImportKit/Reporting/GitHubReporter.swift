/// GitHub Actions workflow commands: `::error file=,line=,col=,endLine=,endColumn=,title=::message`,
/// escaped as GitHub specifies (`%`, CR and LF in the message; also `:` and `,` in properties).
public struct GitHubReporter: DiagnosticReporter {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput {
        var out = ""
        for d in diagnostics {
            let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            let l = d.location
            var properties = [
                "file=\(Self.property(l.file))", "line=\(l.line)", "col=\(l.column)",
                "endLine=\(l.endLine)", "endColumn=\(l.endColumn)",
            ]
            properties.append("title=\(Self.property("bulk-import \(d.code.rawValue)"))")
            var message = d.message
            if let fix = d.fix { message += "\nhelp: \(fix)" }
            for note in d.notes {
                message += "\nnote: \(note.message)" + (note.location.map { " (\($0))" } ?? "")
            }
            out += "::\(command) \(properties.joined(separator: ","))::\(Self.data(message))\n"
        }
        let s = summary
        out += "bulk-import: \(s.failed ? "invalid" : "valid"): \(s.errors) errors, \(s.warnings) warnings (\(s.jobs) jobs in \(s.files) files)\n"
        return ReportOutput(stdout: out)
    }

    /// Escapes a message.
    static func data(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// Escapes a property value.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
