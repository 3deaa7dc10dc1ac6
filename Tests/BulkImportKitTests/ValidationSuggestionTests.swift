import Testing

@testable import BulkImportKit

/// Unknown fields, targets, kinds and options suggest the closest known name.
@Suite("Validation: did you mean")
struct ValidationSuggestionTests {
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
        let outcome = check(
            """
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
        let outcome = check(
            ManifestBuilder()
                .target("local", "milvs", "uri: http://localhost:19530")
                .job("a", "target: local\ncollection_name: c\nfiles: [a.parquet]").text)
        #expect(outcome.diagnostics(.unknownField).first?.fix == "did you mean 'milvus'?")
        // One root cause, one error: the misspelt kind, not also "names neither milvus nor zilliz".
        #expect(!outcome.codes.contains(.invalidTarget))
    }
}
