/// GitHub Actions workflow commands: `::error file=,line=,col=,endLine=,endColumn=,title=::message`,
/// escaped as GitHub specifies (`%`, CR and LF in the message; also `:` and `,` in properties).
public struct GitHubReporter: DiagnosticReporter {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput {
        var out = ""
        let (shown, notShown) = diagnostics.shownInReport()
        for d in shown {
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
        out +=
            "bulk-import: \(s.failed ? "invalid" : "valid"): \(Plural.count(s.errors, "error")), \(Plural.count(s.warnings, "warning")) "
            + "(\(Plural.count(s.jobs, "job")) in \(Plural.count(s.files, "file")))"
            + (notShown > 0 ? "; \(Plural.count(notShown, "more diagnostic")) not shown" : "") + "\n"
        return ReportOutput(stdout: out)
    }

    /// Escapes a message.
    static func data(_ text: String) -> String {
        escape(text, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A")])
    }

    /// Escapes a property value.
    static func property(_ text: String) -> String {
        escape(text, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")])
    }

    /// Escapes by Unicode scalar, not Character: "\r\n" is one Character that equals neither.
    private static func escape(_ text: String, _ table: [(Unicode.Scalar, String)]) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if let replacement = table.first(where: { $0.0 == scalar })?.1 { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
