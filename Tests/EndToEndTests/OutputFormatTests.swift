import Foundation
import TestSupport
import Testing

/// What each command writes in each format, its exit codes, and how big its output may get: the
/// built binary, as CI runs it.
@Suite("Output formats and exit codes", .serialized)
struct OutputFormatTests {
    static let environment = ["MILVUS_TOKEN": "root:format-TOKEN-77"]

    static let valid = """
        version: 1
        targets:
          local:
            milvus:
              uri: http://localhost:19530
              token: $<MILVUS_TOKEN>
        jobs:
          - name: articles
            target: local
            collection_name: articles
            files: [a/1.parquet]
          - name: authors
            target: local
            collection_name: authors
            files: [a/2.parquet]

        """

    static let invalid = """
        version: 1
        targets:
          local:
            milvus:
              uri: http://localhost:19530
              token: $<MILVUS_TOKEN>
        jobs:
          - name: articles
            target: local
            collection_nam: articles
            files: [a/1.parquet]

        """

    /// `bulk-import` alone printed its help and exited 0, so a script that lost its command passed.
    @Test func noCommandIsAUsageError() async throws {
        let run = try await BulkImport.run([], environment: Self.environment)
        #expect(run.status == 64, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("USAGE: bulk-import <subcommand>"), "\(run)")
    }

