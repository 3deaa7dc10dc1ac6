import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

/// Issue 11, "messages that lead somewhere": hostile values stay small in every message, one root
/// cause gives one error, fixes suggest only what is allowed, and names, YAML 1.1 look-alikes and
/// misplaced keys are caught with the fix that helps.
@Suite("Validation: messages that lead somewhere")
struct MessageQualityTests {
    // MARK: Hostile values are clipped everywhere

    /// Every value quoted in a message, fix, job or path of one manifest with several huge values:
    /// the whole report, in every format, stays under 64 KB.
    @Test func hugeValuesGiveSmallOutputInEveryFormat() throws {
        let huge = String(repeating: "a", count: 2_000_000)
        let text = """
            version: 1
            state: \(huge)/
            targets:
              local:
                milvus:
                  uri: http://\(huge) x
              ok:
                milvus:
                  uri: http://localhost:19530
            jobs:
              - name: \(huge)
                target: local
              - name: b
                target: \(huge)b
              - name: c
                target: ok
                collection_name: \(huge)-
                partition_name: \(huge) q
                db_name: x\(huge)$<\(huge)>
                files: [\(huge), s3://\(huge)/k.parquet, \(huge).exe]
                options: {timeout: \(huge), \(String(repeating: "k", count: 1000)): 1}
            """
        let outcome = check(text)
        let expected: Set<DiagnosticCode> = [
            .invalidState, .invalidURL, .invalidName, .undefinedTarget, .nameRefused, .unsupportedExtension, .notBucketRelative,
            .invalidDuration, .unsetVariable, .unknownOption,
        ]
        #expect(Set(outcome.codes).isSuperset(of: expected), "\(outcome.codes)")
        for d in outcome.diagnostics {
            #expect(d.message.utf8.count < 1_000, "\(d.code): \(d.message.prefix(300))")
            #expect((d.fix ?? "").utf8.count < 1_000, "\(d.code): \(d.fix?.prefix(300) ?? "")")
            #expect((d.job ?? "").utf8.count < 200)
            #expect((d.path ?? "").utf8.count < 700)
        }
        let sources = SourceCache()
        sources.add(text, as: "manifest.yaml")
        for format in ReportFormat.allCases {
            let output = format.reporter(sources: sources).render(outcome.diagnostics, summary: outcome.summary)
            #expect(output.stdout.utf8.count + output.stderr.utf8.count < 64 << 10, "\(format)")
        }
    }

