import Foundation
import TestSupport
import Testing

/// Distinctive values for every variable the examples reference. None may ever be printed.
let secretEnvironment: [String: String] = [
    "MILVUS_TOKEN": "root:s3cr3t-VALUE-101",
    "STAGING_MILVUS_TOKEN": "s3cr3t-VALUE-102",
    "ZILLIZ_API_KEY": "s3cr3t-VALUE-103",
    "AWS_ACCESS_KEY_ID": "s3cr3t-VALUE-104",
    "AWS_SECRET_ACCESS_KEY": "s3cr3t-VALUE-105",
    "AWS_SESSION_TOKEN": "s3cr3t-VALUE-106",
    "GCS_HMAC_ACCESS_ID": "s3cr3t-VALUE-107",
    "GCS_HMAC_SECRET": "s3cr3t-VALUE-108",
    // The Azure access key is the storage account's name, which the example's urls name too.
    "AZURE_STORAGE_ACCOUNT": "examplestore",
    "AZURE_STORAGE_KEY": "s3cr3t-VALUE-109",
]

/// Fails the test if any secret value, or any recognisable part of one, is in the output.
func expectNoSecrets(_ run: ProcessResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for (name, value) in secretEnvironment {
        #expect(!run.output.contains(value), "\(what) printed the value of \(name)\n\(run)", sourceLocation: sourceLocation)
    }
    #expect(!run.output.contains("s3cr3t"), "\(what) printed part of a secret\n\(run)", sourceLocation: sourceLocation)
    #expect(!run.output.contains("VALUE-1"), "\(what) printed part of a secret\n\(run)", sourceLocation: sourceLocation)
}

/// Matches a whole line against a regular expression.
func matches(_ line: some StringProtocol, _ pattern: String) -> Bool {
    (try? Regex(pattern).wholeMatch(in: String(line))) != nil
}

