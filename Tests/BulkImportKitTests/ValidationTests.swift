import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

@Suite("Validation: suggestions, secrets, variables, defaults, aliases")
struct ValidationTests {
    // MARK: Did you mean

    @Test(arguments: [
        ("colection_name: products\nfiles: [a.parquet]", "collection_name"),
        ("collection_name: products\nfile: [a.parquet]", "files"),
        ("collection_name: products\nfiles: [a.parquet]\npartiton_name: p", "partition_name"),
        ("collection_name: products\nfiles: [a.parquet]\nNAME: x", "name"),
    ])
    func unknownJobFieldSuggestsTheClosestField(body: String, suggestion: String) throws {
        let outcome = check(milvusManifest(job: "target: local\n" + body))
        let diagnostic = try #require(outcome.diagnostics(.unknownField).first, "\(outcome.listing)")
        #expect(diagnostic.fix == "did you mean '\(suggestion)'?")
        #expect(diagnostic.job == "job-1")
    }

    @Test func unknownFieldFarFromAnyListsTheKnownOnes() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\nwhatever: 1"))
        let diagnostic = try #require(outcome.diagnostics(.unknownField).first)
        #expect(diagnostic.fix?.contains("collection_name") == true)
        #expect(diagnostic.fix?.contains("did you mean") == false)
        #expect(diagnostic.path == "jobs[0].whatever")
    }

    @Test func unknownTargetFieldAndTopLevelFieldSuggest() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvus:
                  url: http://localhost:19530
            job:
              - name: a
            """)
        let fixes = outcome.diagnostics(.unknownField).compactMap(\.fix)
        #expect(fixes.contains("did you mean 'uri'?"))
        #expect(fixes.contains("did you mean 'jobs'?"))
    }

    @Test func undefinedTargetSuggestsADefinedOne() throws {
        let outcome = check(milvusManifest(job: "target: locl\ncollection_name: c\nfiles: [a.parquet]"))
        let diagnostic = try #require(outcome.diagnostics(.undefinedTarget).first)
        #expect(diagnostic.fix == "did you mean 'local'?")
    }

    @Test func unknownOptionSuggestsAKnownOption() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timout: 300s}"))
        let diagnostic = try #require(outcome.diagnostics(.unknownOption).first)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.fix == "did you mean 'timeout'?")
        // An unknown option is still sent.
        #expect(outcome.job("job-1")?.options == [ImportOption("timout", "300s")])
    }

    @Test func unknownTargetKindSuggests() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvs:
                  uri: http://localhost:19530
            jobs:
              - name: a
                target: local
                collection_name: c
                files: [a.parquet]
            """)
        #expect(outcome.diagnostics(.unknownField).first?.fix == "did you mean 'milvus'?")
        #expect(outcome.codes.contains(.invalidTarget))
    }

    // MARK: Secrets

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
        var target = "url: https://api.cloud.zilliz.com\napi_key: $<ZILLIZ_API_KEY>\ncluster_id: in01-x"
        var job = "target: cloud\ncollection_name: c\nobject_url: s3://b/x/\naccess_key: $<AWS_ACCESS_KEY_ID>\nsecret_key: $<AWS_SECRET_ACCESS_KEY>"
        if field == "api_key" {
            target = target.replacing("$<ZILLIZ_API_KEY>", with: "literal-key")
        } else if field == "token" {
            job += "\ntoken: literal-key"
        } else {
            job = job.replacing(field == "access_key" ? "$<AWS_ACCESS_KEY_ID>" : "$<AWS_SECRET_ACCESS_KEY>", with: "literal-key")
        }
        let text = """
            version: 1
            targets:
              cloud:
                zilliz:
            \(target.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            jobs:
              - name: z
            \(job.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        let outcome = check(text)
        let diagnostic = try #require(outcome.diagnostics(.plaintextSecret).first, "\(outcome.listing)")
        #expect(outcome.diagnostics(.plaintextSecret).count == 1)
        #expect(diagnostic.path == field)
        #expect(diagnostic.severity == .error)
    }

    @Test func secretWithAPlaintextFallbackIsReported() throws {
        let outcome = check(milvusManifest(
            job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
            target: "uri: http://localhost:19530\ntoken: $<NOT_SET_TOKEN:-root:Milvus>"))
        let diagnostic = try #require(outcome.diagnostics(.plaintextSecret).first)
        #expect(diagnostic.message.contains("fallback"))
    }

    @Test func secretFromTheEnvironmentIsMaskedAndKept() throws {
        let outcome = check(milvusManifest(
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
            milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                           target: "uri: http://localhost:19530\ntoken: $<EMPTY_TOKEN>"),
            environment: Environment(["EMPTY_TOKEN": ""]))
        #expect(outcome.diagnostics(.emptyValue).first?.path == "token")
    }

    // MARK: Variables

    static let unsetCollection = milvusManifest(job: "target: local\ncollection_name: $<NOT_SET_COLLECTION>\nfiles: [a.parquet]")

    @Test func unsetVariableIsAWarningByDefault() throws {
        let outcome = check(Self.unsetCollection)
        let diagnostic = try #require(outcome.diagnostics(.unsetVariable).first)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message.contains("$<NOT_SET_COLLECTION>"))
        #expect(outcome.errorCount == 0)
    }

    @Test func unsetVariableIsAnErrorWhenAsked() throws {
        let outcome = check(Self.unsetCollection, options: ValidationOptions(unsetVariableSeverity: .error))
        let diagnostic = try #require(outcome.diagnostics(.unsetVariable).first)
        #expect(diagnostic.severity == .error)
        #expect(outcome.errorCount == 1)
        #expect(outcome.jobs.isEmpty)
    }

    @Test func unsetSecretIsAnErrorForPlanAndTheJobIsNotPlanned() throws {
        let text = milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
                                  target: "uri: http://localhost:19530\ntoken: $<NOT_SET_TOKEN>")
        let outcome = check(text, options: ValidationOptions(unsetVariableSeverity: .error))
        #expect(outcome.diagnostics(.unsetVariable).first?.severity == .error)
        #expect(outcome.jobs.isEmpty)
    }

    @Test(arguments: [
        ("$<SET_VAR:-fallback>", "from-env"),
        ("$<NOT_SET_VAR:-fallback>", "fallback"),
        ("$<NOT_SET_VAR:->", ""),
        ("pre-$<SET_VAR>-post", "pre-from-env-post"),
        ("$<SET_VAR>$<SET_VAR>", "from-envfrom-env"),
        ("a$$<b>", "a$<b>"),
        ("$$<SET_VAR>", "$<SET_VAR>"),
        ("cost: $5", "cost: $5"),
        ("x-$<NOT_SET_VAR:-a:b-c>", "x-a:b-c"),
    ])
    func templatesResolve(template: String, expected: String) throws {
        let parsed = try StringTemplate(parsing: template)
        #expect(parsed.resolve(in: Environment(["SET_VAR": "from-env"])) == .success(expected))
    }

    @Test func templatesResolveInsideManifests() throws {
        let outcome = check(
            milvusManifest(job: "target: local\ncollection_name: $<SET_VAR:-x>_$$<\npartition_name: $<NOT_SET_VAR:-p1>\nfiles: [a.parquet]"),
            environment: Environment(["SET_VAR": "from-env"]))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let job = try #require(outcome.job("job-1"))
        #expect(job.collectionName == "from-env_$<")
        #expect(job.partitionName == "p1")
    }

    @Test func substitutionNeverChangesStructure() throws {
        // A variable holding YAML stays one string.
        let outcome = check(
            milvusManifest(job: "target: local\ncollection_name: $<TRICKY>\nfiles: [a.parquet]"),
            environment: Environment(["TRICKY": "c\nfiles: [evil.json]\n  - x: [y"]))
        let job = try #require(outcome.job("job-1"), "\(outcome.listing)")
        #expect(job.collectionName == "c\nfiles: [evil.json]\n  - x: [y")
        #expect(job.files == [["a.parquet"]])
    }

    @Test(arguments: [
        ("$<", "must be followed by a variable name"),
        ("$<NAME", "is not closed"),
        ("$<NA-ME>", "unexpected '-'"),
        ("$<1X>", "must not start with a digit"),
        ("$<>", "must be followed by a variable name"),
    ])
    func malformedReferencesAreRejected(template: String, message: String) throws {
        #expect(throws: StringTemplate.ParseError.self) { try StringTemplate(parsing: template) }
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: \"\(template)\"\nfiles: [a.parquet]"))
        let diagnostic = try #require(outcome.diagnostics(.invalidVariable).first, "\(outcome.listing)")
        #expect(diagnostic.message.contains(message))
        // The column is that of the '$' inside the quoted value: 5 + `collection_name: ` + the quote.
        #expect(diagnostic.location.column == 5 + 17 + 1)
    }

    @Test func templateIntrospection() throws {
        let t = try StringTemplate(parsing: "a$<X>b$<Y:-fb>$$<c")
        #expect(t.variables == ["X", "Y"])
        #expect(t.fallbacks == ["fb"])
        #expect(!t.isLiteral)
        #expect(!t.isPlain)
        #expect(t.parts == [.literal("a"), .variable(name: "X", fallback: nil), .literal("b"),
                            .variable(name: "Y", fallback: "fb"), .literal("$<c")])
        #expect(t.resolve(in: Environment()) == .failure(UnsetVariables(names: ["X"])))
        let literal = StringTemplate(literal: "x$<y")
        #expect(literal.resolve(in: Environment()) == .success("x$<y"))
        #expect(literal.isLiteral)
        #expect(try StringTemplate(parsing: "plain").isPlain)
    }

    @Test func unsetVariableUsedByManyJobsIsReportedOnceWithACount() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
            defaults:
              target: local
              collection_name: $<NOT_SET_COLLECTION>
            jobs:
              - name: a
                files: [a.parquet]
              - name: b
                files: [b.parquet]
              - name: c
                files: [c.parquet]
                partition_name: $<NOT_SET_COLLECTION>
              - name: d
                files: [d.parquet]
                db_name: $<NOT_SET_COLLECTION>
            """)
        let unset = outcome.diagnostics(.unsetVariable)
        #expect(unset.count == 1, "\(outcome.listing)")
        #expect(unset.first?.location.line == 8)
        #expect(unset.first?.notes.first?.message == "$<NOT_SET_COLLECTION> is used in 2 more places of this manifest")
    }

    // MARK: Defaults

    @Test func defaultsFillWhatAJobLeavesUnsetAndTheJobWins() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
                  db_name: target_db
            defaults:
              target: local
              collection_name: default_collection
              partition_name: default_partition
              options:
                timeout: 2h
                sep: ","
            jobs:
              - name: inherits
                files: [a.csv]
              - name: overrides
                collection_name: own_collection
                db_name: own_db
                files: [b.csv]
                options:
                  timeout: 300s
                  nullkey: '\\N'
            """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let inherits = try #require(outcome.job("inherits"))
        #expect(inherits.collectionName == "default_collection")
        #expect(inherits.partitionName == "default_partition")
        #expect(inherits.dbName == "target_db")
        #expect(inherits.options == [ImportOption("timeout", "2h"), ImportOption("sep", ",")])

        let overrides = try #require(outcome.job("overrides"))
        #expect(overrides.collectionName == "own_collection")
        #expect(overrides.partitionName == "default_partition")
        #expect(overrides.dbName == "own_db")
        // Options merge by key: the job's timeout wins, the default sep stays, the job adds nullkey.
        let options = Dictionary(uniqueKeysWithValues: overrides.options.map { ($0.key, $0.value) })
        #expect(options == ["timeout": "300s", "sep": ",", "nullkey": "\\N"])
        #expect(overrides.options.count == 3)
    }

    @Test func overlayingMergesOptionsByKey() throws {
        let span = LibYAMLSpan.zero
        func options(_ pairs: [(String, String)]) -> Located<[OptionSpec]> {
            Located(pairs.map { OptionSpec(key: Located($0.0, at: span), value: Located(StringTemplate(literal: $0.1), at: span)) }, at: span)
        }
        var defaults = JobFields()
        defaults.options = options([("timeout", "2h"), ("sep", ";")])
        defaults.collectionName = Located(StringTemplate(literal: "d"), at: span)
        var own = JobFields()
        own.options = options([("timeout", "1h")])
        own.collectionName = Located(StringTemplate(literal: "o"), at: span)
        let merged = own.overlaying(defaults)
        #expect(merged.collectionName?.value.raw == "o")
        #expect(merged.options?.value.map(\.key.value).sorted() == ["sep", "timeout"])
        #expect(merged.options?.value.first { $0.key.value == "timeout" }?.value.value.raw == "1h")
        #expect(JobFields().overlaying(defaults).options?.value.count == 2)
        #expect(own.overlaying(JobFields()).options?.value.count == 1)
    }

    @Test func defaultsCannotNameAJob() throws {
        let outcome = check("version: 1\ndefaults:\n  name: x\njobs: []\n")
        #expect(outcome.diagnostics(.unknownField).first?.message == "defaults cannot set a job's name")
    }

    @Test func problemInDefaultsIsReportedOnceNotPerJob() throws {
        let outcome = check("""
            version: 1
            targets:
              cloud:
                zilliz:
                  url: https://api.cloud.zilliz.com
                  api_key: $<ZILLIZ_API_KEY>
                  cluster_id: in01-x
            defaults:
              target: cloud
              collection_name: c
              access_key: AKIAIOSFODNN7EXAMPLE
              secret_key: $<AWS_SECRET_ACCESS_KEY>
              options:
                timeout: 5 minutes
                timeuot: 1h
              files: [ftp://host/a.parquet]
            jobs:
              - name: a
              - name: b
              - name: c
            """)
        for code in [DiagnosticCode.plaintextSecret, .invalidDuration, .unknownOption, .invalidObjectURL] {
            #expect(outcome.diagnostics(code).count == 1, "\(code): \(outcome.listing)")
        }
        #expect(outcome.diagnostics(.plaintextSecret).first?.location.line == 11)
        #expect(outcome.diagnostics(.invalidDuration).first?.location.line == 14)
        // Reported once, but every job that inherits the problem is invalid.
        #expect(outcome.jobs.isEmpty)
        #expect(outcome.declaredJobs == 3)
    }

    @Test func problemInANamedTargetIsReportedOnce() throws {
        var text = "version: 1\ntargets:\n  bad:\n    milvus:\n      uri: localhost:19530\njobs:\n"
        for i in 0..<5 { text += "  - {name: j\(i), target: bad, collection_name: c, files: [a.parquet]}\n" }
        let outcome = check(text)
        #expect(outcome.diagnostics(.invalidURL).count == 1)
        #expect(outcome.diagnostics.count == 1, "\(outcome.listing)")
        #expect(outcome.jobs.isEmpty)
    }

    // MARK: Anchors, aliases, merges

    @Test func problemInAnAliasedValueIsReportedAtTheAnchor() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
            jobs:
              - name: first
                target: local
                collection_name: c
                files: &files
                  - data/readme.txt
              - name: second
                target: local
                collection_name: c
                files: *files
            """)
        let diagnostics = outcome.diagnostics(.unsupportedExtension)
        #expect(diagnostics.count == 1, "\(outcome.listing)")
        #expect(diagnostics.first?.location.line == 11)
        #expect(diagnostics.first?.location.column == 9)
        #expect(outcome.jobs.isEmpty)
    }

    @Test func problemInAMergedValueIsReportedAtTheAnchor() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
            jobs:
              - &base
                name: first
                target: local
                collection_name: c
                files: [a.parquet]
                options:
                  timeout: 90
              - <<: *base
                name: second
              - <<: *base
                name: third
                options:
                  timeout: 90s
            """)
        #expect(outcome.diagnostics.count == 1, "\(outcome.listing)")
        let diagnostic = try #require(outcome.diagnostics(.invalidDuration).first)
        #expect(diagnostic.location.line == 13)
        #expect(diagnostic.location.column == 16)
        #expect(diagnostic.fix == "add a unit: 90s")
        // `third` sets its own options, so it is the only valid job.
        #expect(outcome.jobs.map(\.name) == ["third"])
        #expect(outcome.job("third")?.collectionName == "c")
    }

    @Test func mergedJobsAsInTheExamples() throws {
        let outcome = check("""
            version: 1
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
            jobs:
              - &month
                name: m1
                target: local
                collection_name: events
                partition_name: p1
                files: [m1.parquet]
              - <<: *month
                name: m2
                partition_name: p2
                files: [m2.parquet]
            """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        #expect(outcome.jobs.map(\.name) == ["m1", "m2"])
        #expect(outcome.job("m2")?.partitionName == "p2")
        #expect(outcome.job("m2")?.files == [["m2.parquet"]])
        #expect(outcome.job("m2")?.collectionName == "events")
    }

    @Test func badMergeInsideAJobIsReported() throws {
        let outcome = check(milvusManifest(job: "<<: [not-a-mapping]\ntarget: local\ncollection_name: c\nfiles: [a.parquet]"))
        let diagnostic = try #require(outcome.diagnostics(.invalidMerge).first)
        #expect(diagnostic.location.line == 8)
        #expect(diagnostic.location.column == 10)
    }

    @Test func mergeAtTheTopLevelIsRefused() throws {
        let outcome = check("version: 1\n<<: {jobs: []}\njobs: []\n")
        #expect(outcome.diagnostics(.invalidMerge).first?.location.line == 2)
    }

    // MARK: Duplicate jobs

    @Test func duplicateJobNamesAcrossManifestsPointAtTheFirst() throws {
        let one = milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]")
        let two = one + "  - name: other\n    target: local\n    collection_name: d\n    files: [b.parquet]\n"
        // In `two.yaml`, `job-1` comes second so the duplicate is not at the same place as the first.
        let twoReordered = two.replacing("name: job-1", with: "name: tmp").replacing("name: other", with: "name: job-1")
            .replacing("name: tmp", with: "name: other")
        let outcome = check([("one.yaml", one), ("two.yaml", twoReordered)])
        let duplicates = outcome.diagnostics(.duplicateJob)
        #expect(duplicates.count == 1, "\(outcome.listing)")
        let diagnostic = try #require(duplicates.first)
        #expect(diagnostic.location.file == "two.yaml")
        #expect(diagnostic.location.line == 11)
        #expect(diagnostic.location.column == 11)
        let note = try #require(diagnostic.notes.first)
        #expect(note.location == BulkImportKit.SourceLocation(file: "one.yaml", span: LibYAMLSpan.make(7, 11, 7, 16)))
        // Neither of the two can run: a ledger could not tell them apart.
        #expect(outcome.jobs.map(\.name) == ["other"])
        // Diagnostics are sorted by file in the order given.
        #expect(outcome.diagnostics.map(\.location.file) == ["two.yaml"])
    }

    // MARK: Typing by the format

    @Test func scalarsAreTypedByTheFormat() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: 2024\npartition_name: yes\nfiles: [a.parquet]\noptions:\n  backup: true\n  storage_version: 2\n  sep: '|'"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let job = try #require(outcome.job("job-1"))
        #expect(job.collectionName == "2024")
        #expect(job.partitionName == "yes")
        #expect(job.options == [ImportOption("backup", "true"), ImportOption("storage_version", "2"), ImportOption("sep", "|")])
    }

    @Test(arguments: [("version: \"1\"", "the string \"1\""), ("version: one", "'one'"), ("version: [1]", "a list"), ("version: 2", "version 2")])
    func versionMustBeTheNumberOne(line: String, mentions: String) throws {
        let outcome = check("\(line)\njobs: []\n")
        let diagnostic = try #require(outcome.diagnostics(.unsupportedVersion).first)
        #expect(diagnostic.message.contains(mentions))
    }

    @Test func missingVersionAndJobs() throws {
        let outcome = check("targets: {}\n")
        #expect(outcome.diagnostics(.unsupportedVersion).first?.path == "version")
        #expect(outcome.diagnostics(.missingField).first?.path == "jobs")
    }

    @Test func emptyJobsList() throws {
        #expect(check("version: 1\njobs: []\n").codes == [.emptyValue])
        #expect(check("version: 1\njobs:\n").codes == [.wrongType])
    }

    /// A value that is present but wrong is reported once, for what is wrong with it, not also as missing.
    @Test(arguments: ["collection_name: \"\"", "collection_name: [c]", "collection_name: c_$<1bad>"])
    func invalidValueIsNotAlsoReportedMissing(line: String) throws {
        let outcome = check(milvusManifest(job: "target: local\n\(line)\nfiles: [a.parquet]"))
        #expect(outcome.errorCount == 1, "\(outcome.listing)")
        #expect(!outcome.codes.contains(.missingField))
    }

    // MARK: APIs

    @Test(arguments: [
        ("zilliz", "url: https://api.cloud.zilliz.com", ImportAPI.zillizV2),
        ("zilliz", "url: controller.api.gcp-us-west1.zillizcloud.com", .zillizV1),
        ("zilliz", "url: https://CONTROLLER.api.aws-us-west-2.zillizcloud.com", .zillizV1),
        ("zilliz", "url: http://127.0.0.1:8080\napi: v1", .zillizV1),
        ("zilliz", "url: controller.api.gcp-us-west1.zillizcloud.com\napi: v2", .zillizV2),
        ("milvus", "uri: http://localhost:19530", .milvusV2),
        ("milvus", "uri: http://localhost:9091\napi: v1", .milvusV1),
    ])
    func theAPIFollowsTheURLAndTheAPIField(kind: String, target: String, api: ImportAPI) throws {
        var targetLines = target
        var job = "target: t\ncollection_name: c\n"
        if kind == "zilliz" {
            targetLines += "\napi_key: $<ZILLIZ_API_KEY>\ncluster_id: in01-x"
            job += "object_url: s3://bucket/x/\naccess_key: $<AWS_ACCESS_KEY_ID>\nsecret_key: $<AWS_SECRET_ACCESS_KEY>"
        } else {
            job += "files: [a.parquet]"
        }
        let text = """
            version: 1
            targets:
              t:
                \(kind):
            \(targetLines.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            jobs:
              - name: j
            \(job.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        let outcome = check(text)
        #expect(outcome.errorCount == 0, "\(outcome.listing)")
        #expect(outcome.job("j")?.target.api == api)
    }

    @Test func zillizProjectNeedsBothProjectAndRegion() throws {
        let outcome = check("""
            version: 1
            targets:
              p:
                zilliz:
                  url: https://api.cloud.zilliz.com
                  api_key: $<ZILLIZ_API_KEY>
                  project_id: proj-1
            jobs:
              - name: j
                target: p
                collection_name: c
                object_url: s3://b/x/
                access_key: $<AWS_ACCESS_KEY_ID>
                secret_key: $<AWS_SECRET_ACCESS_KEY>
            """)
        let diagnostic = try #require(outcome.diagnostics(.missingField).first)
        #expect(diagnostic.path == "region_id")
        #expect(diagnostic.location.line == 7)
    }

    @Test func zillizV1RefusesProjectIDs() throws {
        let outcome = check("""
            version: 1
            targets:
              p:
                zilliz:
                  url: controller.api.gcp-us-west1.zillizcloud.com
                  api_key: $<ZILLIZ_API_KEY>
                  project_id: proj-1
                  region_id: gcp-us-west1
            jobs:
              - name: j
                target: p
                collection_name: c
                object_url: s3://b/x/
                access_key: $<AWS_ACCESS_KEY_ID>
                secret_key: $<AWS_SECRET_ACCESS_KEY>
            """)
        #expect(Set(outcome.codes) == [.missingField, .conflictingFields], "\(outcome.listing)")
    }

    @Test func milvusAbsolutePathIsNotBucketRelativeButV1AcceptsIt() throws {
        let v2 = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [/data/a.json]"))
        #expect(v2.codes == [.notBucketRelative])
        #expect(v2.diagnostics.first?.fix?.contains("data/a.json") == true)
        let v1 = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [/data/a.json]", target: "uri: http://localhost:9091\napi: v1"))
        #expect(v1.diagnostics.isEmpty, "\(v1.listing)")
    }

    @Test(arguments: [
        ("a.parquet", true), ("a.JSON", true), ("dir/a.csv", true), ("a.npy", true),
        ("a.txt", false), ("a", false), ("dir/", false), (".parquet", false), ("dir/.json", false), ("a.tar.gz", false),
    ])
    func milvusFileExtensions(path: String, accepted: Bool) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: ['\(path)']"))
        #expect(outcome.diagnostics.isEmpty == accepted, "\(outcome.listing)")
        if !accepted { #expect(outcome.codes == [.unsupportedExtension]) }
    }

    @Test func npyGroupOfManyFilesIsFine() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles:\n  - [a/id.npy, a/vec.npy, a/title.npy]\n  - b.parquet"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        #expect(outcome.job("job-1")?.files == [["a/id.npy", "a/vec.npy", "a/title.npy"], ["b.parquet"]])
    }

    @Test func zillizV2GroupsHoldOneURLEach() throws {
        let outcome = check("""
            version: 1
            targets:
              cloud:
                zilliz:
                  url: https://api.cloud.zilliz.com
                  api_key: $<ZILLIZ_API_KEY>
                  cluster_id: in01-x
            jobs:
              - name: j
                target: cloud
                collection_name: c
                files:
                  - [s3://b/1.parquet, s3://b/2.parquet]
                  - gs:///no-bucket
                access_key: $<AWS_ACCESS_KEY_ID>
                secret_key: $<AWS_SECRET_ACCESS_KEY>
            """)
        #expect(Set(outcome.codes) == [.groupSize, .invalidObjectURL], "\(outcome.listing)")
    }

    @Test(arguments: ["300s", "1.5h", "1h45m", "100ms", "2h0m0.5s", ".5h", "1µs", "3us"])
    func goDurationsAreAccepted(duration: String) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timeout: \(duration)}"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    @Test(arguments: ["300", "5 minutes", "1h30", "h", "1d", "-5s", "0", "1..5s", ""])
    func badDurationsAreRejected(duration: String) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timeout: '\(duration)'}"))
        #expect(outcome.codes == [.invalidDuration], "\(outcome.listing)")
    }

    @Test func optionDependencyIsSatisfiedByBackup() throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {skip_disk_quota_check: true, backup: true}"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    @Test(arguments: [
        ("http://localhost:19530", true), ("https://milvus.example.com/prefix/", true), ("http://[::1]:19530", true),
        ("grpc://localhost:19530", false), ("http://user:pw@host", false), ("http://host:99999", false),
        ("http://host?x=1", false), ("http://", false), ("http://bad host", false),
    ])
    func milvusURIs(uri: String, valid: Bool) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]", target: "uri: '\(uri)'"))
        #expect(outcome.diagnostics.isEmpty == valid, "\(outcome.listing)")
        if !valid { #expect(outcome.codes == [.invalidURL]) }
    }
}

