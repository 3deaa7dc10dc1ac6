import Testing

@testable import BulkImportKit

/// The option keys servers read (Milvus `internal/util/importutilv2/option.go`), the reserved one,
/// the snapshot contract, and the warning for jobs without a timeout.
@Suite("Validation: option keys, snapshots and timeouts")
struct OptionKeyTests {
    static func job(_ options: String, files: String = "[a.parquet]") -> String {
        milvusManifest(job: "target: local\ncollection_name: c\nfiles: \(files)\noptions: {timeout: 1h, \(options)}")
    }

    @Test(arguments: [
        "ezk: $<AWS_SESSION_TOKEN>", "startTs: '1'", "endTs: '2'", "START_TS: '1'", "auto_commit: false", "storage_version: 2",
        "partition_mapping: '{}'", "l0_import: true",
    ])
    func newerKeysAreKnown(option: String) {
        let outcome = check(Self.job(option))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    @Test func anUnknownKeyIsAWarningWithADidYouMean() throws {
        let outcome = check(Self.job("source_typ: snapshot"))
        let warning = try #require(outcome.diagnostics(.unknownOption).first)
        #expect(warning.severity == .warning)
        #expect(warning.fix == "did you mean 'source_type'?")
        #expect(outcome.jobs.count == 1)
    }

    @Test func theReservedKeyIsRefused() throws {
        let outcome = check(Self.job("_snapshot_source_uri: s3://b/s/snapshot.json"))
        #expect(outcome.codes == [.reservedOption], "\(outcome.listing)")
        #expect(outcome.jobs.isEmpty)
        #expect(!(outcome.job("job-1")?.options.contains { $0.key == "_snapshot_source_uri" } ?? false))
    }

    @Test func encryptionKeysAreSecrets() throws {
        let plain = check(Self.job("ezk: c2VjcmV0LWtleQ=="))
        #expect(plain.codes == [.plaintextSecret], "\(plain.listing)")
        let referenced = check(Self.job("ezk: $<AWS_SESSION_TOKEN>"))
        #expect(referenced.redactor.redact("tk-secret-6") != "tk-secret-6")
        #expect(referenced.job("job-1")?.options.contains(ImportOption("ezk", "tk-secret-6")) == true)
    }

    @Test func encryptionKeysAndSpecsAreMaskedInThePlan() throws {
        var values = testEnvironment.values
        values["MILVUS_EZK"] = "ezk-VALUE-base64=="
        values["SNAPSHOT_SPEC"] = #"{"access_key_id":"spec-VALUE"}"#
        let outcome = check(
            Self.job(
                "backup: true, source_type: snapshot, ezk: $<MILVUS_EZK>, external_spec: $<SNAPSHOT_SPEC>",
                files: "[s3://b/s/snapshot.json]"),
            environment: Environment(values))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let renderer = PlanRenderer(redactor: outcome.redactor)
        for printed in [renderer.json(outcome.jobs), renderer.text(outcome.jobs)] {
            #expect(!printed.contains("ezk-VALUE"), "\(printed)")
            #expect(!printed.contains("spec-VALUE"), "\(printed)")
        }
        // The wire still carries them.
        let job = try #require(outcome.jobs.first)
        let wire = try #require(RequestBuilder().createRequests(for: job).first?.wireBody())
        #expect(String(decoding: wire, as: UTF8.self).contains("ezk-VALUE-base64=="))
    }

    // MARK: Snapshots

    @Test func aSnapshotTakesItsFullURIInFiles() throws {
        let outcome = check(Self.job("backup: true, source_type: snapshot", files: "[s3://bucket/snaps/s1/snapshot.json]"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        #expect(outcome.job("job-1")?.files == [["s3://bucket/snaps/s1/snapshot.json"]])
        // Without source_type the same url is still not a bucket key.
        #expect(check(Self.job("backup: true", files: "[s3://bucket/snaps/s1/snapshot.json]")).codes == [.notBucketRelative])
    }

    @Test func aSnapshotRefusesABucketKeyAndSeveralFiles() throws {
        let key = check(Self.job("backup: true, source_type: snapshot", files: "[snaps/s1/snapshot.json]"))
        #expect(key.codes == [.snapshotSource], "\(key.listing)")
        #expect(key.diagnostics.first?.fix?.contains("s3://bucket/snaps/s1/snapshot.json") == true)
        let two = check(Self.job("backup: true, source_type: snapshot", files: "[s3://b/1/snapshot.json, s3://b/2/snapshot.json]"))
        #expect(two.codes == [.snapshotSource], "\(two.listing)")
    }

    @Test(arguments: [
        ("source_type: snapshot", "backup: true"),
        ("backup: true, source_type: snapshot, l0_import: true", "l0_import"),
        ("backup: true, source_type: snapshot, storage_version: 2", "storage_version"),
        ("backup: true, source_type: binlog", "unsupported"),
        ("backup: true, external_spec: $<AWS_SESSION_TOKEN>", "external_spec"),
        ("backup: true, storage_version: 3", "StorageV3"),
    ])
    func theSnapshotContractIsTheServers(options: String, says: String) throws {
        let outcome = check(Self.job(options, files: "[s3://b/s/snapshot.json]"))
        let errors = outcome.diagnostics(.snapshotSource)
        #expect(errors.count == 1, "\(outcome.listing)")
        #expect(errors.first?.message.contains(says) == true, "\(outcome.listing)")
    }

    @Test func externalSpecIsASecret() {
        let outcome = check(
            Self.job("backup: true, source_type: snapshot, external_spec: '{\"key\": 1}'", files: "[s3://b/s/snapshot.json]"))
        #expect(outcome.codes == [.plaintextSecret], "\(outcome.listing)")
    }

    // MARK: No timeout

    @Test func oneWarningPerManifestSaysHowToSetATimeoutForEveryJob() throws {
        var builder = ManifestBuilder().milvus()
        for i in 0..<1000 { builder = builder.job("j\(i)", "target: local\ncollection_name: c\nfiles: [f\(i).parquet]") }
        let outcome = check(builder.text, keepNoTimeout: true)
        let warnings = outcome.diagnostics(.noTimeout)
        #expect(warnings.count == 1, "\(outcome.listing)")
        let warning = try #require(warnings.first)
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("1000 of 1000 jobs"))
        #expect(warning.message.contains("milvus#53159"))
        #expect(warning.fix?.contains("defaults:") == true)
        #expect(outcome.jobs.count == 1000)
    }

    @Test func aTimeoutInDefaultsOrOnTheJobSilencesIt() {
        let inDefaults = milvusManifest(
            job: "target: local\ncollection_name: c\nfiles: [a.parquet]", defaults: "options:\n  timeout: 2h")
        #expect(check(inDefaults, keepNoTimeout: true).diagnostics.isEmpty)
        let single = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]"), keepNoTimeout: true)
        #expect(single.codes == [.noTimeout])
        #expect(single.diagnostics.first?.job == "job-1")
    }

    @Test func zillizAndLegacyMilvusJobsAreNotWarned() {
        let zilliz = ManifestBuilder().zilliz().job(
            "z", "target: cloud\ncollection_name: c\nfiles: [s3://b/a.parquet]\n" + ManifestBuilder.zillizCredentials
        ).text
        #expect(check(zilliz, keepNoTimeout: true).diagnostics.isEmpty)
        let legacy = milvusManifest(
            job: "target: local\ncollection_name: c\nfiles: [/data/a.json]", target: "uri: http://localhost:19530\napi: v1")
        #expect(check(legacy, keepNoTimeout: true).codes.filter { $0 == .noTimeout }.isEmpty)
    }
}
