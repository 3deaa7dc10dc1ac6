import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `--log-level` and `BULK_IMPORT_LOG_LEVEL`: what was sent and received, on stderr only, with
/// every secret masked (the built binary against the loopback test double).
@Suite("logs: --log-level", .serialized)
struct LoggingTests {
    /// The test server's token, which the Milvus and Zilliz targets both send; the storage keys hold
    /// characters JSON escapes on the wire (`"`, `\`, `/`), so masking the wire text would miss them.
    static let environment: [String: String] = [
        "MILVUS_TOKEN": "root:s3cr3t-VALUE-101",
        "AWS_ACCESS_KEY_ID": "s3cr3t-VALUE-104",
        "AWS_SECRET_ACCESS_KEY": #"s3cr3t-VALUE-1"05\/x"#,
    ]

    static func manifest(_ server: ImportTestServer) -> String {
        """
        version: 1
        targets:
          local:
            milvus:
              uri: \(server.baseURL)
              token: $<MILVUS_TOKEN>
          cloud:
            zilliz:
              url: \(server.baseURL)
              api_key: $<MILVUS_TOKEN>
              cluster_id: in01-0123456789abcdef
        jobs:
          - {name: milvus-a, target: local, collection_name: products, files: [data/a.parquet]}
          - {name: milvus-b, target: local, collection_name: products, files: [data/b.parquet]}
          - name: zilliz-c
            target: cloud
            collection_name: products
            object_url: s3://bucket/c/
            access_key: $<AWS_ACCESS_KEY_ID>
            secret_key: $<AWS_SECRET_ACCESS_KEY>

        """
    }

    static func withWorkspace<T>(
        faults: [Fault] = [], _ body: (ImportTestServer, TemporaryFolder, String) async throws -> T
    ) async throws -> T {
        var configuration = ImportTestServerConfiguration()
        configuration.token = environment["MILVUS_TOKEN"]
        configuration.jobTimeline = .polls(2)
        configuration.faults = faults
        let started = configuration
        return try await withOpened({ try await ImportTestServer.start(configuration: started) }, close: { try await $0.shutdown() }) {
            server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try folder.write("imports.yaml", manifest(server))
            return try await body(server, folder, manifest)
        }
    }

    static func run(_ arguments: [String], in folder: TemporaryFolder, environment extra: [String: String] = [:]) async throws
        -> ProcessResult
    {
        let directory = folder.url
        let environment = Self.environment.merging(extra) { $1 }
        return try await offThePool { try BulkImport.run(arguments, environment: environment, in: directory) }
    }