/// Spans for tests that build model values by hand.
enum LibYAMLSpan {
    static var zero: Span { make(1, 1, 1, 1) }
    static func make(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> Span {
        Span(start: Mark(line: l1, column: c1), end: Mark(line: l2, column: c2))
    }
}

@Suite("Milvus 2.2/2.3 files")
struct LegacyFileValidationTests {
    func check(_ files: String) -> ValidationResult {
        let text = """
            version: 1
            targets:
              legacy: {milvus: {uri: "http://localhost:9091", api: v1}}
            jobs:
              - {name: j, target: legacy, collection_name: c, files: \(files)}
            """
        let loaded = ManifestLoader().load(string: text, file: "m.yaml")
        return ManifestCheck(environment: testEnvironment).check([loaded], files: ["m.yaml"])
    }

    @Test func csvAndUpperCaseExtensionsAreRefusedBeforeTheServerDoes() {
        let csv = check("[/d/rows.csv]")
        #expect(csv.diagnostics.contains { $0.code == .unsupportedExtension && $0.message.contains("CSV came with 2.4") })
        let upper = check("[[/d/vector.NPY]]")
        #expect(upper.diagnostics.contains { $0.code == .unsupportedExtension && $0.message.contains("case-sensitively") && $0.fix == "rename the file to end in .npy" })
        let fine = check("[/d/rows.json, [/d/vector.npy]]")
        #expect(fine.diagnostics.isEmpty, "\(fine.diagnostics)")
    }
}
