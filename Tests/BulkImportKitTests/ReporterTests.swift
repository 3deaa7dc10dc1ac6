import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

@Suite("Reporters: text, JSON, GitHub, SARIF")
struct ReporterTests {
    static let error = Diagnostic(
        .error, .unknownField, "unknown field 'colection_name' in jobs[0]",
        at: ManifestLocation(file: "m.yaml", span: YAMLSpan(start: YAMLMark(line: 3, column: 5), end: YAMLMark(line: 3, column: 19))),
        job: "job-1", path: "jobs[0].colection_name", fix: "did you mean 'collection_name'?",
        notes: [
            DiagnosticNote("first defined here", at: ManifestLocation(file: "m.yaml", line: 2, column: 5)),
            DiagnosticNote("a note without a place"),
        ])
    static let warning = Diagnostic(
        .warning, .unknownOption, "option 'x' is not one the server knows",
        at: ManifestLocation(file: "m.yaml", line: 7, column: 7))
    static let note = Diagnostic(.note, .unusedField, "just so you know", at: ManifestLocation(file: "m.yaml"))

    static let failedSummary = ReportSummary(files: 1, jobs: 2, errors: 1, warnings: 1, failed: true)

    // MARK: Text

    @Test func textUsesTheCompilerForm() throws {
        let output = TextReporter().render([Self.error, Self.warning], summary: Self.failedSummary)
        #expect(output.stdout.isEmpty)
        let lines = output.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines == [
                "m.yaml:3:5: error[unknown-field]: unknown field 'colection_name' in jobs[0]",
                "  help: did you mean 'collection_name'?",
                "  note: first defined here (m.yaml:2:5)",
                "  note: a note without a place",
                "m.yaml:7:7: warning[unknown-option]: option 'x' is not one the server knows",
                "invalid: 1 error, 1 warning (2 jobs in 1 file)",
                "",
            ])
        #expect("\(Self.error)" == "m.yaml:3:5: error[unknown-field]: unknown field 'colection_name' in jobs[0]")
    }

    static func located(_ line: Int, _ column: Int, _ endColumn: Int) -> Diagnostic {
        Diagnostic(
            .error, .unknownField, "unknown",
            at: ManifestLocation(
                file: "m.yaml", span: YAMLSpan(start: YAMLMark(line: line, column: column), end: YAMLMark(line: line, column: endColumn))))
    }

    @Test func textShowsTheSourceLineWithACaret() throws {
        let sources = SourceCache()
        sources.add("version: 1\njobs:\n  - colection_name: x\n", as: "m.yaml")
        let output = TextReporter(sources: sources).render([Self.located(3, 5, 19)], summary: Self.failedSummary)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(lines)")
        #expect(lines[1] == "      - colection_name: x")
        #expect(lines[2] == "        ^^^^^^^^^^^^^^")
        #expect(sources.line(9, of: "m.yaml") == nil)
        #expect(sources.line(0, of: "m.yaml") == nil)
        #expect(sources.line(1, of: "/nonexistent/file.yaml") == nil)
    }

    @Test func textSnippetTabsBecomeOneSpaceSoCaretsLineUp() throws {
        let sources = SourceCache()
        sources.add("a:\tb\n", as: "m.yaml")
        let output = TextReporter(sources: sources).render([Self.located(1, 4, 5)], summary: Self.failedSummary)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(lines)")
        #expect(lines[1] == "    a: b")
        #expect(lines[2] == "       ^")
    }

    /// A manifest saved with Windows line endings shows one line under a diagnostic, not the file.
    @Test func textSnippetOfACRLFFileIsOneLine() throws {
        let sources = SourceCache()
        sources.add("version: 1\r\njobs:\r\n  - colection_name: x\r\n", as: "m.yaml")
        #expect(sources.line(1, of: "m.yaml") == "version: 1")
        #expect(sources.line(3, of: "m.yaml") == "  - colection_name: x")
        let output = TextReporter(sources: sources).render([Self.located(3, 5, 19)], summary: Self.failedSummary)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(lines)")
        #expect(lines[1] == "      - colection_name: x")
        #expect(lines[2] == "        ^^^^^^^^^^^^^^")
    }

    /// The cache indexes where lines start instead of splitting the file: every line of every
    /// awkward text reads as the plain LF split (a trailing CR dropped) gives it.
    @Test func sourceCacheLinesAreTheLFSplit() {
        let texts = [
            "", "\n", "\n\n", "a", "a\n", "a\r\n", "\r", "\r\n\r\n", "a\rb\nc", "x\r\r\ny", "é\n日本\r\n\u{1F600}",
            "version: 1\njobs:\n  - name: a\n    files: [a.parquet]",
        ]
        for text in texts {
            let sources = SourceCache()
            sources.add(text, as: "m.yaml")
            let expected = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
            }
            let read = (1...expected.count).map { sources.line($0, of: "m.yaml") }
            #expect(read == expected.map(Optional.some), "\(text.debugDescription)")
            #expect(sources.line(expected.count + 1, of: "m.yaml") == nil && sources.line(0, of: "m.yaml") == nil)
            // Lines are indexed only as far as asked: any order, and past the end first, reads alike.
            for order in [Array((1...expected.count).reversed()), [expected.count + 1] + (1...expected.count).shuffled()] {
                let fresh = SourceCache()
                fresh.add(text, as: "m.yaml")
                for number in order {
                    let line = fresh.line(number, of: "m.yaml")
                    #expect(line == (number <= expected.count ? expected[number - 1] : nil), "\(text.debugDescription) line \(number)")
                }
            }
        }
    }

    @Test func sourceCacheReadsFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("source-cache-\(UUID().uuidString).yaml").path
        try Data("one\ntwo\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sources = SourceCache()
        #expect(sources.line(2, of: path) == "two")
        #expect(sources.line(1, of: path) == "one")
    }

    /// The cache reads files up to the loader's limit (`--max-file-size`): a manifest that was
    /// read is quoted, one over the limit is not read.
    @Test func sourceCacheReadsUpToItsLimit() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("source-cache-\(UUID().uuidString).yaml").path
        try Data(("one\n" + String(repeating: "x", count: 2000) + "\nthree\n").utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(SourceCache(limit: 1000).line(3, of: path) == nil)
        #expect(SourceCache(limit: 4000).line(3, of: path) == "three")
    }

    @Test func textSummaryWhenValid() {
        let output = TextReporter().render([], summary: ReportSummary(files: 2, jobs: 1, errors: 0, warnings: 0, failed: false))
        #expect(output.stderr == "valid: 1 job in 2 files, 0 errors, 0 warnings\n")
    }

    @Test func textColoursOnlyWhenAsked() {
        let plain = TextReporter(colors: false).render([Self.error], summary: Self.failedSummary).stderr
        let coloured = TextReporter(colors: true).render([Self.error], summary: Self.failedSummary).stderr
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31merror[unknown-field]\u{1B}[0m"))
    }

    // MARK: JSON

    @Test func jsonHasTheDocumentedKeys() throws {
        let output = JSONReporter().render([Self.error, Self.warning], summary: Self.failedSummary)
        #expect(output.stderr.isEmpty)
        let root = try #require(try parseJSON(output.stdout) as? [String: Any])
        // The documented keys, plus the counts of files and jobs.
        #expect(Set(root.keys) == ["valid", "errorCount", "warningCount", "diagnostics", "fileCount", "jobCount"])
        #expect(root["valid"] as? Bool == false)
        #expect(root["errorCount"] as? Int == 1)
        #expect(root["warningCount"] as? Int == 1)
        let diagnostics = try #require(root["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        let first = diagnostics[0]
        #expect(
            Set(first.keys) == [
                "severity", "code", "message", "file", "line", "column", "endLine", "endColumn", "job", "path", "fix", "notes",
            ])
        #expect(first["severity"] as? String == "error")
        #expect(first["code"] as? String == "unknown-field")
        #expect(first["message"] as? String == "unknown field 'colection_name' in jobs[0]")
        #expect(first["file"] as? String == "m.yaml")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 5)
        #expect(first["endLine"] as? Int == 3)
        #expect(first["endColumn"] as? Int == 19)
        #expect(first["job"] as? String == "job-1")
        #expect(first["path"] as? String == "jobs[0].colection_name")
        let notes = try #require(first["notes"] as? [[String: Any]])
        #expect(notes.count == 2)
        #expect(notes[0]["line"] as? Int == 2)
        #expect(notes[1]["line"] == nil)
        // Absent values are null, not missing.
        let second = diagnostics[1]
        #expect(second["job"] is NSNull)
        #expect(second["path"] is NSNull)
        #expect(second["severity"] as? String == "warning")
    }

    @Test func jsonStartsWithTheDocumentedKeysInOrder() {
        let text = JSONReporter().render([], summary: ReportSummary(files: 0, jobs: 0, errors: 0, warnings: 0, failed: false)).stdout
        let valid = text.range(of: "\"valid\"")!.lowerBound
        let errors = text.range(of: "\"errorCount\"")!.lowerBound
        let warnings = text.range(of: "\"warningCount\"")!.lowerBound
        #expect(valid < errors && errors < warnings)
        #expect(text.contains("\"valid\": true"))
        #expect(text.hasSuffix("\n"))
    }

    // MARK: GitHub

    @Test func githubAnnotationsAreEscaped() throws {
        let tricky = Diagnostic(
            .error, .invalidURL, "100% wrong:\r\nsecond line, with comma",
            at: ManifestLocation(
                file: "dir,odd:name%.yaml", span: YAMLSpan(start: YAMLMark(line: 4, column: 2), end: YAMLMark(line: 5, column: 1))),
            fix: "fix: it")
        let output = GitHubReporter().render([tricky, Self.warning, Self.note], summary: Self.failedSummary)
        #expect(output.stderr.isEmpty)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        #expect(
            lines[0]
                == "::error file=dir%2Codd%3Aname%25.yaml,line=4,col=2,endLine=5,endColumn=1,title=bulk-import invalid-url::100%25 wrong:%0D%0Asecond line, with comma%0Ahelp: fix: it"
        )
        #expect(
            lines[1]
                == "::warning file=m.yaml,line=7,col=7,endLine=7,endColumn=7,title=bulk-import unknown-option::option 'x' is not one the server knows"
        )
        #expect(lines[2].hasPrefix("::notice file=m.yaml,line=1,col=1,"))
        #expect(lines[3] == "bulk-import: invalid: 1 error, 1 warning (2 jobs in 1 file)")
    }

    /// The summary said "(4 jobs in 1 files)".
    @Test(arguments: [(0, 1, "0 jobs in 1 file"), (1, 1, "1 job in 1 file"), (4, 1, "4 jobs in 1 file"), (4, 2, "4 jobs in 2 files")])
    func githubSummarySpellsCountsRight(jobs: Int, files: Int, scope: String) {
        let summary = ReportSummary(files: files, jobs: jobs, errors: 2, warnings: 1, failed: true)
        let output = GitHubReporter().render([], summary: summary).stdout
        #expect(output == "bulk-import: invalid: 2 errors, 1 warning (\(scope))\n", "\(output)")
        #expect(TextReporter().render([], summary: summary).stderr == "invalid: 2 errors, 1 warning (\(scope))\n")
    }

    @Test func githubAnnotationsCarryNotes() {
        let output = GitHubReporter().render([Self.error], summary: Self.failedSummary).stdout
        #expect(output.contains("%0Anote: first defined here (m.yaml:2:5)%0Anote: a note without a place\n"))
    }

    @Test(arguments: [("a%b", "a%25b"), ("a\rb\nc", "a%0Db%0Ac"), ("a:b,c", "a:b,c"), ("a\r\nb", "a%0D%0Ab")])
    func githubMessageEscaping(raw: String, escaped: String) {
        #expect(GitHubReporter.data(raw) == escaped)
    }

    @Test(arguments: [("a%b", "a%25b"), ("a\rb\nc", "a%0Db%0Ac"), ("a:b,c", "a%3Ab%2Cc"), ("%3A", "%253A"), ("a\r\nb", "a%0D%0Ab")])
    func githubPropertyEscaping(raw: String, escaped: String) {
        #expect(GitHubReporter.property(raw) == escaped)
    }

    // MARK: SARIF

    @Test func sarifIsVersion210WithRulesAndResults() throws {
        let output = SARIFReporter().render([Self.error, Self.warning, Self.note], summary: Self.failedSummary)
        let root = try #require(try parseJSON(output.stdout) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        #expect((root["$schema"] as? String)?.contains("sarif") == true)
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "bulk-import")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == DiagnosticCode.allCases.map(\.rawValue))

        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results.map { $0["ruleId"] as? String } == ["unknown-field", "unknown-option", "unused-field"])
        #expect(results.map { $0["level"] as? String } == ["error", "warning", "note"])
        // ruleIndex points at the rule.
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
        }
        let message = try #require((results[0]["message"] as? [String: Any])?["text"] as? String)
        #expect(message.hasPrefix("unknown field 'colection_name' in jobs[0]"))
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "m.yaml")
        let region = try #require(location["region"] as? [String: Int])
        #expect(region == ["startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 19])
        // Notes with a place become related locations.
        let related = try #require(results[0]["relatedLocations"] as? [[String: Any]])
        #expect(related.count == 1)
        #expect(results[1]["relatedLocations"] == nil)
    }

    @Test(arguments: ReportFormat.allCases)
    func everyFormatHasAReporterAndTheRightStream(format: ReportFormat) {
        let output = format.reporter().render([Self.error], summary: Self.failedSummary)
        if format == .text {
            #expect(output.stdout.isEmpty && !output.stderr.isEmpty)
        } else {
            #expect(!output.stdout.isEmpty && output.stderr.isEmpty)
        }
    }

    // MARK: Diagnostics as data

    @Test func diagnosticsRoundTripThroughCodable() throws {
        let data = try JSONEncoder().encode([Self.error, Self.warning])
        let decoded = try JSONDecoder().decode([Diagnostic].self, from: data)
        #expect(decoded == [Self.error, Self.warning])
        #expect(Severity.note < .warning && Severity.warning < .error)
    }

    // MARK: Hostile values

    /// A value quoted whole in a message or a field (a 60 MB job name) made reports of hundreds of
    /// megabytes. Every reporter clips fields and cuts messages, fixes and notes.
    @Test(arguments: ReportFormat.allCases)
    func hugeValuesAreClippedInEveryFormat(format: ReportFormat) throws {
        let huge = String(repeating: "x", count: 2_000_000)
        let diagnostic = Diagnostic(
            .error, .invalidName, "job name '\(huge)' is bad", at: ManifestLocation(file: "m-\(huge).yaml", line: 2, column: 3),
            job: huge, path: "jobs[0].\(huge)", fix: "rename '\(huge)'",
            notes: [DiagnosticNote("see '\(huge)'", at: ManifestLocation(file: huge, line: 1, column: 1))])
        let output = format.reporter().render([diagnostic], summary: Self.failedSummary)
        let printed = output.stdout + output.stderr
        #expect(printed.utf8.count < 30_000, "\(printed.utf8.count) bytes")
        #expect(printed.contains("(2000000 characters)") || printed.contains("(2000010 characters)"))
        if format == .json || format == .sarif { _ = try parseJSON(output.stdout) }
    }

    /// 100,000 diagnostics (a mapping of 100,000 unknown keys) are not 100,000 lines: the first
    /// ones of that kind are listed, others still are, and the report says how many more there are.
    @Test(arguments: ReportFormat.allCases)
    func aFloodOfDiagnosticsIsCut(format: ReportFormat) throws {
        var diagnostics = (0..<100_000).map { i in
            Diagnostic(.warning, .unknownField, "unknown field 'k\(i)'", at: ManifestLocation(file: "m.yaml", line: i + 1, column: 1))
        }
        diagnostics.append(
            Diagnostic(.error, .missingField, "the one error", at: ManifestLocation(file: "m.yaml", line: 200_000, column: 1)))
        let summary = ReportSummary(files: 1, jobs: 1, errors: 1, warnings: 100_000, failed: true)
        let output = format.reporter().render(diagnostics, summary: summary)
        let printed = output.stdout + output.stderr
        #expect(printed.utf8.count < 64 * 1024, "\(printed.utf8.count) bytes")
        #expect(printed.contains("the one error"))
        switch format {
        case .json:
            let root = try #require(try parseJSON(output.stdout) as? [String: Any])
            #expect(root["diagnosticsNotShown"] as? Int == 100_000 - mostDiagnosticsShown)
            #expect(root["warningCount"] as? Int == 100_000)
        case .sarif: _ = try parseJSON(output.stdout)
        case .text, .github: #expect(printed.contains("\(100_000 - mostDiagnosticsShown) more diagnostics not shown"))
        }
    }

    /// A problem in each of 3,000 jobs is 3,000 diagnostics worth reading: none is left out.
    @Test func aProblemPerJobIsListedForEveryJob() {
        let diagnostics = (0..<3_000).map { i in
            Diagnostic(.error, .unsupportedExtension, "bad", at: ManifestLocation(file: "m.yaml", line: i + 1, column: 1), job: "job-\(i)")
        }
        let (shown, notShown) = diagnostics.shownInReport()
        #expect(shown.count == 3_000 && notShown == 0)
    }

    /// The text reporter quotes manifest lines, which may hold a secret written in place: it masks
    /// them itself (the output is no longer masked as a whole) and keeps the caret under the value.
    @Test func textMasksTheQuotedLineAndKeepsTheCaretInPlace() throws {
        let sources = SourceCache()
        sources.add("a: 1\n    token: hunter22-VALUE  # plain\n", as: "m.yaml")
        let d = Diagnostic(
            .error, .plaintextSecret, "token is written in plain text",
            at: ManifestLocation(file: "m.yaml", span: YAMLSpan(start: YAMLMark(line: 2, column: 12), end: YAMLMark(line: 2, column: 26))))
        let output = TextReporter(sources: sources, redactor: Redactor(secrets: ["hunter22-VALUE"])).render(
            [d], summary: Self.failedSummary)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(!output.stderr.contains("hunter22"))
        #expect(lines[1] == "        token: <redacted>  # plain")
        #expect(lines[2] == "               ^^^^^^^^^^")
    }
}
