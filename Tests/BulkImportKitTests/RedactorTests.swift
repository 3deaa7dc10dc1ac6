import Foundation
import Testing

@testable import BulkImportKit

@Suite("Redactor: secrets masked by value")
struct RedactorTests {
    @Test func masksEveryOccurrence() {
        let redactor = Redactor(secrets: ["s3cr3t"])
        #expect(redactor.redact("a s3cr3t b s3cr3ts3cr3t c") == "a <redacted> b <redacted><redacted> c")
        #expect(redactor.redact("nothing here") == "nothing here")
        #expect(redactor.redact("") == "")
    }

    @Test func longestSecretWinsWhenOneContainsAnother() {
        let redactor = Redactor(secrets: ["abcdef", "abcdefghijkl", "ghijkl"])
        #expect(redactor.redact("xabcdefghijklx") == "x<redacted>x")
        #expect(redactor.redact("abcdef-ghijkl") == "<redacted>-<redacted>")
        // The order secrets are added in does not matter.
        #expect(Redactor(secrets: ["ghijkl", "abcdef", "abcdefghijkl"]).redact("xabcdefghijklx") == "x<redacted>x")
    }

    /// The redactor knows no output format: JSON is built from values it already masked, so the
    /// document is valid and holds no secret, whatever characters the secret has.
    @Test func jsonIsBuiltFromRedactedValues() throws {
        let secret = "p\"a\\s\ns"
        let redactor = Redactor(secrets: [secret])
        let json = JSONWriter.write(["k": .string(redactor.redact("x-\(secret)-y"))])
        #expect(json == #"{"k":"x-<redacted>-y"}"#)
        #expect(try JSONValue.parse(json) == ["k": "x-<redacted>-y"])
        #expect(redactor.redact("raw: \(secret)") == "raw: <redacted>")
        // Masking a finished document is no way to redact: the encoded form is not the secret.
        let encoded = JSONWriter.write(["k": .string(secret)])
        #expect(encoded == #"{"k":"p\"a\\s\ns"}"#)
        #expect(redactor.redact(encoded) == encoded)
    }