@Suite("bulk-import validate")
struct ValidateCommandTests {
    @Test func examplesAreValid() async throws {
        let run = try await BulkImport.run(["validate", "examples/"], environment: secretEnvironment)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(matches(run.stderr, #"valid: \d+ jobs in \d+ files, 0 errors, 0 warnings\n"#), "\(run)")
    }

    @Test func invalidExamplesFailWithLocatedErrors() async throws {
        let run = try await BulkImport.run(["validate", "examples/invalid/"], environment: secretEnvironment)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        let headers = lines.filter { $0.hasPrefix("examples/") }
        #expect(headers.count >= 10)
        for header in headers {
            #expect(matches(header, #"examples/invalid/[a-z0-9-]+\.yaml:\d+:\d+: (error|warning)\[[a-z-]+\]: .+"#), "\(header)")
        }
        #expect(
            headers.contains(
                "examples/invalid/undefined-target.yaml:18:13: error[undefined-target]: job 'invalid-undefined-target' refers to target 'prod', which is not defined"
            ))
        #expect(headers.contains("examples/invalid/duplicate-key.yaml:20:5: error[duplicate-key]: duplicate key 'collection_name'"))
        // Every invalid example has at least one error line.
        let files = try FileManager.default.contentsOfDirectory(
            atPath: BulkImport.packageRoot.appendingPathComponent("examples/invalid").path)
        for file in files where file.hasSuffix(".yaml") {
            #expect(headers.contains { $0.hasPrefix("examples/invalid/\(file):") && $0.contains(": error[") }, "\(file)")
        }
        // The source line and a caret under the problem, a fix, and the note at the first key.
        #expect(run.stderr.contains("\n        collection_name: products_v2\n        ^^^^^^^^^^^^^^^\n"))
        #expect(run.stderr.contains("  note: first defined here (examples/invalid/duplicate-key.yaml:17:5)\n"))
        #expect(matches(lines.last ?? "", #"invalid: \d+ errors?, \d+ warnings? \(\d+ jobs in 10 files\)"#), "\(run)")
    }

    @Test(arguments: [
        ["validate"],
        ["plan"],
        ["validate", "--bogus", "examples/"],
        ["validate", "--format", "xml", "examples/"],
        ["validate", "--max-file-size", "0", "examples/"],
        ["frobnicate", "examples/"],
    ])
    func usageErrorsExit64(arguments: [String]) async throws {
        let run = try await BulkImport.run(arguments)
        #expect(run.status == 64, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("Error: "), "\(run)")
    }

    @Test func helpAndVersionExitZero() async throws {
        let help = try await BulkImport.run(["validate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--format"))
        let version = try await BulkImport.run(["--version"])
        #expect(version.status == 0)
        #expect(matches(version.stdout, #"\d+\.\d+\.\d+\nlibyaml \d+\.\d+\.\d+\n"#), "\(version)")
    }

    @Test func jsonFormat() async throws {
        let run = try await BulkImport.run(["validate", "--format", "json", "examples/invalid/"], environment: secretEnvironment)
        #expect(run.status == 1)
        #expect(run.stderr.isEmpty, "\(run)")
        let root = try parseJSONObject(run.stdout)
        for key in ["valid", "errorCount", "warningCount", "diagnostics"] { #expect(root[key] != nil, "\(key)") }
        #expect(root["valid"] as? Bool == false)
        let diagnostics = try #require(root["diagnostics"] as? [[String: Any]])
        #expect(root["errorCount"] as? Int == diagnostics.count { $0["severity"] as? String == "error" })
        #expect(root["warningCount"] as? Int == diagnostics.count { $0["severity"] as? String == "warning" })
        for diagnostic in diagnostics {
            for key in ["severity", "code", "message", "file", "line", "column", "endLine", "endColumn", "job", "path"] {
                #expect(diagnostic.keys.contains(key), "\(key) missing in \(diagnostic)")
            }
        }
        let undefined = try #require(diagnostics.first { $0["code"] as? String == "undefined-target" })
        #expect(undefined["file"] as? String == "examples/invalid/undefined-target.yaml")
        #expect(undefined["line"] as? Int == 18)
        #expect(undefined["column"] as? Int == 13)
        #expect(undefined["endColumn"] as? Int == 17)
        #expect(undefined["job"] as? String == "invalid-undefined-target")
        #expect(undefined["path"] as? String == "jobs[0].target")  // the full path from the root

        let valid = try await BulkImport.run(["validate", "--format", "json", "examples/"], environment: secretEnvironment)
        #expect(valid.status == 0)
        let validRoot = try parseJSONObject(valid.stdout)
        #expect(validRoot["valid"] as? Bool == true)
        #expect(validRoot["errorCount"] as? Int == 0)
        #expect((validRoot["diagnostics"] as? [Any])?.isEmpty == true)
    }

    @Test func githubFormat() async throws {
        let run = try await BulkImport.run(["validate", "--format", "github", "examples/invalid/"], environment: secretEnvironment)
        #expect(run.status == 1)
        #expect(run.stderr.isEmpty, "\(run)")
        let lines = run.stdout.split(separator: "\n")
        let annotations = lines.filter { $0.hasPrefix("::") }
        #expect(annotations.count == lines.count - 1)
        for line in annotations {
            #expect(
                matches(
                    line,
                    #"::(error|warning) file=examples/invalid/[a-z0-9-]+\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=bulk-import [a-z-]+::[^\r\n]+"#
                ), "\(line)")
        }
        #expect(
            annotations.contains(
                "::error file=examples/invalid/undefined-target.yaml,line=18,col=13,endLine=18,endColumn=17,title=bulk-import undefined-target::job 'invalid-undefined-target' refers to target 'prod', which is not defined%0Ahelp: define it under `targets:`, or use one of: local, staging"
            ))
        #expect(lines.last?.hasPrefix("bulk-import: invalid: ") == true)
    }

