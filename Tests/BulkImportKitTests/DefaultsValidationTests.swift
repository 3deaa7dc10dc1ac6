import LibYAML
import Testing

@testable import BulkImportKit

/// What `defaults` and named targets give every job, and that a shared problem is reported once.
@Suite("Validation: defaults and shared values")
struct DefaultsValidationTests {
    @Test func defaultsFillWhatAJobLeavesUnsetAndTheJobWins() throws {
        let outcome = check(
            ManifestBuilder()
                .milvus("local", "uri: http://localhost:19530\ndb_name: target_db")
                .defaults(
                    """
                    target: local
                    collection_name: default_collection
                    partition_name: default_partition
                    options:
                      timeout: 2h
                      sep: ","
                    """
                )
                .job("inherits", "files: [a.csv]")
                .job(
                    "overrides",
                    """
                    collection_name: own_collection
                    db_name: own_db
                    files: [b.csv]
                    options:
                      timeout: 300s
                      nullkey: '\\N'
                    """
                )
                .text)
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
            Located(
                pairs.map { OptionSpec(key: Located($0.0, at: span), value: Located(StringTemplate(literal: $0.1), at: span)) }, at: span)
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
        let outcome = check(
            ManifestBuilder()
                .zilliz()
                .defaults(
                    """
                    target: cloud
                    collection_name: c
                    access_key: AKIAIOSFODNN7EXAMPLE
                    secret_key: $<AWS_SECRET_ACCESS_KEY>
                    options:
                      timeout: 5 minutes
                      timeuot: 1h
                    files: [ftp://host/a.parquet]
                    """
                )
                .jobs("- name: a\n- name: b\n- name: c")
                .text)
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
}
