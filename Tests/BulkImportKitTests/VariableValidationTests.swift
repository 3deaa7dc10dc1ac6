import Testing

@testable import BulkImportKit

/// `$<NAME>` references: how they resolve, how unset and malformed ones are reported.
@Suite("Validation: $<ENV> variables")
struct VariableValidationTests {
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
        let text = milvusManifest(
            job: "target: local\ncollection_name: c\nfiles: [a.parquet]",
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
            milvusManifest(
                job: "target: local\ncollection_name: c\npartition_name: $<NOT_SET_VAR:-p1>\nfiles: ['$<SET_VAR:-x>_$$<.parquet']"),
            environment: Environment(["SET_VAR": "from-env"]))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        let job = try #require(outcome.job("job-1"))
        #expect(job.files == [["from-env_$<.parquet"]])
        #expect(job.partitionName == "p1")
    }

    @Test func substitutionNeverChangesStructure() throws {
        // A variable holding YAML stays one string.
        let outcome = check(
            milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {sep: $<TRICKY>}"),
            environment: Environment(["TRICKY": "c\nfiles: [evil.json]\n  - x: [y"]))
        let job = try #require(outcome.job("job-1"), "\(outcome.listing)")
        #expect(job.options == [ImportOption("sep", "c\nfiles: [evil.json]\n  - x: [y")])
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
        #expect(
            t.parts == [
                .literal("a"), .variable(name: "X", fallback: nil), .literal("b"),
                .variable(name: "Y", fallback: "fb"), .literal("$<c"),
            ])
        #expect(t.resolve(in: Environment()) == .failure(UnsetVariables(names: ["X"])))
        let literal = StringTemplate(literal: "x$<y")
        #expect(literal.resolve(in: Environment()) == .success("x$<y"))
        #expect(literal.isLiteral)
        #expect(try StringTemplate(parsing: "plain").isPlain)
    }

    @Test func unsetVariableUsedByManyJobsIsReportedOnceWithACount() throws {
        let outcome = check(
            ManifestBuilder()
                .milvus()
                .defaults("target: local\ncollection_name: $<NOT_SET_COLLECTION>")
                .job("a", "files: [a.parquet]")
                .job("b", "files: [b.parquet]")
                .job("c", "files: [c.parquet]\npartition_name: $<NOT_SET_COLLECTION>")
                .job("d", "files: [d.parquet]\ndb_name: $<NOT_SET_COLLECTION>")
                .text)
        let unset = outcome.diagnostics(.unsetVariable)
        #expect(unset.count == 1, "\(outcome.listing)")
        #expect(unset.first?.location.line == 8)
        #expect(unset.first?.notes.first?.message == "$<NOT_SET_COLLECTION> is used in 2 more places of this manifest")
    }
}