    @Test func sarifFormat() async throws {
        let run = try await BulkImport.run(["validate", "--format", "sarif", "examples/invalid/"], environment: secretEnvironment)
        #expect(run.status == 1)
        #expect(run.stderr.isEmpty, "\(run)")
        let root = try parseJSONObject(run.stdout)
        #expect(root["version"] as? String == "2.1.0")
        let runs = try #require(root["runs"] as? [[String: Any]])
        let driver = try #require((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "bulk-import")
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.count >= 10)
        for result in results {
            #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
            #expect(result["ruleId"] is String)
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect(((location?["artifactLocation"] as? [String: Any])?["uri"] as? String)?.hasPrefix("examples/invalid/") == true)
            #expect(((location?["region"] as? [String: Any])?["startLine"] as? Int ?? 0) >= 1)
        }
    }

    @Test func strictMakesWarningsFail() async throws {
        var environment = secretEnvironment
        environment["MILVUS_TOKEN"] = nil
        let lenient = try await BulkImport.run(["validate", "examples/quickstart.yaml"], environment: environment)
        #expect(lenient.status == 0, "\(lenient)")
        #expect(
            lenient.stderr.contains(
                "examples/quickstart.yaml:17:14: warning[unset-variable]: token uses $<MILVUS_TOKEN>, but that variable is not set"))
        #expect(lenient.stderr.hasSuffix("valid: 2 jobs in 1 file, 0 errors, 1 warning\n"))

        let strict = try await BulkImport.run(["validate", "--strict", "examples/quickstart.yaml"], environment: environment)
        #expect(strict.status == 1, "\(strict)")
        #expect(strict.stderr.hasSuffix("invalid: 0 errors, 1 warning (2 jobs in 1 file)\n"))

        let strictJSON = try await BulkImport.run(
            ["validate", "--strict", "--format", "json", "examples/quickstart.yaml"], environment: environment)
        #expect(strictJSON.status == 1)
        #expect(try parseJSONObject(strictJSON.stdout)["valid"] as? Bool == false)
    }

    @Test func allowPlaintextSecretsTurnsThemIntoWarnings() async throws {
        let path = "examples/invalid/plaintext-secret.yaml"
        let strict = try await BulkImport.run(["validate", path], environment: secretEnvironment)
        #expect(strict.status == 1)
        #expect(strict.stderr.components(separatedBy: "error[plaintext-secret]").count == 4)
        let allowed = try await BulkImport.run(["validate", "--allow-plaintext-secrets", path], environment: secretEnvironment)
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.stderr.components(separatedBy: "warning[plaintext-secret]").count == 4)
        // Even literal secrets are masked in the source lines shown.
        for run in [strict, allowed] {
            #expect(!run.output.contains("wJalrXUtnFEMI"), "\(run)")
            #expect(!run.output.contains("AKIAIOSFODNN7EXAMPLE"), "\(run)")
            #expect(run.stderr.contains("token: <redacted>"), "\(run)")
        }
    }

    @Test func missingPathIsAnIOError() async throws {
        let run = try await BulkImport.run(["validate", "examples/no-such-file.yaml"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("examples/no-such-file.yaml:1:1: error[io-error]: no such file or folder"), "\(run)")
    }

    @Test func jobNamesMustBeUniqueAcrossFiles() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let manifest =
            "version: 1\njobs:\n  - name: same\n    target: {milvus: {uri: http://localhost:19530}}\n    collection_name: c\n    files: [a.parquet]\n"
        let first = try folder.write("a.yaml", manifest)
        let second = try folder.write("b.yml", manifest)
        try folder.write("ignored.txt", "not a manifest")
        let run = try await BulkImport.run(["validate", folder.url.path])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("\(second):3:11: error[duplicate-job]: job name 'same' is already used"), "\(run)")
        #expect(run.stderr.contains("note: first used here (\(first):3:11)"), "\(run)")
        #expect(run.stderr.hasSuffix("(2 jobs in 2 files)\n"), "\(run)")
    }

    @Test func hostileInputIsRefusedQuickly() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var lines = [#"version: 1"#, #"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        let names = Array("abcdefghij").map(String.init)
        for i in 1..<names.count {
            lines.append("\(names[i]): &\(names[i]) [" + Array(repeating: "*\(names[i - 1])", count: 9).joined(separator: ",") + "]")
        }
        let bomb = try folder.write("bomb.yaml", lines.joined(separator: "\n") + "\n")
        let deep = try folder.write("deep.yaml", "version: 1\njobs: " + String(repeating: "[", count: 100_000) + "\n")
        let binary = folder.url.appendingPathComponent("binary.yaml").path
        try Data([0x76, 0x3A, 0x20, 0xC3, 0x28, 0x00, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: binary))
        let empty = try folder.write("empty.yaml", "")
        let twoDocs = try folder.write("two.yaml", "version: 1\njobs: []\n---\nversion: 1\n")

        // The bound is on the processor time the tool used: its wall time measures the machine too
        // (44 s on a 2-core machine with a load of 12).
        let tool = try #require(BulkImport.binary, BulkImport.missingBinaryMessage)
        let run = try await ChildProcess.run(
            tool.path, ["validate", bomb, deep, binary, empty, twoDocs], environment: BulkImport.childEnvironment([:]),
            in: BulkImport.packageRoot.path, measuringPeakMemory: true, timeout: 120)
        #expect(run.cpuSeconds ?? .infinity < 10, "used \(run.cpuSeconds ?? .infinity) s of processor time (\(run.seconds) s of wall time)")
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("\(bomb):6:8: error[alias-budget-exceeded]"), "\(run)")
        #expect(run.stderr.contains("\(deep):2:70: error[nesting-too-deep]"), "\(run)")
        // libyaml names the byte that cannot continue the sequence started by 0xC3.
        #expect(run.stderr.contains("\(binary):1:5: error[invalid-encoding]: invalid trailing UTF-8 octet (byte 0x28)"), "\(run)")
        #expect(run.stderr.contains("\(empty):1:1: error[empty-file]"), "\(run)")
        #expect(run.stderr.contains("\(twoDocs):3:1: error[multiple-documents]"), "\(run)")
    }

    @Test func fileSizeLimitIsAnOption() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let big = try folder.write("big.yaml", "version: 1\n# " + String(repeating: "x", count: 1_100_000) + "\njobs: []\n")
        let run = try await BulkImport.run(["validate", "--max-file-size", "1", big])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(big):1:1: error[file-too-large]"), "\(run)")
        #expect(run.stderr.contains("--max-file-size"), "the fix names the option: \(run)")
        // Raised, the same file is read, and a problem in it is quoted under its line.
        let bad = try folder.write(
            "bad.yaml", "version: 1\n# " + String(repeating: "x", count: 1_100_000) + "\njobs:\n  - name: [a]\n")
        let raised = try await BulkImport.run(["validate", "--max-file-size", "2", bad])
        #expect(raised.status == 1)
        #expect(!raised.stderr.contains("file-too-large"), "\(raised)")
        #expect(raised.stderr.contains("\(bad):4:"), "\(raised)")
        #expect(raised.stderr.contains("  - name: [a]"), "the line is quoted: \(raised)")
    }

    @Test func windowsLineEndingsAndAByteOrderMarkKeepLocations() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text =
            "\u{FEFF}version: 1\r\njobs:\r\n  - name: crlf\r\n    target: {milvus: {uri: http://localhost:19530}}\r\n    collection_name: c\r\n    files: [readme.txt]\r\n"
        let path = try folder.write("crlf.yaml", text)
        let run = try await BulkImport.run(["validate", "--format", "json", path])
        #expect(run.status == 1)
        let diagnostics = try #require(try parseJSONObject(run.stdout)["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 1, "\(run)")
        #expect(diagnostics.first?["code"] as? String == "unsupported-extension")
        #expect(diagnostics.first?["line"] as? Int == 6)
        #expect(diagnostics.first?["column"] as? Int == 13)
    }

    /// Output far larger than a pipe's buffer on both streams: the runner must read while the
    /// process writes, and the tool must write it all.
    @Test func largeOutputIsWrittenWhole() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var text =
            "version: 1\ntargets:\n  local:\n    milvus:\n      uri: http://localhost:19530\ndefaults:\n  target: local\n  collection_name: c\njobs:\n"
        for i in 0..<3_000 { text += "  - name: job-\(i)\n    files: [data/file-\(i).txt]\n" }
        let path = try folder.write("many.yaml", text)
        let run = try await BulkImport.run(["validate", path])
        #expect(run.status == 1)
        #expect(run.stderr.components(separatedBy: "error[unsupported-extension]").count == 3_001)
        #expect(run.stderr.hasSuffix("invalid: 3000 errors, 0 warnings (3000 jobs in 1 file)\n"), "\(run.stderr.suffix(200))")
        let json = try await BulkImport.run(["validate", "--format", "json", path])
        #expect((try parseJSONObject(json.stdout)["diagnostics"] as? [Any])?.count == 3_000)
    }
}