    /// No secret of ``environment``, nor any recognisable part of one, in `text`.
    static func expectNoSecret(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, value) in environment {
            #expect(!text.contains(value), "the value of \(name) was printed:\n\(text)", sourceLocation: sourceLocation)
        }
        #expect(
            !text.contains("s3cr3t") && !text.contains("VALUE-1"), "part of a secret was printed:\n\(text)", sourceLocation: sourceLocation)
    }

    /// The http lines of stderr, each as its message and its key=value fields.
    static func httpLines(_ stderr: String) -> [(message: String, fields: [String: String])] {
        stderr.split(separator: "\n").compactMap { line in
            guard let match = line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z debug (http \w+) (.*)/) else { return nil }
            var fields: [String: String] = [:]
            var rest = Substring(match.2)
            // `body` is last and unquoted; other values are single words here.
            if let body = rest.range(of: " body=") ?? (rest.hasPrefix("body=") ? rest.range(of: "body=") : nil) {
                fields["body"] = String(rest[body.upperBound...])
                rest = rest[..<body.lowerBound]
            }
            for pair in rest.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            return (String(match.1), fields)
        }
    }

    @Test func debugLogsEachRequestAndItsResponseOnStderrWithATraceIdAndNoSecret() async throws {
        try await Self.withWorkspace { server, folder, manifest in
            let run = try await Self.run(
                ["run", manifest, "--wait", "--poll-interval", "0.05", "--format", "json", "--log-level", "debug"], in: folder)
            #expect(run.status == 0, "\(run)")
            // stdout stays JSON lines, one document each, whatever is logged.
            let documents = try run.stdout.split(separator: "\n").map { try parseJSONObject(String($0)) }
            #expect(documents.last?["event"] as? String == "summary" && documents.last?["completed"] as? Int == 3, "\(run)")
            #expect(!run.stdout.contains("http request") && !run.stdout.contains("trace_id"))

            let lines = Self.httpLines(run.stderr)
            let requests = lines.filter { $0.message == "http request" }
            let responses = lines.filter { $0.message == "http response" }
            // At least the 3 creates and a progress read each; every request answered exactly once.
            #expect(requests.count >= 6 && requests.count == responses.count, "\(run.stderr)")
            #expect(await server.requests().count == requests.count, "one request line per request the server saw")
            let requestIDs = requests.compactMap { $0.fields["trace_id"] }
            #expect(Set(requestIDs).count == requests.count && requestIDs.allSatisfy { $0.wholeMatch(of: /[0-9a-f]{16}/) != nil })
            #expect(Set(responses.compactMap { $0.fields["trace_id"] }) == Set(requestIDs))
            for response in responses {
                #expect(response.fields["status"] == "200" && response.fields["duration_ms"]?.wholeMatch(of: /\d+/) != nil, "\(response)")
                #expect(response.fields["method"] == "POST" && response.fields["url"]?.hasPrefix(server.baseURL) == true)
            }
            let creates = requests.filter { $0.fields["url"]?.hasSuffix("/v2/vectordb/jobs/import/create") == true }
            #expect(creates.count == 3)
            let zilliz = try #require(creates.first { $0.fields["body"]?.contains("clusterId") == true }, "\(run.stderr)")
            let body = try parseJSONObject(try #require(zilliz.fields["body"]))
            #expect(body["accessKey"] as? String == "<redacted>" && body["secretKey"] as? String == "<redacted>", "\(body)")
            // Credentials travel in headers, which are never logged.
            #expect(!run.stderr.contains("Bearer") && !run.stderr.lowercased().contains("authorization"))
            Self.expectNoSecret(run.output + folder.writtenText())
        }
    }

    @Test func aRequestThatGetsNoAnswerIsLoggedAsAFailureUnderItsTraceId() async throws {
        let drop = Fault(.dropConnection(afterProcessing: false), times: 1, path: "/v2/vectordb/jobs/import/describe")
        try await Self.withWorkspace(faults: [drop]) { _, folder, manifest in
            let run = try await Self.run(
                ["run", manifest, "--wait", "--poll-interval", "0.05", "--format", "json", "--log-level", "debug"], in: folder)
            #expect(run.status == 0, "\(run)")
            let lines = Self.httpLines(run.stderr)
            let failures = lines.filter { $0.message == "http failure" }
            #expect(failures.count == 1, "\(run.stderr)")
            let failure = try #require(failures.first)
            #expect(failure.fields["url"]?.hasSuffix("/v2/vectordb/jobs/import/describe") == true)
            #expect(failure.fields["duration_ms"]?.wholeMatch(of: /\d+/) != nil)
            #expect(run.stderr.contains("error=\""), "the reason is quoted on the line: \(run.stderr)")
            let request = lines.filter { $0.message == "http request" && $0.fields["trace_id"] == failure.fields["trace_id"] }
            #expect(request.count == 1)
            #expect(!lines.contains { $0.message == "http response" && $0.fields["trace_id"] == failure.fields["trace_id"] })
            Self.expectNoSecret(run.output)
        }
    }

    @Test func theLevelComesFromTheOptionThenTheEnvironmentAndIsInfoByDefault() async throws {
        try await Self.withWorkspace { _, folder, manifest in
            let quiet = try await Self.run(["run", manifest, "--format", "json"], in: folder)
            #expect(quiet.status == 0, "\(quiet)")
            #expect(Self.httpLines(quiet.stderr).isEmpty, "info is the default: \(quiet.stderr)")

            let fromEnvironment = try await Self.run(["status", manifest], in: folder, environment: ["BULK_IMPORT_LOG_LEVEL": "debug"])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
            #expect(Self.httpLines(fromEnvironment.stderr).contains { $0.message == "http response" }, "\(fromEnvironment)")

            // The option wins, even over a variable that is not a level.
            for variable in ["debug", "LOUD"] {
                let option = try await Self.run(
                    ["status", manifest, "--log-level", "warning"], in: folder, environment: ["BULK_IMPORT_LOG_LEVEL": variable])
                #expect(option.status == 0, "\(option)")
                #expect(Self.httpLines(option.stderr).isEmpty, "\(option.stderr)")
            }
            Self.expectNoSecret(quiet.output + fromEnvironment.output)
        }
    }

    @Test(arguments: [(["--log-level", "verbose"], [String: String]()), ([], ["BULK_IMPORT_LOG_LEVEL": "verbose"])])
    func anUnknownLevelIsAUsageErrorNamingTheLevels(arguments: [String], environment: [String: String]) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let manifest = try folder.write(
            "m.yaml",
            "version: 1\ntargets: {t: {milvus: {uri: http://127.0.0.1:9}}}\njobs: [{name: j, target: t, collection_name: c, files: [a.json]}]\n"
        )
        for command in ["run", "status"] {
            let run = try await Self.run([command, manifest] + arguments, in: folder, environment: environment)
            #expect(run.status == 64, "\(run)")
            for level in ["trace", "debug", "info", "notice", "warning", "error", "critical"] {
                #expect(run.stderr.contains(level), "\(run)")
            }
            #expect(run.stderr.contains("verbose"))
            #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(".bulk-import").path), "nothing ran")
        }
    }

    @Test func urlsLoseUserInfoAndCredentialQueryValues() {
        let log = RequestLogger.disabled
        #expect(
            log.maskedURL("https://user:pw@example.com:8443/v1/jobs?token=abc&jobId=42&X-Amz-Signature=f00&api_key=k#frag")
                == "https://<redacted>@example.com:8443/v1/jobs?token=<redacted>&jobId=42&X-Amz-Signature=<redacted>&api_key=<redacted>#frag"
        )
        #expect(
            log.maskedURL("http://127.0.0.1:19530/v2/vectordb/jobs/import/create")
                == "http://127.0.0.1:19530/v2/vectordb/jobs/import/create")
        // An @ in the path is not user info.
        #expect(log.maskedURL("http://host/a@b?x=1") == "http://host/a@b?x=1")
        // The run's secrets are masked wherever they are.
        let secret = RequestLogger(logger: log.logger, redactor: Redactor(secrets: ["hunter2"]))
        #expect(secret.maskedURL("http://host/hunter2/x") == "http://host/<redacted>/x")
    }

    @Test func bodiesAreMaskedByValueAndByFieldNameAndClippedToOneLine() {
        let log = RequestLogger(logger: RequestLogger.disabled.logger, redactor: Redactor(secrets: [#"se"cr\et"#]), bodyLimit: 80)
        // The secret as JSON escapes it on the wire, and a credential field nobody declared secret.
        let wire = Array(#"{"name":"x-se\"cr\\et-y","nested":{"sessionToken":"abc","rows":3},"note":"a\nb"}"#.utf8)
        let masked = log.maskedBody(wire)
        #expect(masked == #"{"name":"x-<redacted>-y","nested":{"sessionToken":"<redacted>","rows":3},"note":"a\nb"}"#.clipped(to: 80))
        #expect(!masked.contains("\n") && !masked.contains("abc"))
        // Not JSON: masked as text, escaped onto one line and clipped.
        let text = log.maskedBody(Array(("<html>se\"cr\\et\n" + String(repeating: "x", count: 500)).utf8))
        #expect(text.hasPrefix("<html><redacted>\\n") && text.hasSuffix("(517 characters)"), "\(text)")
    }
}

extension TemporaryFolder {
    /// Every file the tool wrote into the folder, as text.
    func writtenText() -> String {
        var text = ""
        let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if let data = try? Data(contentsOf: file) { text += String(decoding: data, as: UTF8.self) }
        }
        return text
    }
}