    /// A job or target name is at most 255 characters: a hostile name stops at the decoder.
    @Test func namesAreBounded() throws {
        let long = String(repeating: "n", count: 256)
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]").replacing("job-1", with: long))
        let diagnostic = try #require(outcome.diagnostics(.invalidName).first, "\(outcome.listing)")
        #expect(diagnostic.message.contains("256 bytes long"))
        #expect(
            check(
                milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]").replacing(
                    "job-1", with: String(long.dropFirst()))
            ).diagnostics.isEmpty)
        let job = try SchemaTests.definition("job")
        #expect(((job["properties"] as? [String: Any])?["name"] as? [String: Any])?["maxLength"] as? Int == Manifest.maxNameLength)
    }

    /// A hostile mapping of 20,000 unknown keys: 50 reports of the code and a note, all counted,
    /// and the output of every format stays under 64 KB.
    @Test func manyDiagnosticsOfOneCodeAreCappedAndCounted() throws {
        let keys = (0..<20_000).map { "k\($0): 1" }.joined(separator: ", ")
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {\(keys)}"))
        let shown = outcome.diagnostics(.unknownOption)
        #expect(shown.count == DiagnosticBag.maxPerCode)
        #expect(outcome.warningCount == 20_000)
        #expect(shown.last?.notes.last?.message == "19950 more unknown-option diagnostics in job 'job-1' are not shown")
        // One problem in each of many jobs is shown for every job.
        var many = ManifestBuilder().milvus().defaults("target: local\ncollection_name: c")
        for i in 0..<120 { many = many.job("j\(i)", "files: [f\(i).txt]") }
        #expect(check(many.text).diagnostics(.unsupportedExtension).count == 120)
        for format in ReportFormat.allCases {
            let output = format.reporter().render(outcome.diagnostics, summary: outcome.summary)
            #expect(output.stdout.utf8.count + output.stderr.utf8.count < 64 << 10, "\(format)")
        }
    }

    /// "Did you mean" is an edit distance, quadratic in the word: a huge word gets no suggestion,
    /// and gets it at once.
    @Test func suggestionsSkipHugeWords() {
        #expect(Spelling.closest(to: String(repeating: "x", count: 5_000_000), in: ["timeout", "sep"]) == nil)
        #expect(Spelling.closest(to: "timeout" + String(repeating: "t", count: 100), in: ["timeout"]) == nil)
        #expect(Spelling.closest(to: "timout", in: ["timeout"]) == "timeout")
        let huge = String(repeating: "x", count: 1_000_000)
        let outcome = check(milvusManifest(job: "target: \(huge)\ncollection_name: c\nfiles: [a.parquet]"))
        let diagnostic = outcome.diagnostics(.undefinedTarget).first
        #expect(diagnostic?.fix?.contains("did you mean") == false)
        #expect(diagnostic.map { $0.message.contains("… (1000000 characters)") } == true)
    }

    // MARK: One root cause, one error

    /// `uri:` level with `milvus:` instead of under it: one error that says so, and the fields are
    /// read as the target's, so no job hears that 'local' is not defined.
    @Test func fieldsIndentedOneLevelShortAreOneError() throws {
        let outcome = check(
            """
            version: 1
            targets:
              local:
                milvus:
                uri: http://localhost:19530
            jobs:
              - name: a
                target: local
                collection_name: c
                files: [a.parquet]
              - name: b
                target: local
                collection_name: c
                files: [b.parquet]
            """)
        #expect(outcome.errors.count == 1, "\(outcome.listing)")
        let diagnostic = try #require(outcome.errors.first)
        #expect(diagnostic.location.line == 4)
        #expect(diagnostic.message.contains("`uri:`"))
        #expect(diagnostic.fix?.contains("indent") == true)
        #expect(outcome.diagnostics(.undefinedTarget).isEmpty)
    }

    /// A target that is defined but cannot be read is not "not defined" in the jobs that use it,
    /// nor are the fields of a job or target "missing" when they are written with a bad value.
    @Test(arguments: [
        // A target whose body is not a mapping.
        ("targets:\n  local:\n    milvus: [x]\n", "target: local\ncollection_name: c\nfiles: [a.parquet]"),
        // A target with no kind.
        ("targets:\n  local:\n    milvs:\n      uri: http://localhost:19530\n", "target: local\ncollection_name: c\nfiles: [a.parquet]"),
        // targets is not a mapping.
        ("targets: [local]\n", "target: local\ncollection_name: c\nfiles: [a.parquet]"),
        // A target with an invalid name.
        (
            "targets:\n  'my target':\n    milvus:\n      uri: http://localhost:19530\n",
            "target: my target\ncollection_name: c\nfiles: [a.parquet]"
        ),
        // The uri written with a bad value is not also missing.
        ("targets:\n  local:\n    milvus:\n      uri: [http://localhost:19530]\n", "target: local\ncollection_name: c\nfiles: [a.parquet]"),
        // defaults that cannot be read: the jobs do not each lack their target and collection.
        ("targets:\n  local:\n    milvus:\n      uri: http://localhost:19530\ndefaults: [target]\n", "files: [a.parquet]"),
        // A job's target written with a bad value is not also missing.
        ("targets:\n  local:\n    milvus:\n      uri: http://localhost:19530\n", "target: [local]\ncollection_name: c\nfiles: [a.parquet]"),
    ])
    func oneRootCauseIsOneError(header: String, job: String) throws {
        let text = "version: 1\n" + header + "jobs:\n  - name: a\n" + job.split(separator: "\n").map { "    \($0)\n" }.joined()
        let outcome = check(text)
        #expect(outcome.errors.count == 1, "\(text)\n\(outcome.listing)")
        #expect(outcome.diagnostics(.undefinedTarget).isEmpty)
        #expect(outcome.diagnostics(.missingField).isEmpty, "\(outcome.listing)")
    }

    /// A broken target that names its kind: its jobs are still checked by kind, for their own
    /// problems only.
    @Test func jobsOfABrokenTargetAreStillCheckedByKind() throws {
        let outcome = check(
            "version: 1\ntargets:\n  local:\n    milvus: [x]\njobs:\n  - name: a\n    target: local\n    collection_name: c\n")
        #expect(Set(outcome.codes) == [.wrongType, .missingField], "\(outcome.listing)")
        #expect(outcome.diagnostics(.missingField).first?.path == "jobs[0].files")
    }

    @Test func hugeDuplicateKeyIsQuotedClipped() throws {
        let key = String(repeating: "k", count: 100_000)
        let outcome = check("version: 1\ndefaults:\n  ? \(key)\n  : 1\n  ? \(key)\n  : 2\njobs: [{name: a}]\n")
        let diagnostic = try #require(outcome.diagnostics(.duplicateKey).first, "\(outcome.listing.prefix(500))")
        #expect(diagnostic.message.utf8.count < 200)
        #expect(diagnostic.message.hasSuffix("(100000 characters)'"))
    }

    @Test func zillizFieldsWithBadValuesAreNotAlsoMissing() throws {
        let outcome = check(
            ManifestBuilder()
                .zilliz("cloud", "url: https://api.cloud.zilliz.com\napi_key: [x]\ncluster_id: [in01-x]")
                .job(
                    "a",
                    "target: cloud\ncollection_name: c\nobject_url: [s3://b/x/]\naccess_key: {a: b}\nsecret_key: $<AWS_SECRET_ACCESS_KEY>"
                )
                .text)
        #expect(outcome.diagnostics(.missingField).isEmpty, "\(outcome.listing)")
        #expect(outcome.errors.count == 4, "\(outcome.listing)")
    }

    /// A `<<` merge of a scalar is reported once; the fields it was meant to give are not then
    /// reported missing.
    @Test func brokenMergeIsOneError() throws {
        let outcome = check(
            """
            version: 1
            x-base: &base local
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
            jobs:
              - name: a
                <<: *base
                files: [a.parquet]
            """)
        #expect(outcome.codes == [.invalidMerge], "\(outcome.listing)")
    }

    /// A diagnostic's path is the full path from the manifest's root, and it names a job only for
    /// a value that belongs to that job.
    @Test func pathsAreFullAndValuesFromDefaultsBelongToNoJob() throws {
        let outcome = check(
            ManifestBuilder().zilliz("cloud", "url: https://api.cloud.zilliz.com\napi_key: $<UNSET_KEY>\ncluster_id: in01-x")
                .defaults("secret_key: $<UNSET_SECRET>\naccess_key: $<AWS_ACCESS_KEY_ID>")
                .job("articles", "target: cloud\ncollection_name: c\nfiles: [s3://b/x/, 'ftp://b/y']\noptions: {timeout: 5 minutes}")
                .text)
        let byPath = Dictionary(outcome.diagnostics.compactMap { d in d.path.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["defaults.secret_key"]?.job == nil, "\(outcome.diagnostics.map(\.path))")
        #expect(byPath["targets.cloud.zilliz.api_key"]?.job == nil)
        #expect(byPath["jobs[0].options.timeout"]?.job == "articles")
        // Paths a check gives relative to its job or target are made full too.
        let missing = check(ManifestBuilder().milvus("local", "token: $<MILVUS_TOKEN>").job("a", "target: local").text)
        #expect(
            Set(missing.diagnostics.compactMap(\.path)) == ["targets.local.milvus.uri", "jobs[0].collection_name", "jobs[0].files"],
            "\(missing.listing)")
        #expect(byPath["jobs[0].files[1]"]?.code == .invalidObjectURL || byPath["jobs[0].files[1]"] == nil)
    }

    // MARK: Fixes that are allowed

    /// An unset variable in a secret field must not suggest a fallback, which would be a plain-text
    /// secret (an error); in a plain field it may.
    @Test func unsetSecretSuggestsOnlyExporting() throws {
        let outcome = check(
            ManifestBuilder()
                .zilliz("cloud", "url: https://api.cloud.zilliz.com\napi_key: $<UNSET_API_KEY>\ncluster_id: in01-x")
                .job(
                    "a", "target: cloud\ncollection_name: $<UNSET_COLLECTION>\nobject_url: s3://b/x/\n" + ManifestBuilder.zillizCredentials
                )
                .text, environment: Environment(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]))
        let unset = outcome.diagnostics(.unsetVariable)
        let secret = try #require(unset.first { $0.message.contains("UNSET_API_KEY") }, "\(outcome.listing)")
        let plain = try #require(unset.first { $0.message.contains("UNSET_COLLECTION") })
        #expect(secret.fix?.contains(":-") == false, "\(secret.fix ?? "")")
        #expect(secret.fix?.contains("export UNSET_API_KEY") == true)
        #expect(plain.fix?.contains("$<UNSET_COLLECTION:-value>") == true)
        // Following the plain field's fix gives no error.
        let followed = check(
            ManifestBuilder().milvus().job("a", "target: local\ncollection_name: $<UNSET_COLLECTION:-value>\nfiles: [a.parquet]").text)
        #expect(followed.diagnostics.isEmpty, "\(followed.listing)")
    }

    /// A timeout without a unit is told to add one only where that gives a valid timeout.
    @Test(arguments: [("300", "add a unit: 300s"), ("1e3", nil), ("-5", nil), ("inf", nil)])
    func timeoutFixIsItselfValid(value: String, fix: String?) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timeout: '\(value)'}"))
        let diagnostic = try #require(outcome.diagnostics(.invalidDuration).first, "\(outcome.listing)")
        if let fix { #expect(diagnostic.fix == fix) } else { #expect(diagnostic.fix?.contains("add a unit") == false) }
    }

    // MARK: Names by the server's rules

    @Test(arguments: [
        ("collection_name", "my-collection", false), ("collection_name", "my_collection", true),
        ("collection_name", "_c1", true), ("collection_name", "'1abc'", false), ("collection_name", "'c d'", false),
        ("collection_name", "Ünïcode", false), ("collection_name", String(repeating: "a", count: 255), true),
        ("collection_name", String(repeating: "a", count: 256), false),
        ("partition_name", "'2024 q1'", false), ("partition_name", "'2024'", true), ("partition_name", "2024-q1", true),
        ("partition_name", "-p", false), ("partition_name", "p.1", false),
        ("db_name", "'prod db'", false), ("db_name", "prod_db", true), ("db_name", "prod-db", false),
        ("collection_name", "$<BAD_NAME>", false), ("collection_name", "$<GOOD_NAME>", true),
    ])
    func namesFollowTheServersRules(field: String, value: String, accepted: Bool) throws {
        let body = (field == "collection_name" ? "" : "collection_name: c\n") + "\(field): \(value)\ntarget: local\nfiles: [a.parquet]"
        let outcome = check(milvusManifest(job: body), environment: Environment(["BAD_NAME": "bad name", "GOOD_NAME": "good_name"]))
        if accepted {
            #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        } else {
            let diagnostic = try #require(outcome.diagnostics(.nameRefused).first, "\(outcome.listing)")
            #expect(outcome.errors.count == 1, "\(outcome.listing)")
            // The rule is in the message, the fix offers a name that follows it.
            #expect(diagnostic.message.contains("holds only letters, digits"))
            #expect(diagnostic.fix?.contains(value.hasPrefix("$<") ? "set BAD_NAME" : "e.g.") == true)
        }
    }

    /// The schema's name patterns and the validator agree on every sample.
    @Test func namePatternsAgreeWithTheValidator() throws {
        let job = try SchemaTests.definition("job")
        let properties = try #require(job["properties"] as? [String: Any])
        let samples = [
            "c", "_c", "C9_", "1c", "-c", "c-d", "c d", "c.d", "é", "2024", "2024-q1", "_", String(repeating: "a", count: 255),
            String(repeating: "a", count: 256), "$<NAME>",
        ]
        for (field, kind) in [("collection_name", ServerName.Kind.collection), ("partition_name", .partition), ("db_name", .database)] {
            let pattern = try #require((properties[field] as? [String: Any])?["pattern"] as? String, "\(field)")
            for sample in samples {
                let validator = ServerName.problem(with: sample, as: kind) == nil || sample.contains("$<")
                #expect(MiniJSONSchema.matches(sample, pattern: pattern) == validator, "\(field): \(sample)")
            }
        }
    }

    @Test func targetDatabaseNameIsChecked() throws {
        let outcome = check(
            ManifestBuilder().milvus("local", "uri: http://localhost:19530\ndb_name: prod db").job(
                "a", "target: local\ncollection_name: c\nfiles: [a.parquet]"
            ).text)
        #expect(outcome.codes == [.nameRefused], "\(outcome.listing)")
    }

    /// What is wrong with a name that holds a secret cannot be said without deriving text from the
    /// secret (a character, a corrected name), which masking would not catch: it is not checked.
    @Test func nameHoldingASecretIsNotDescribed() throws {
        let outcome = check(
            ManifestBuilder().milvus("local", "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>")
                .job("a", "target: local\ncollection_name: c_$<MILVUS_TOKEN>\nfiles: [a.parquet]").text)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let fromVariable = check(
            milvusManifest(job: "target: local\ncollection_name: $<BAD_NAME>\nfiles: [a.parquet]"),
            environment: Environment(["BAD_NAME": "bad name"]))
        let diagnostic = try #require(fromVariable.diagnostics(.nameRefused).first)
        #expect(diagnostic.fix == "set BAD_NAME so that collection_name follows the rule")
    }

    @Test func unsetVariableInANameIsNotCheckedAsAName() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: $<NOT_SET>\nfiles: [a.parquet]"))
        #expect(outcome.codes == [.unsetVariable], "\(outcome.listing)")
    }

    // MARK: YAML 1.1 look-alikes

    static let ambiguous = [
        "2024", "1e3", "0x1F", "012", "0o17", "1_000", ".5", "+1", "-1", "1.", "1:30", "0b101", ".inf", "-.inf", ".nan",
        "no", "on", "off", "yes", "y", "n", "NO", "True", "false", "2024-01-01", "2024-1-1 10:00:00",
    ]
    static let plainStrings = [
        "products", "v2", "1.2.3", "0x", "1a", "2024 q1", "1-2", "e3", "+", "-", ".", "nope", "yess", "2024-01", "x2024", "1e", "0b2",
    ]

    @Test(arguments: ambiguous)
    func plainLookAlikesWarnWithTheQuotedFix(value: String) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\npartition_name: \(value)\nfiles: [a.parquet]"))
        let diagnostic = try #require(outcome.diagnostics(.ambiguousScalar).first, "\(value): \(outcome.listing)")
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.fix == "quote it: `partition_name: \"\(value)\"`")
        // Quoted, the same value is a string to every tool.
        let quoted = check(milvusManifest(job: "target: local\ncollection_name: c\npartition_name: '\(value)'\nfiles: [a.parquet]"))
        #expect(quoted.diagnostics(.ambiguousScalar).isEmpty)
    }

    /// A target name is a key: no look-alike warning, whose fix (`field: "2024"`) does not fit it;
    /// a job's reference to it is a value, and is warned about.
    @Test func targetNameKeysAreNotWarnedAbout() throws {
        let outcome = check(ManifestBuilder().milvus("2024").job("a", "target: 2024\ncollection_name: c\nfiles: [a.parquet]").text)
        #expect(outcome.diagnostics(.ambiguousScalar).map(\.path) == ["jobs[0].target"], "\(outcome.listing)")
    }

    @Test(arguments: plainStrings)
    func plainStringsDoNotWarn(value: String) {
        #expect(AmbiguousScalar.otherReading(of: value) == nil, "\(value)")
    }

    @Test func lookAlikesWarnInEveryStringFieldButSecretsAndOptions() throws {
        let outcome = check(
            ManifestBuilder().milvus("local", "uri: http://localhost:19530\ndb_name: yes\ntoken: $<MILVUS_TOKEN>")
                .job("a", "target: local\ncollection_name: c\nfiles: [2024, [on]]\noptions: {backup: true, storage_version: 2}").text)
        #expect(
            outcome.diagnostics(.ambiguousScalar).map(\.path) == [
                "targets.local.milvus.db_name", "jobs[0].files[0]", "jobs[0].files[1][0]",
            ])
    }

    static let pyYAML: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import yaml"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// What PyYAML reads as anything but a string, the tool warns about; what it reads as a string
    /// (and YAML 1.2 too), the tool does not.
    @Test(.enabled(if: pyYAML, "python3 with PyYAML is not installed"))
    func agreesWithPyYAML() async throws {
        let samples =
            Self.ambiguous + Self.plainStrings + [
                "0", "00", "09", "1__0", "190:20:30", "1.5e+3", "1.5e3", "~x", "0xg", "-0b1", "Off", "oN",
            ]
        let script = """
            import sys, yaml
            for line in sys.stdin.read().split('\\n'):
                try:
                    print(type(yaml.safe_load('v: ' + line)['v']).__name__)
                except yaml.YAMLError:
                    print('error')
            """
        // On a thread of its own: a wait on the cooperative pool (two threads here) stalls other tests.
        let data: Data = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                        process.arguments = ["python3", "-c", script]
                        let input = Pipe()
                        let output = Pipe()
                        process.standardInput = input
                        process.standardOutput = output
                        try process.run()
                        input.fileHandleForWriting.write(Data(samples.joined(separator: "\n").utf8))
                        try input.fileHandleForWriting.close()
                        let data = output.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        return data
                    })
            }.start()
        }
        let types = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(types.count == samples.count)
        for (sample, type) in zip(samples, types) where type != "str" && type != "error" {
            #expect(AmbiguousScalar.otherReading(of: sample) != nil, "PyYAML reads \(sample) as \(type)")
        }
        for sample in Self.plainStrings {
            let type = types[samples.firstIndex(of: sample)!]
            #expect(type == "str" || type == "error", "PyYAML reads \(sample) as \(type)")
        }
    }

    // MARK: Shapes, misplaced keys, extension keys

    /// Every shape error says what the expected shape looks like.
    @Test(arguments: [
        "targets:\n  local:\n    milvus:\njobs: [{name: a, target: local, collection_name: c, files: [a]}]\n",
        "targets: x\njobs: [{name: a}]\n",
        "defaults:\njobs: [{name: a}]\n",
        "jobs:\n  - name: a\n    options: [x]\n",
        "jobs:\n  - name: a\n    collection_name: {a: b}\n",
        "jobs:\n  - name: a\n    files: [{a: b}]\n",
        "jobs: x\n",
        "jobs:\n  - x\n",
        "jobs:\n  - name: a\n    options: {timeout: [1]}\n",
        "targets:\n  local:\n    milvus:\n      api: v3\njobs: [{name: a}]\n",
    ])
    func shapeErrorsShowTheShape(body: String) throws {
        let outcome = check("version: 1\n" + body)
        let wrong = outcome.diagnostics(.wrongType)
        #expect(!wrong.isEmpty, "\(outcome.listing)")
        for d in wrong { #expect(d.fix != nil, "\(d)") }
    }

    @Test func nullTargetBodyShowsTheShape() throws {
        let outcome = check(
            "version: 1\ntargets:\n  local:\n    milvus:\njobs: [{name: a, target: local, collection_name: c, files: [a.parquet]}]\n")
        let diagnostic = try #require(outcome.diagnostics(.wrongType).first, "\(outcome.listing)")
        #expect(diagnostic.message.contains("not null"))
        #expect(diagnostic.fix?.contains("milvus: {uri: http://localhost:19530}") == true)
    }

    /// A key valid one level down or up is named as such.
    @Test(arguments: [
        ("job", "target: local\ncollection_name: c\nfiles: [a.parquet]\ntimeout: 300s", "under `options:`"),
        ("job", "target: local\ncollection_name: c\nfiles: [a.parquet]\nuri: http://x", "`milvus:`"),
        ("job", "target: local\ncollection_name: c\nfiles: [a.parquet]\ntargets: {}", "top-level"),
        ("options", "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {partition_name: p}", "unindent"),
    ])
    func misplacedKeysSayWhereTheyBelong(level: String, body: String, hint: String) throws {
        let outcome = check(milvusManifest(job: body))
        let diagnostic = try #require(
            (outcome.diagnostics(.unknownField) + outcome.diagnostics(.unknownOption)).first, "\(outcome.listing)")
        #expect(diagnostic.fix?.contains(hint) == true, "\(diagnostic.fix ?? "")")
    }

    @Test func misplacedKeysAtOtherLevels() throws {
        let outcome = check(
            """
            version: 1
            collection_name: c
            targets:
              local:
                uri: http://localhost:19530
                milvus:
                  uri: http://localhost:19530
                  collection_name: c
            jobs: [{name: a, target: local, collection_name: c, files: [a.parquet]}]
            """)
        let fixes = outcome.diagnostics(.unknownField).compactMap(\.fix)
        #expect(fixes.count == 3, "\(outcome.listing)")
        #expect(fixes.contains { $0.contains("`defaults:`") && $0.contains("job field") })
        #expect(fixes.contains { $0.contains("under `milvus:`") })
        #expect(fixes.contains { $0.contains("in the job") })
    }

    /// `options:` left empty with its keys one level short: one error, and the options are read.
    @Test func optionsIndentedOneLevelShortAreRead() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions:\ntimeout: 300s\nsep: '|'"))
        #expect(outcome.errors.count == 1, "\(outcome.listing)")
        #expect(outcome.errors.first?.message.contains("`timeout:`, `sep:`") == true, "\(outcome.listing)")
        #expect(outcome.diagnostics(.unknownField).isEmpty)
    }

    /// `defaults:` left empty with its fields at the top level: one error, and they are the defaults.
    @Test func defaultsIndentedOneLevelShortAreRead() throws {
        let outcome = check(
            """
            version: 1
            defaults:
            target: local
            collection_name: docs
            targets:
              local:
                milvus: {uri: http://localhost:19530}
            jobs:
              - name: a
                files: [a.parquet]
            """)
        #expect(outcome.errors.count == 1, "\(outcome.listing)")
        #expect(outcome.errors.first?.location.line == 2)
        #expect(outcome.errors.first?.message.contains("`target:`, `collection_name:`") == true, "\(outcome.listing)")
        #expect(outcome.job("a")?.collectionName == "docs")  // read as the defaults
        // Without fields after it, an empty `defaults:` is the one error: the jobs do not each lack a target.
        let empty = check("version: 1\ndefaults:\njobs:\n  - name: a\n    files: [a.parquet]\n")
        #expect(empty.codes == [.wrongType], "\(empty.listing)")
    }

    /// Top-level `x-` keys are ignored, and the anchors in them are usable.
    @Test func extensionKeysHoldAnchors() throws {
        let outcome = check(
            """
            version: 1
            x-common: &common
              target: local
              collection_name: c
            x-note: anything at all
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
            jobs:
              - <<: *common
                name: a
                files: [a.parquet]
            """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        #expect(outcome.job("a")?.collectionName == "c")
    }

    @Test func schemaAllowsExtensionKeys() throws {
        let schema = try SchemaTests.loadSchema()
        let patterns = try #require(schema["patternProperties"] as? [String: Any])
        #expect(patterns.keys.contains("^x-"))
        let text =
            "version: 1\nx-common: &c {target: local}\ntargets: {local: {milvus: {uri: http://h}}}\njobs: [{name: a, files: [a.parquet], collection_name: c, <<: *c}]\n"
        let root = try #require(try YAMLComposer.load(text).root)
        #expect(MiniJSONSchema(root: schema).errors(in: root.jsonValue).isEmpty)
        #expect(check(text).diagnostics.isEmpty, "\(check(text).listing)")
    }

    /// The tool and the schema agree: a plain value the schema reads as a number or boolean in a
    /// string field is an error to the schema and a warning to the tool; quoted, neither objects.
    @Test(arguments: ambiguous.filter { !["y", "n", "2024-01-01", "2024-1-1 10:00:00"].contains($0) } + plainStrings)
    func toolAndSchemaAgreeOnLookAlikes(value: String) throws {
        let schema = MiniJSONSchema(root: try SchemaTests.loadSchema())
        for written in [value, "'\(value)'"] {
            let text = milvusManifest(job: "target: local\ncollection_name: c\npartition_name: \(written)\nfiles: [a.parquet]")
            guard let root = try? YAMLComposer.load(text).root else { continue }  // '-', '+' alone: YAML syntax
            let schemaObjects = schema.errors(in: root.jsonValue).contains { $0.contains("partition_name") && !$0.contains("match") }
            let toolWarns = !check(text).diagnostics(.ambiguousScalar).isEmpty
            if schemaObjects { #expect(toolWarns, "\(written): the schema reads it as a non-string, the tool says nothing") }
            if written.hasPrefix("'") { #expect(!toolWarns && !schemaObjects, "\(written)") }
        }
    }

    // MARK: Excerpts only where there is source

    /// A terminal escape in the manifest is never printed raw in the excerpt of its line.
    @Test func controlCharactersInExcerptsAreReplaced() throws {
        let text = "version: 1\njobs: [{name: a, target: \"x\u{1B}]0;pwned\u{07}\"}]\n"
        let outcome = check(text)
        #expect(!outcome.diagnostics.isEmpty)
        let sources = SourceCache()
        sources.add(text, as: "manifest.yaml")
        let printed = TextReporter(sources: sources).render(outcome.diagnostics, summary: outcome.summary).stderr
        #expect(!printed.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(printed)")
        #expect(printed.contains("\u{FFFD}"))
    }

    /// A folder without manifests, or an empty file, has no line to show: no blank line with a caret.
    @Test func noExcerptWithoutSource() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-import-msg-\(UUID().uuidString)")
        let empty = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("empty.yaml")
        try Data().write(to: file)
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [empty.path, file.path])
        #expect(outcome.codes.sorted { $0.rawValue < $1.rawValue } == [.emptyFile, .ioError], "\(outcome.listing)")
        let text = TextReporter(sources: SourceCache()).render(outcome.diagnostics, summary: outcome.summary).stderr
        #expect(!text.contains("^"), "\(text)")
        for d in outcome.diagnostics { #expect(d.fix != nil, "\(d)") }
    }
}