@Suite("bulk-import plan and schema")
struct PlanCommandTests {
    /// Parses the JSON the plan prints. The plan must be ONE JSON object; if something else is
    /// printed around it, that is recorded and the plan object is still checked.
    static func planJSON(_ run: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        if let object = try? parseJSONObject(run.stdout, sourceLocation: sourceLocation) { return object }
        Issue.record("plan --format json printed more than one JSON value:\n\(run.stdout.prefix(400))", sourceLocation: sourceLocation)
        let start = try #require(run.stdout.range(of: "{\n  \"jobs\":"), sourceLocation: sourceLocation)
        return try parseJSONObject(String(run.stdout[start.lowerBound...]), sourceLocation: sourceLocation)
    }

    @Test func planQuickstartPrintsTheMilvusCreateRequest() async throws {
        let run = try await BulkImport.run(["plan", "examples/quickstart.yaml", "--format", "json"], environment: secretEnvironment)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        let root = try Self.planJSON(run)
        let jobs = try #require(root["jobs"] as? [[String: Any]])
        #expect(jobs.compactMap { $0["name"] as? String } == ["quickstart-books", "quickstart-embeddings"])
        let books = jobs[0]
        #expect(books["target"] as? String == "local")
        #expect(books["api"] as? String == "milvus-v2")
        let request = try #require(books["request"] as? [String: Any])
        #expect(request["method"] as? String == "POST")
        #expect(request["url"] as? String == "http://localhost:19530/v2/vectordb/jobs/import/create")
        #expect(
            request["headers"] as? [String: String] == [
                "Authorization": "Bearer <redacted>",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": "bulk-import/0.1.0",
                "Request-Timeout": "60",
                // The key run sends: the job's first sending (JobDigestTests pins the digest's form).
                "Idempotency-Key": "bulk-import-715d7bfd1e8e7b5eb0dbd53e78bbb8a82e9ad784",
            ])
        #expect(books["run"] as? String == "send")
        let body = try #require(request["body"] as? [String: Any])
        let bodyJSON = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        #expect(
            String(decoding: bodyJSON, as: UTF8.self)
                == #"{"collectionName":"books","files":[["quickstart\/books\/part-0001.json"],["quickstart\/books\/part-0002.json"]],"options":{"timeout":"300s"}}"#
        )
        expectNoSecrets(run, "plan --format json")
    }

    @Test func planHonoursRequestTimeout() async throws {
        let run = try await BulkImport.run(
            ["plan", "examples/quickstart.yaml", "--request-timeout", "600"], environment: secretEnvironment)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("  Request-Timeout: 600\n"))
    }

    @Test func planTextListsRequests() async throws {
        let run = try await BulkImport.run(["plan", "examples/"], environment: secretEnvironment)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        #expect(
            run.stdout.contains(
                "job quickstart-books  (examples/quickstart.yaml:21:5)  → local [milvus-v2]\n  POST http://localhost:19530/v2/vectordb/jobs/import/create\n  Authorization: Bearer <redacted>\n"
            ))
        #expect(run.stdout.contains("  POST https://controller.api.gcp-us-west1.zillizcloud.com/v1/vector/collections/import\n"))
        #expect(run.stdout.contains("  POST http://milvus-legacy.internal:9091/api/v1/import\n"))
        #expect(run.stdout.contains("\"accessKey\": \"<redacted>\""))
        #expect(matches(run.stdout.split(separator: "\n").last ?? "", #"\d+ jobs planned; nothing was sent\."#))
        expectNoSecrets(run, "plan")
    }

    @Test func planFailsOnAnUnsetVariable() async throws {
        var environment = secretEnvironment
        environment["MILVUS_TOKEN"] = nil
        let run = try await BulkImport.run(["plan", "examples/quickstart.yaml"], environment: environment)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("examples/quickstart.yaml:17:14: error[unset-variable]: token uses $<MILVUS_TOKEN>"), "\(run)")
    }

    @Test func planFailsOnAnInvalidManifest() async throws {
        let run = try await BulkImport.run(["plan", "--format", "json", "examples/invalid/bad-uri.yaml"], environment: secretEnvironment)
        #expect(run.status == 1, "\(run)")
        #expect(!run.stdout.contains("\"jobs\""))
    }

    @Test func schemaPrintsTheSchemaFile() async throws {
        let run = try await BulkImport.run(["schema"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let file = try String(contentsOf: BulkImport.packageRoot.appendingPathComponent("schemas/manifest.schema.json"), encoding: .utf8)
        #expect(run.stdout == file)
        #expect(try parseJSONObject(run.stdout)["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
    }
}
