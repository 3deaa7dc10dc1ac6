/// SARIF 2.1.0, for code-scanning dashboards.
public struct SARIFReporter: DiagnosticReporter {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], summary: ReportSummary) -> ReportOutput {
        let codes = DiagnosticCode.allCases
        let rules: [JSONValue] = codes.map { code in
            .object([
                ("id", .string(code.rawValue)),
                ("shortDescription", .object([("text", .string(code.summary))])),
            ])
        }
        let (shown, notShown) = diagnostics.shownInReport()
        let results: [JSONValue] = shown.map { d in
            var text = d.message
            if let fix = d.fix { text += " (\(fix))" }
            var pairs: [(String, JSONValue)] = [
                ("ruleId", .string(d.code.rawValue)),
                ("ruleIndex", .int(codes.firstIndex(of: d.code) ?? 0)),
                ("level", .string(d.severity == .note ? "note" : d.severity.rawValue)),
                ("message", .object([("text", .string(text))])),
                ("locations", .array([Self.location(d.location)])),
            ]
            let related = d.notes.compactMap { note -> JSONValue? in
                guard let l = note.location else { return nil }
                guard case .object(var loc) = Self.location(l) else { return nil }
                loc.append(("message", .object([("text", .string(note.message))])))
                return .object(loc)
            }
            if !related.isEmpty { pairs.append(("relatedLocations", .array(related))) }
            return .object(pairs)
        }
        let driver: JSONValue = .object([
            ("name", .string("bulk-import")), ("version", .string(BulkImportVersion.current)), ("rules", .array(rules)),
        ])
        var run: [(String, JSONValue)] = [("tool", .object([("driver", driver)])), ("results", .array(results))]
        // Only when some were left out (see `mostDiagnosticsShown`).
        if notShown > 0 { run.append(("properties", .object([("resultsNotShown", .int(notShown))]))) }
        let log: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ])
        return ReportOutput(stdout: JSONWriter.write(log, pretty: true) + "\n")
    }

    static func location(_ l: ManifestLocation) -> JSONValue {
        .object([
            (
                "physicalLocation",
                .object([
                    ("artifactLocation", .object([("uri", .string(l.file))])),
                    (
                        "region",
                        .object([
                            ("startLine", .int(l.line)), ("startColumn", .int(l.column)),
                            ("endLine", .int(l.endLine)), ("endColumn", .int(l.endColumn)),
                        ])
                    ),
                ])
            )
        ])
    }
}
