import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `MILVUS_TOKEN=a` made `plan` print `Authoriz<redacted>tion` and `validate --format json` print
/// `f<redacted>lse`: the finished output was masked by value. Output is now built from redacted
/// values, and a secret too short to mask in free text is left alone, with one warning that names
/// its variable.
@Suite("Short secrets", .serialized)
struct ShortSecretTests {
    static let secrets = ["a", "\"", "\\", "e", "true", "1", "{", " ", ":", "%", ","]
    /// Secrets long enough to mask that look like the output's own syntax and words: masking a
    /// finished document by value broke it on these too.
    static let lookalikes = ["\"valid\"", "\": false, ", "Authorization", "planned", "warning"]
    /// Tokens an HTTP header cannot carry: refused by validation (`invalid-variable`), in output
    /// that stays valid and shows them nowhere.
    static let unsendable = ["\n", "\": false,\n", "root:Milvus\r", "a\u{1B}[31m"]
    /// What each command prints with a secret long enough to mask: the outputs with a short one
    /// must be the same, but for the warning, so the short secret shows nowhere it does not there.
    static let baseline = "root:Long-Baseline-Token-77"

    /// Runs the same command with `secret` and with the baseline secret.
    static func compare(_ arguments: [String], secret: String) async throws -> (ProcessResult, ProcessResult) {
        let run = try await BulkImport.run(arguments, environment: ["MILVUS_TOKEN": secret])
        let base = try await BulkImport.run(arguments, environment: ["MILVUS_TOKEN": baseline])
        return (run, base)
    }

    static func lines(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

    @Test(arguments: secrets + lookalikes)
    func everyFormatStaysValidAndShowsTheSecretNowhereNew(secret: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let valid = try folder.write("valid.yaml", OutputFormatTests.valid)
        let invalid = try folder.write("invalid.yaml", OutputFormatTests.invalid)
        var commands: [[String]] = []
        for manifest in [valid, invalid] {
            for format in ["text", "json", "github", "sarif"] { commands.append(["validate", "--format", format, manifest]) }
            for format in ["text", "json"] { commands.append(["plan", "--format", format, manifest]) }
        }
        for arguments in commands {
            let (run, base) = try await Self.compare(arguments, secret: secret)
            let what = "\(arguments.dropLast().joined(separator: " ")) \(arguments.last == valid ? "valid" : "invalid")"
            #expect(run.status == base.status, "\(what): \(run)")
            #expect(run.stdout == base.stdout, "\(what):\n\(run.stdout)\n--- with a long secret:\n\(base.stdout)")
            let warnings = Self.lines(run.stderr).filter { $0.hasPrefix("warning: $<MILVUS_TOKEN> holds a value shorter than 6") }
            #expect(warnings.count == (secret.unicodeScalars.count < 6 ? 1 : 0), "\(what): \(run.stderr)")
            #expect(Self.lines(run.stderr).filter { !warnings.contains($0) } == Self.lines(base.stderr), "\(what): \(run.stderr)")
            if arguments[2] == "json" || arguments[2] == "sarif" { _ = try parseJSONObject(run.stdout) }
            let output = run.stdout + run.stderr
            #expect(output.firstMatch(of: /[A-Za-z0-9_]<redacted>|<redacted>[A-Za-z0-9_]/) == nil, "\(what): \(output)")
        }
    }

    @Test(arguments: unsendable)
    func aTokenWithAControlCharacterIsRefusedInEveryFormat(secret: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let valid = try folder.write("valid.yaml", OutputFormatTests.valid)
        for format in ["text", "json", "github", "sarif"] {
            let run = try await BulkImport.run(["validate", "--format", format, valid], environment: ["MILVUS_TOKEN": secret])
            #expect(run.status == 1, "\(format): \(run)")
            #expect(run.output.contains("invalid-variable"), "\(format): \(run)")
            if format == "json" || format == "sarif" { _ = try parseJSONObject(run.stdout) }
            if secret.hasPrefix("root:") { #expect(!run.output.contains("root:Milvus"), "\(format): \(run)") }
        }
    }

    /// `run`, `status` and `list` in JSON with a short token the server accepts: every line parses.
    /// (A line break cannot be sent in a header at all.)
    @Test(arguments: ["a", "\"", "{", "\\"])
    func runStatusAndListStayValidJSON(secret: String) async throws {
        var configuration = ImportTestServerConfiguration()
        configuration.token = secret
        configuration.jobTimeline = .polls(1)
        let started = configuration
        try await withOpened({ try await ImportTestServer.start(configuration: started) }, close: { try await $0.shutdown() }) {
            server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try folder.write(
                "m.yaml", OutputFormatTests.valid.replacing("http://localhost:19530", with: server.baseURL))
            let url = folder.url
            let environment = ["MILVUS_TOKEN": secret]
            for arguments in [
                ["run", manifest, "--wait", "--poll-interval", "0.05", "--format", "json"], ["status", manifest, "--format", "json"],
            ] {
                let run = try await offThePool { try BulkImport.run(arguments, environment: environment, in: url) }
                #expect(run.status == 0, "\(arguments): \(run)")
                for line in run.stdout.split(separator: "\n") { _ = try parseJSONObject(String(line)) }
                #expect(run.stdout.contains("\"event\":\"summary\""), "\(run)")
                #expect(run.output.firstMatch(of: /[A-Za-z0-9_]<redacted>|<redacted>[A-Za-z0-9_]/) == nil, "\(run)")
                #expect(run.stderr.contains("warning: $<MILVUS_TOKEN> holds a value shorter than 6"), "\(run)")
            }
            let list = try await offThePool {
                try BulkImport.run(["list", "local", manifest, "--format", "json"], environment: environment, in: url)
            }
            #expect(list.status == 0, "\(list)")
            _ = try parseJSONObject(list.stdout)
        }
    }
}
