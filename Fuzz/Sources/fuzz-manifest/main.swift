// The manifest loader and validator over arbitrary bytes: ManifestLoader.load(bytes:file:), then
// ManifestCheck.check, the entry point `bulk-import validate` uses (its `check(paths:)` only reads
// the files first), then what validate and plan print.
//
// Properties:
// - whatever the bytes, the loader returns a manifest or diagnostics: a nil manifest comes with at
//   least one error;
// - every diagnostic names the file and a 1-based place inside the input;
// - no more valid jobs than declared jobs;
// - no secret value (of a valid job, or of the environment, that the redactor masks) shows in the
//   masked output of any reporter or of the plan, in any of the forms the reporters write.
import FuzzSupport
import LibYAML

@testable import BulkImportKit

let file = "fuzz.yaml"

/// Every variable the examples and fixtures use, set to distinctive values; some of the values
/// need escaping in JSON and GitHub annotations, to exercise the redactor's other forms.
let environment = Environment([
    "MILVUS_TOKEN": "root:QzMilvusTok7",
    "STAGING_MILVUS_TOKEN": "QzStagingTok8",
    "ZILLIZ_API_KEY": "QzZillizKey9",
    "AWS_ACCESS_KEY_ID": "QzAccessKey1",
    "AWS_SECRET_ACCESS_KEY": "Qz\"Secret\\Key,2:%",
    "AWS_SESSION_TOKEN": "Qz\nSession\tTok3",
    "GCS_HMAC_ACCESS_ID": "QzHmacId4",
    "GCS_HMAC_SECRET": "QzHmac\u{7F}Secret\u{1}5",
    "LAPTOP_MILVUS_URI": "http://localhost:19530",
    "ENV": "QzEnv6",
    "EMPTY": "",
    "COLLECTION": "articles",
])

/// The forms a secret takes in what the reporters write.
func forms(_ secret: String) -> [[UInt8]] {
    [secret, JSONWriter.escape(secret), GitHubReporter.data(secret), GitHubReporter.property(secret)]
        .map { Array($0.utf8) }.filter { !$0.isEmpty }
}

/// `text` with every placeholder replaced by a NUL byte, which no secret here holds: a short secret
/// may be part of the placeholder's own letters ("red"), which is not a leak.
func withoutPlaceholders(_ text: String) -> [UInt8] {
    Fuzz.replacingEach(Array(Secret.placeholder.utf8), in: Array(text.utf8))
}

Fuzz.run { bytes in
    let input = Array(bytes)
    let h = Fuzz.hash(bytes)
    let options = ValidationOptions(
        allowPlaintextSecrets: h & 1 == 1, unsetVariableSeverity: h & 2 == 0 ? .warning : .error)
    let loader = ManifestLoader()
    let loaded = loader.load(bytes: input, file: file)
    if loaded.manifest == nil {
        Fuzz.check(
            loaded.diagnostics.contains { $0.severity == .error },
            "no manifest and no error: \(loaded.diagnostics)")
    }
    let outcome = ManifestCheck(environment: environment, options: options, loader: loader)
        .check([loaded], files: [file])
    if loaded.manifest == nil { Fuzz.check(outcome.errorCount > 0, "no manifest, yet no error after checking") }
    Fuzz.check(outcome.jobs.count <= outcome.declaredJobs, "\(outcome.jobs.count) valid jobs of \(outcome.declaredJobs)")

    for d in outcome.diagnostics {
        Fuzz.check(d.location.file == file, "a diagnostic names another file: \(d)")
        Fuzz.check(d.location.line >= 1 && d.location.column >= 1, "a diagnostic before 1:1: \(d)")
        Fuzz.check(d.location.line <= input.count + 1, "a diagnostic after the last line: \(d)")
        Fuzz.check(!d.message.isEmpty, "a diagnostic with no message: \(d.code)")
    }

    // What validate and plan would print, masked as Terminal.write masks it.
    let summary = ReportSummary(
        files: 1, jobs: outcome.declaredJobs, errors: outcome.errorCount,
        warnings: outcome.warningCount, failed: outcome.errorCount > 0)
    let sources = SourceCache()
    sources.add(String(decoding: input, as: UTF8.self), as: file)
    var printed: [String] = []
    for format in ReportFormat.allCases {
        let output = format.reporter(colors: false, sources: sources).render(outcome.diagnostics, summary: summary)
        printed += [output.stdout, output.stderr]
    }
    let renderer = PlanRenderer()
    printed += [renderer.text(outcome.jobs), renderer.json(outcome.jobs)]

    var secrets: [String] = []
    for job in outcome.jobs {
        for secret in [job.target.token, job.target.apiKey, job.accessKey, job.secretKey, job.token] {
            if let secret { secrets.append(secret.reveal()) }
        }
    }
    for value in environment.values.values where !value.isEmpty && outcome.redactor.redact(value) == Secret.placeholder {
        secrets.append(value)
    }
    let secretForms = secrets.filter { !$0.utf8.contains(0) }.flatMap(forms)
    guard !secretForms.isEmpty else { return }
    for text in printed where !text.isEmpty {
        let masked = withoutPlaceholders(outcome.redactor.redact(text))
        for form in secretForms where Fuzz.occurs(form, in: masked) {
            Fuzz.fail("a secret shows in masked output: \(String(decoding: form, as: UTF8.self).debugDescription)")
        }
    }
}