    @Test func jsonValuesAreMaskedInEveryStringAndKey() {
        let redactor = Redactor(secrets: ["s3cr3t"])
        let value: JSONValue = [
            "url": "http://h/s3cr3t/x", "n": 1, "d": 1.5, "b": true, "z": .null,
            "options": ["s3cr3t-key": ["a", "s3cr3t"]],
        ]
        #expect(
            redactor.redact(value) == [
                "url": "http://h/<redacted>/x", "n": 1, "d": 1.5, "b": true, "z": .null,
                "options": ["<redacted>-key": ["a", "<redacted>"]],
            ])
        #expect(Redactor().redact(value) == value)
    }

    @Test func aPlaceholderProducedByRedactionIsNotRescanned() {
        // Secrets that occur inside "<redacted>" must not eat the placeholder the redactor writes.
        let redactor = Redactor(secrets: ["x1x1x1", "dacted>", "<redac"])
        #expect(redactor.redact("x1x1x1 x1x1x1") == "<redacted> <redacted>")
        #expect(redactor.redact("Bdacted>") == "B<redacted>")
    }

    /// Output that already holds the placeholder (a masked header) keeps it intact when a short
    /// secret happens to occur inside the word "redacted".
    @Test(arguments: ["e", "red", "act", "<", "d>", "redacted", "<redac", "dacted>"])
    func shortSecretsDoNotCorruptPlaceholdersAlreadyInTheText(secret: String) {
        let redactor = Redactor(secrets: [secret])
        // (The text around the placeholder holds none of the secrets: by-value masking would mask them there.)
        #expect(redactor.redact("Auth: <redacted>, <redacted>") == "Auth: <redacted>, <redacted>")
    }

    /// `MILVUS_TOKEN=a`: masking "a" by value wrote `Authoriz<redacted>tion` and broke JSON
    /// (`f<redacted>lse`). A secret that short is not masked by value; the variable is named for
    /// the one warning, and the value never is.
    @Test(arguments: ["a", "\"", "\\", "e", "true", "1", "{", "\n", "q7Z:%"])
    func aSecretTooShortToMaskIsLeftAloneAndNamed(secret: String) throws {
        var redactor = Redactor()
        redactor.add(secret, from: ["MILVUS_TOKEN"])
        #expect(redactor.isEmpty)
        let text = "Authorization: Bearer <redacted>\n1 job planned: {\"valid\": false, \"path\": \"a\\\\b\"}"
        #expect(redactor.redact(text) == text)
        let json = JSONWriter.write(redactor.redact(JSONValue.object([("valid", .bool(false)), ("s", .string("x\(secret)y"))])))
        _ = try JSONValue.parse(json)
        let warning = try #require(redactor.shortSecretWarning)
        #expect(warning.contains("$<MILVUS_TOKEN>") && warning.contains("shorter than 6 characters"), "\(warning)")
        if secret == "q7Z:%" { #expect(!warning.contains(secret)) }
        // A value written in place (no variable) is named as such.
        var inPlace = Redactor()
        inPlace.add(secret)
        #expect(inPlace.shortSecretWarning?.contains("not held whole by one variable") == true)
        #expect(Redactor(secrets: ["long-enough"]).shortSecretWarning == nil)
    }

    @Test func emptySecretsAreIgnored() {
        var redactor = Redactor()
        #expect(redactor.isEmpty)
        redactor.add("")
        #expect(redactor.isEmpty)
        #expect(redactor.redact("abc") == "abc")
        redactor.add(Secret("abcdef"))
        #expect(!redactor.isEmpty)
        #expect(redactor.redact("abcdef") == "<redacted>")
    }

    @Test func mergeCombinesSecrets() {
        var a = Redactor(secrets: ["one111"])
        var b = Redactor(secrets: ["one111", "three3"])
        b.add("x", from: ["SHORT"])
        a.merge(b)
        #expect(a.redact("one111 two three3") == "<redacted> two <redacted>")
        #expect(a.shortSecretSources == ["SHORT"])
    }

    @Test func unicodeSecretsAndSecretsAtTheEdges() {
        let redactor = Redactor(secrets: ["日本語の秘密です", "zzzzzz"])
        #expect(redactor.redact("日本語の秘密です") == "<redacted>")
        #expect(redactor.redact("前日本語の秘密です後zzzzzz") == "前<redacted>後<redacted>")
        #expect(redactor.redact("z") == "z")
        #expect(redactor.redact("zzzzzzz") == "<redacted>z")
    }

    @Test func largeOutputIsMaskedWhole() {
        let secret = "s3cr3t-VALUE-123"
        let text = String(repeating: "line with \(secret) inside\n", count: 20_000)
        let masked = Redactor(secrets: [secret]).redact(text)
        #expect(!masked.contains(secret))
        #expect(masked.components(separatedBy: "<redacted>").count == 20_001)
    }

    /// Reporters get diagnostics already masked, so the redactor needs no reporter's escaping: a
    /// secret with characters GitHub and JSON escape is gone from every format.
    @Test(arguments: ReportFormat.allCases)
    func diagnosticsAreRedactedBeforeAReporterEncodesThem(format: ReportFormat) {
        let secret = "p%2C:s,3\"cr\n"
        let redactor = Redactor(secrets: [secret])
        let diagnostic = Diagnostic(
            .error, .invalidURL, "uri \(secret) bad", at: ManifestLocation(file: "m-\(secret).yaml", line: 2, column: 3),
            job: "j-\(secret)", path: "uri", fix: "drop \(secret)",
            notes: [DiagnosticNote("see \(secret)", at: ManifestLocation(file: secret)), DiagnosticNote("plain")])
        let masked = redactor.redact(diagnostic)
        #expect(masked.message == "uri <redacted> bad")
        #expect(masked.location.file == "m-<redacted>.yaml")
        #expect(masked.location.line == 2 && masked.location.column == 3)
        #expect(masked.job == "j-<redacted>")
        #expect(masked.path == "uri")
        #expect(masked.fix == "drop <redacted>")
        #expect(masked.notes.map(\.message) == ["see <redacted>", "plain"])
        #expect(masked.notes.map(\.location?.file) == ["<redacted>", nil])
        let summary = ReportSummary(files: 1, jobs: 1, errors: 1, warnings: 0, failed: true)
        let output = format.reporter().render([masked], summary: summary)
        let printed = output.stdout + output.stderr
        #expect(!printed.contains("s3") && !printed.contains("3cr") && !printed.contains("3%22cr"), "\(printed)")
        #expect(printed.contains("<redacted>"))
    }

    // MARK: What the validator registers

    @Test func validatorMasksSecretsUsedElsewhereToo() throws {
        let outcome = check(
            ManifestBuilder()
                .milvus("local", "uri: http://localhost:19530/$<MILVUS_TOKEN>\ntoken: $<MILVUS_TOKEN>")
                .job("j", "target: local\ncollection_name: c_$<MILVUS_TOKEN>\nfiles: [a.parquet]")
                .text)
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        let plan = PlanRenderer().text(outcome.jobs) + PlanRenderer().json(outcome.jobs)
        #expect(plan.contains("mt-secret-1"))  // without the redactor, the value is in the url and collection
        let renderer = PlanRenderer(redactor: outcome.redactor)
        let masked = renderer.text(outcome.jobs) + renderer.json(outcome.jobs)
        #expect(!masked.contains("mt-secret-1"))
        #expect(masked.contains("http://localhost:19530/<redacted>/v2/vectordb/jobs/import/create"))
        #expect(masked.contains("\"collectionName\": \"c_<redacted>\""))
    }

    /// The same `$<VAR>` text in a plain field before the secret field must not keep the value out
    /// of the redactor.
    @Test func secretFirstResolvedInAPlainFieldIsStillMasked() throws {
        let outcome = check(
            ManifestBuilder()
                .zilliz()
                .job(
                    "j",
                    "target: cloud\ncollection_name: $<AWS_SECRET_ACCESS_KEY>\nobject_url: s3://b/x/\n" + ManifestBuilder.zillizCredentials
                )
                .text)
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        let masked = PlanRenderer(redactor: outcome.redactor).json(outcome.jobs)
        #expect(!masked.contains("sk-secret-5"))
    }

    /// A secret field the job's API does not send (a Milvus job's `token`) still holds a secret.
    @Test func unusedSecretFieldIsStillMasked() throws {
        let outcome = check(
            milvusManifest(
                job:
                    "target: local\ncollection_name: c\npartition_name: p_$<AWS_SESSION_TOKEN>\nfiles: [a.parquet]\ntoken: $<AWS_SESSION_TOKEN>"
            ))
        #expect(outcome.codes == [.unusedField], "\(outcome.listing)")
        let masked = PlanRenderer(redactor: outcome.redactor).json(outcome.jobs)
        #expect(!masked.contains("tk-secret-6"))
    }

    @Test func setPartOfAnUnsetSecretIsMasked() throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                target: "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>:$<NOT_SET_PASSWORD>"))
        #expect(outcome.codes == [.unsetVariable])
        #expect(outcome.redactor.redact("root:mt-secret-1") == "<redacted>")
    }

    /// `uri: http://user:$<PASSWORD>@host` is refused for holding credentials; the refusal must not
    /// print them in any format.
    @Test(arguments: ReportFormat.allCases)
    func credentialsInAURLAreNotEchoed(format: ReportFormat) throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                target: "uri: http://root:$<DB_PASSWORD>@localhost:19530"),
            environment: Environment(["DB_PASSWORD": "hunter2-VALUE"]))
        #expect(outcome.codes == [.invalidURL], "\(outcome.listing)")
        let summary = ReportSummary(files: 1, jobs: 1, errors: outcome.errorCount, warnings: 0, failed: true)
        let output = format.reporter().render(outcome.redactedDiagnostics, summary: summary)
        let printed = output.stdout + output.stderr
        #expect(!printed.contains("hunter2-VALUE"), "\(printed)")
    }

    // MARK: Output built from redacted values

    /// A secret with characters JSON escapes, reused in a file path and an object url: the plan is
    /// built from masked values, so both forms hold no trace of it and the JSON is valid.
    @Test func planIsBuiltFromRedactedValues() throws {
        let secret = #"p"a\s-VAL"#
        var values = testEnvironment.values
        values["MILVUS_TOKEN"] = secret
        values["AWS_SECRET_ACCESS_KEY"] = secret
        let outcome = check(
            ManifestBuilder()
                .milvus("local", "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>")
                .zilliz()
                .job("m", "target: local\ncollection_name: c\nfiles: [a/$<MILVUS_TOKEN>.parquet]")
                .job(
                    "z",
                    "target: cloud\ncollection_name: c\nobject_url: s3://b/$<AWS_SECRET_ACCESS_KEY>/\n" + ManifestBuilder.zillizCredentials
                )
                .text,
            environment: Environment(values))
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        // Unmasked, the JSON holds the escaped form, which masking the finished text would miss.
        #expect(outcome.redactor.redact(PlanRenderer().json(outcome.jobs)).contains(#"p\"a\\s-VAL"#))

        let renderer = PlanRenderer(redactor: outcome.redactor)
        let json = renderer.json(outcome.jobs)
        let text = renderer.text(outcome.jobs)
        _ = try JSONValue.parse(json)
        for printed in [json, text] {
            #expect(!printed.contains("VAL"), "\(printed)")
            #expect(printed.contains("a/<redacted>.parquet") && printed.contains("s3://b/<redacted>/"), "\(printed)")
        }
    }

    /// Every kind of run event with a secret in every string it carries.
    static func everyEvent(_ s: String) -> [RunEvent] {
        let p = JobProgress(
            state: .other("state-\(s)"), progress: 50, importedRows: 1, totalRows: 2, reason: "reason \(s)",
            files: [FileProgress(file: "f/\(s).parquet", state: .failed, progress: 0, reason: "bad \(s)")])
        return [
            .skipped(job: "j-\(s)", reason: "r \(s)"), .changed(job: "j-\(s)", previousDigest: "d-\(s)"), .started(job: "j-\(s)"),
            .waitingForSlot(job: "j-\(s)", target: "t-\(s)", limit: 3), .submitted(job: "j-\(s)", jobIDs: ["id-\(s)"]),
            .retrying(job: "j-\(s)", attempt: 1, delaySeconds: 0.5, error: "e \(s)", clamped: true),
            .failed(job: "j-\(s)", error: "e \(s)"), .unknown(job: "j-\(s)", error: "e \(s)", advice: "a \(s)"),
            .progress(job: "j-\(s)", progress: p), .completed(job: "j-\(s)", progress: p), .importFailed(job: "j-\(s)", progress: p),
            .cleanedUp(job: "j-\(s)", jobID: "id-\(s)"), .stillRunning(job: "j-\(s)", progress: p),
            .stillRunning(job: "j-\(s)", progress: nil),
            .note(job: "j-\(s)", message: "m \(s)"), .pollFailed(job: "j-\(s)", error: "e \(s)"),
            .stalled(job: "j-\(s)", progress: p, seconds: 1800), .interrupted,
        ]
    }

    @Test func runEventsAreBuiltFromRedactedValues() throws {
        let secret = "p\"a\\s\n-VAL"
        let formatter = RunEventFormatter(redactor: Redactor(secrets: [secret]))
        for event in Self.everyEvent(secret) {
            let json = formatter.json(event)
            _ = try JSONValue.parse(json)
            #expect(!json.contains("VAL"), "\(json)")
            let text = formatter.text(event) ?? ""
            #expect(!text.contains("VAL"), "\(text)")
            if case .interrupted = event { continue }
            #expect(json.contains("<redacted>"), "\(json)")
        }
        // Without secrets the events print as they are, the name clipped and escaped like any value.
        #expect(RunEventFormatter().text(.failed(job: "j-\(secret)", error: "e")) == "failed     j-\(secret.clipped()): e")
    }

    @Test func theLiveBoardHoldsRedactedValuesOnly() {
        let secret = "p\"a\\s-VAL"
        var board = LiveJobBoard(total: 20, start: 0, following: true, redactor: Redactor(secrets: [secret]))
        var printed: [String] = []
        for (i, event) in Self.everyEvent(secret).enumerated() {
            printed += board.apply(event, at: Double(i))
            printed += board.frame(now: Double(i), width: 200, height: 30)
        }
        printed += board.summaryTable(now: 30)
        #expect(!printed.isEmpty)
        for line in printed { #expect(!line.contains("VAL"), "\(line)") }
        #expect(printed.contains { $0.contains("j-<redacted>") })
    }

    @Test func listedJobsAreMasked() {
        let redactor = Redactor(secrets: ["s3cr3t"])
        let job = ListedJob(jobID: "id-s3cr3t", collectionName: "c_s3cr3t", state: .other("s3cr3t"), progress: 5, files: ["a/s3cr3t.json"])
        #expect(
            redactor.redact(job)
                == ListedJob(
                    jobID: "id-<redacted>", collectionName: "c_<redacted>", state: .other("<redacted>"), progress: 5,
                    files: ["a/<redacted>.json"]))
        #expect(Redactor().redact(job) == job)
    }
}
