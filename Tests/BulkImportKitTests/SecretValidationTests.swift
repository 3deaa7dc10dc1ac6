import Testing

@testable import BulkImportKit

/// Secret fields refuse literals, resolve from the environment, and are masked.
@Suite("Validation: secrets")
struct SecretValidationTests {
    static let plaintextToken = milvusManifest(
        job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
        target: "uri: http://localhost:19530\ntoken: root:Milvus")

    @Test func plaintextSecretIsAnErrorByDefault() throws {
        let outcome = check(Self.plaintextToken)
        let diagnostic = try #require(outcome.diagnostics(.plaintextSecret).first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.contains("plain text"))
        #expect(diagnostic.fix?.contains("$<") == true)
        #expect(outcome.jobs.isEmpty)
    }

    @Test func plaintextSecretIsAWarningWhenAllowed() throws {
        let outcome = check(Self.plaintextToken, options: ValidationOptions(allowPlaintextSecrets: true))
        let diagnostic = try #require(outcome.diagnostics(.plaintextSecret).first)
        #expect(diagnostic.severity == .warning)
        #expect(outcome.errorCount == 0)
        let job = try #require(outcome.job("job-1"))
        #expect(job.target.token?.reveal() == "root:Milvus")
        // Even a plaintext secret is masked in output.
        #expect(outcome.redactor.redact("token root:Milvus") == "token <redacted>")
    }

    @Test(arguments: ["api_key", "access_key", "secret_key", "token"])
    func everySecretFieldRefusesLiterals(field: String) throws {
        var target = ManifestBuilder.zillizTarget
        var job = "target: cloud\ncollection_name: c\nobject_url: s3://b/x/\n" + ManifestBuilder.zillizCredentials
        if field == "api_key" {
            target = target.replacing("$<ZILLIZ_API_KEY>", with: "literal-key")
        } else if field == "token" {
            job += "\ntoken: literal-key"
        } else {
            job = job.replacing(field == "access_key" ? "$<AWS_ACCESS_KEY_ID>" : "$<AWS_SECRET_ACCESS_KEY>", with: "literal-key")
        }
        let outcome = check(ManifestBuilder().zilliz("cloud", target).job("z", job).text)
        let diagnostic = try #require(outcome.diagnostics(.plaintextSecret).first, "\(outcome.listing)")
        #expect(outcome.diagnostics(.plaintextSecret).count == 1)
        // The full path from the manifest's root, and the job only for a value that belongs to it.
        #expect(diagnostic.path == (field == "api_key" ? "targets.cloud.zilliz.api_key" : "jobs[0].\(field)"))
        #expect(diagnostic.job == (field == "api_key" ? nil : "z"))
        #expect(diagnostic.severity == .error)
    }

    @Test func secretWithAPlaintextFallbackIsReported() throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                target: "uri: http://localhost:19530\ntoken: $<NOT_SET_TOKEN:-root:Milvus>"))
        let diagnostic = try #require(outcome.diagnostics(.plaintextSecret).first)
        #expect(diagnostic.message.contains("fallback"))
    }

    @Test func secretFromTheEnvironmentIsMaskedAndKept() throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                target: "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let job = try #require(outcome.job("job-1"))
        #expect(job.target.token?.reveal() == "root:mt-secret-1")
        #expect("\(job.target.token!)" == "<redacted>")
        #expect(String(reflecting: job.target.token!) == "<redacted>")
        #expect(!"\(job)".contains("mt-secret-1"))
        #expect(outcome.redactor.redact("x root:mt-secret-1 y") == "x <redacted> y")
    }

    @Test func secretThatResolvesEmptyIsAnError() throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                target: "uri: http://localhost:19530\ntoken: $<EMPTY_TOKEN>"),
            environment: Environment(["EMPTY_TOKEN": ""]))
        #expect(outcome.diagnostics(.emptyValue).first?.path == "targets.local.milvus.token")
    }

    /// A token read with its newline (or a .env's CRLF) went into the Authorization header: the
    /// HTTP client refused it and the job ended unknown. It is a validation error that says where
    /// the character is and never shows the value.
    @Test(arguments: [
        ("s3cr3t-token\n", "a line break (\\n) at its end"), ("s3cr3t-token\r", "a carriage return (\\r) at its end"),
        ("s3cr\u{1B}t-token", "the control character U+1B at character 5 of 12"),
    ])
    func aTokenWithAControlCharacterIsRefused(value: String, described: String) throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                target: "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>"),
            environment: Environment(["MILVUS_TOKEN": value]))
        let diagnostic = try #require(outcome.diagnostics(.invalidVariable).first, "\(outcome.listing)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.contains(described), "\(diagnostic.message)")
        #expect(diagnostic.path == "targets.local.milvus.token")
        #expect(diagnostic.fix?.contains("export MILVUS_TOKEN=") == true)
        #expect(outcome.jobs.isEmpty)
        let printed = "\(diagnostic) \(diagnostic.fix ?? "")"
        #expect(!printed.contains("s3cr"))
    }
}
