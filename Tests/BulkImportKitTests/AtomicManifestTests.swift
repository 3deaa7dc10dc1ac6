import Testing

@testable import BulkImportKit

/// `atomic: true`: the manifest syntax and what validation refuses before anything is sent.
@Suite("Atomic manifests: syntax and validation")
struct AtomicManifestTests {
    static func manifest(_ atomic: String, target: String = "uri: http://localhost:19530", options: String = "") -> String {
        "atomic: \(atomic)\n"
            + ManifestBuilder().milvus("local", target)
            .job("a", "target: local\ncollection_name: c\nfiles: [a.parquet]\n" + options)
            .job("b", "target: local\ncollection_name: c\nfiles: [b.parquet]").text
    }

    @Test("atomic: true puts every job of the manifest in one group named by the file; false or absent, none")
    func groups() {
        let on = check(Self.manifest("true"), file: "m.yaml")
        #expect(on.errors.isEmpty, "\(on.listing)")
        #expect(on.jobs.map(\.atomicGroup) == ["m.yaml", "m.yaml"])
        #expect(check(Self.manifest("false")).jobs.allSatisfy { $0.atomicGroup == nil })
        #expect(
            check(ManifestBuilder().milvus().job("a", "target: local\ncollection_name: c\nfiles: [a.parquet]").text).jobs.first?.atomicGroup
                == nil)
    }

    @Test("atomic must be a plain true or false", arguments: ["\"true\"", "yes", "1", "[true]"])
    func wrongType(value: String) {
        let result = check(Self.manifest(value))
        let error = result.diagnostics(.wrongType).first
        #expect(error?.path == "atomic" && error?.message.contains("true or false") == true, "\(result.listing)")
        #expect(error?.location.line == 1)
    }

    @Test("an API that never has two-phase imports is refused at the job, with a note at `atomic`; no job is kept")
    func refusedAPI() {
        let result = check(Self.manifest("true", target: "uri: http://localhost:9091\napi: v1"))
        let errors = result.diagnostics(.invalidTarget)
        #expect(errors.count == 2, "\(result.listing)")
        #expect(errors.first?.message.contains("milvus-v1") == true && errors.first?.message.contains("no auto_commit") == true)
        #expect(errors.first?.notes.first?.location?.line == 1)
        #expect(result.jobs.isEmpty)
    }

    @Test("a job that sets auto_commit itself conflicts with atomic: true")
    func autoCommitConflict() {
        let result = check(Self.manifest("true", options: "options: {auto_commit: \"true\"}"))
        #expect(result.diagnostics(.conflictingFields).first?.message.contains("auto_commit") == true, "\(result.listing)")
        #expect(result.jobs.isEmpty)
    }
}
