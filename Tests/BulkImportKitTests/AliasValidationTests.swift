import Testing

@testable import BulkImportKit

/// Problems in aliased and merged values are reported once, at the anchor.
@Suite("Validation: anchors, aliases, merges")
struct AliasValidationTests {
    @Test func problemInAnAliasedValueIsReportedAtTheAnchor() throws {
        let outcome = check(
            ManifestBuilder()
                .milvus()
                .jobs(
                    """
                    - name: first
                      target: local
                      collection_name: c
                      files: &files
                        - data/readme.txt
                    - name: second
                      target: local
                      collection_name: c
                      files: *files
                    """
                )
                .text)
        let diagnostics = outcome.diagnostics(.unsupportedExtension)
        #expect(diagnostics.count == 1, "\(outcome.listing)")
        #expect(diagnostics.first?.location.line == 11)
        #expect(diagnostics.first?.location.column == 9)
        #expect(outcome.jobs.isEmpty)
    }

    @Test func problemInAMergedValueIsReportedAtTheAnchor() throws {
        let outcome = check(
            ManifestBuilder()
                .milvus()
                .jobs(
                    """
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
                    """
                )
                .text)
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
        let outcome = check(
            ManifestBuilder()
                .milvus()
                .jobs(
                    """
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
                    """
                )
                .text)
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
}