    /// `--format` was taken by every command and honoured only for diagnostics: `plan --format
    /// sarif` printed text. Each command takes the formats it writes and refuses the others.
    @Test(arguments: [
        (["plan", "m.yaml"], ["sarif"], "`plan` writes --format text, json or github"),
        (["run", "m.yaml"], ["github", "sarif"], "`run` writes --format text or json"),
        (["status", "m.yaml"], ["github", "sarif"], "`status` writes --format text or json"),
        (["list", "local", "m.yaml"], ["github", "sarif"], "`list` writes --format text or json"),
        (["resolve", "articles", "m.yaml", "--not-created"], ["json", "github", "sarif"], "`resolve` writes --format text,"),
    ])
    func aFormatACommandCannotWriteIsAUsageError(arguments: [String], refused: [String], message: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("m.yaml", Self.valid)
        for format in refused {
            let run = try await BulkImport.run(arguments + ["--format", format], environment: Self.environment, in: folder.url)
            #expect(run.status == 64, "\(arguments) --format \(format): \(run)")
            let expected = message.hasSuffix(",") ? "writes --format text, not '\(format)'" : "\(message), not '\(format)'"
            #expect(run.stderr.contains(expected), "\(run)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test(arguments: ["text", "json", "github", "sarif"])
    func validateWritesEveryFormat(format: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("m.yaml", Self.valid)
        let run = try await BulkImport.run(["validate", "--format", format, path], environment: Self.environment)
        #expect(run.status == 0, "\(run)")
        if format == "json" || format == "sarif" { _ = try parseJSONObject(run.stdout) }
        if format == "github" { #expect(run.stdout.hasSuffix("(2 jobs in 1 file)\n"), "\(run)") }
    }

    /// The one job with a bad name was not counted: "(0 jobs in 1 file)". Jobs count as declared.
    @Test(arguments: ["text", "json", "github"])
    func aJobWithABadNameStillCounts(format: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("m.yaml", Self.valid.replacing("name: authors", with: "name: \"bad name\""))
        let run = try await BulkImport.run(["validate", "--format", format, path], environment: Self.environment)
        #expect(run.status == 1, "\(run)")
        switch format {
        case "json": #expect(try parseJSONObject(run.stdout)["jobCount"] as? Int == 2)
        case "github": #expect(run.stdout.hasSuffix("(2 jobs in 1 file)\n"), "\(run)")
        default: #expect(run.stderr.hasSuffix("(2 jobs in 1 file)\n"), "\(run)")
        }
    }

    /// `plan --format json` on a bad manifest wrote its JSON to stderr. JSON always goes to stdout:
    /// one document, the diagnostics, and exit 1.
    @Test(arguments: ["plan", "run", "status"])
    func aBadManifestInJSONIsOneDocumentOnStdout(command: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("bad.yaml", Self.invalid)
        let run = try await BulkImport.run([command, "--format", "json", path], environment: Self.environment)
        #expect(run.status == 1, "\(run)")
        let document = try parseJSONObject(run.stdout)
        #expect(document["valid"] as? Bool == false)
        #expect((document["diagnostics"] as? [Any])?.isEmpty == false)
        #expect(!run.stderr.contains("{"), "\(run)")
    }

    /// Warnings of a manifest that passes go to stderr as text: stdout holds the plan alone.
    @Test func warningsOfAPassingManifestLeaveThePlanAloneOnStdout() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("m.yaml", Self.valid + "    options: {zzz: \"1\"}\n")
        let run = try await BulkImport.run(["plan", "--format", "json", path], environment: Self.environment)
        #expect(run.status == 0, "\(run)")
        #expect(try parseJSONObject(run.stdout)["jobs"] != nil)
        #expect(run.stderr.contains("warning[unknown-option]"), "\(run)")
    }

    /// `plan --format github` printed text: its diagnostics are annotations, above the plan.
    @Test func planWritesItsDiagnosticsAsGitHubAnnotations() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let warned = try folder.write("w.yaml", Self.valid + "    options: {zzz: \"1\"}\n")
        let invalid = try folder.write("bad.yaml", Self.invalid)
        let passing = try await BulkImport.run(["plan", "--format", "github", warned], environment: Self.environment)
        #expect(passing.status == 0, "\(passing)")
        #expect(passing.stdout.hasPrefix("::warning file="), "\(passing)")
        #expect(passing.stdout.contains("2 jobs planned; nothing was sent."))
        let failing = try await BulkImport.run(["plan", "--format", "github", invalid], environment: Self.environment)
        #expect(failing.status == 1, "\(failing)")
        #expect(failing.stdout.hasPrefix("::error file="), "\(failing)")
        #expect(!failing.stdout.contains("planned"))
    }

    /// A `--job` glob that matched nothing exited 0, so a typo in CI ran nothing and passed.
    @Test func aJobPatternThatMatchesNothingIsAUsageErrorThatSuggestsNames() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("m.yaml", Self.valid)
        for patterns in [["--job", "artcles"], ["--job", "auth*", "--job", "artcles"]] {
            let run = try await BulkImport.run(["run", path] + patterns, environment: Self.environment)
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains("--job 'artcles' matches no job of the manifests; did you mean 'articles'?"), "\(run)")
            #expect(run.stdout.isEmpty)
        }
        let far = try await BulkImport.run(["run", path, "--job", "zzzzzzzzzzzz"], environment: Self.environment)
        #expect(far.status == 64)
        #expect(far.stderr.contains("the jobs are 'articles', 'authors'"), "\(far)")
    }

    /// One hostile value (a 1 MB job name, collection, path, url, target or variable name, or a
    /// mapping of 10,000 keys) made output of hundreds of megabytes. Every format stays under 64 KB.
    @Test(arguments: ["name", "target", "collection", "partition", "file", "url", "variable", "options", "defaults"])
    func oneHostileValueKeepsEveryOutputSmall(kind: String) async throws {
        let huge = String(repeating: "x", count: 1_000_000)
        var text = Self.valid.replacing("name: authors", with: "name: authors\n    partition_name: p")
        switch kind {
        case "name": text = text.replacing("name: articles", with: "name: \(huge)")
        case "target": text = text.replacing("local", with: huge)
        case "collection": text = text.replacing("collection_name: articles", with: "collection_name: \(huge)")
        case "partition": text = text.replacing("partition_name: p", with: "partition_name: \(huge)")
        case "file": text = text.replacing("a/1.parquet", with: "a/\(huge).parquet")
        case "url": text = text.replacing("http://localhost:19530", with: "http://localhost:19530/\(huge)")
        case "variable": text = text.replacing("$<MILVUS_TOKEN>", with: "$<\(huge)>")
        case "options": text += "    options:\n" + (0..<10_000).map { "      k\($0): v\n" }.joined()
        default: text += "defaults:\n" + (0..<10_000).map { "  k\($0): v\n" }.joined()
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("hostile.yaml", text)
        let runs = [
            ["validate", "--format", "text"], ["validate", "--format", "json"], ["validate", "--format", "github"],
            ["validate", "--format", "sarif"], ["plan", "--format", "text"], ["plan", "--format", "json"],
        ]
        for arguments in runs {
            let run = try await BulkImport.run(arguments + [path], environment: Self.environment, timeout: 120)
            #expect(run.status == 0 || run.status == 1, "\(arguments): \(run.stderr.prefix(2000))")
            let size = run.stdout.utf8.count + run.stderr.utf8.count
            #expect(size < 64 * 1024, "\(kind): \(arguments) printed \(size) bytes")
            if arguments.last == "json" || arguments.last == "sarif" { _ = try parseJSONObject(run.stdout) }
        }
    }
}
