import LibYAML
import Testing

@testable import BulkImportKit

/// Job names unique across manifests, scalars typed by the format, the version and the jobs list.
@Suite("Validation: job names, types and version")
struct ManifestShapeTests {
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
        #expect(note.location == ManifestLocation(file: "one.yaml", span: LibYAMLSpan.make(7, 11, 7, 16)))
        // Neither of the two can run: a ledger could not tell them apart.
        #expect(outcome.jobs.map(\.name) == ["other"])
        // Diagnostics are sorted by file in the order given.
        #expect(outcome.diagnostics.map(\.location.file) == ["two.yaml"])
    }

    @Test func scalarsAreTypedByTheFormat() throws {
        let outcome = check(
            milvusManifest(
                job:
                    "target: local\ncollection_name: c\npartition_name: 2024\ndb_name: yes\nfiles: [a.parquet]\noptions:\n  backup: true\n  storage_version: 2\n  sep: '|'"
            ))
        // Strings here, but numbers and booleans to other YAML tools: a warning each, still strings.
        #expect(outcome.codes == [.ambiguousScalar, .ambiguousScalar], "\(outcome.listing)")
        let job = try #require(outcome.job("job-1"))
        #expect(job.partitionName == "2024")
        #expect(job.dbName == "yes")
        #expect(job.options == [ImportOption("backup", "true"), ImportOption("storage_version", "2"), ImportOption("sep", "|")])
    }

    @Test(arguments: [
        ("version: \"1\"", "the string \"1\""), ("version: one", "'one'"), ("version: [1]", "a list"), ("version: 2", "version 2"),
    ])
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
}
