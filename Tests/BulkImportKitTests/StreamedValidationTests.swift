import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

/// `ManifestCheck.check(paths:)` validates each job as it is decoded and keeps only its place (and,
/// for `validate`, two hashes): the report is exactly that of checking the manifests read whole,
/// whatever the order of the manifest's sections, and `validate` keeps no job.
@Suite("Validation: jobs checked as they are read")
struct StreamedValidationTests {
    private static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-validation-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `texts` to files and returns their paths.
    private func write(_ texts: [String]) throws -> [String] {
        try texts.map { text in
            let url = Self.folder.appendingPathComponent("\(UUID().uuidString).yaml")
            try Data(text.utf8).write(to: url)
            return url.path
        }
    }

    /// Checks `paths` read whole (every job kept, then validated) and as the tool does.
    private func expectSame(_ paths: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let loader = ManifestLoader()
        let whole = ManifestCheck(environment: testEnvironment).check(
            paths.map { loader.load(file: $0) }, files: paths)
        for keepsJobs in [true, false] {
            let check = ManifestCheck(environment: testEnvironment, options: ValidationOptions(keepsJobs: keepsJobs))
            let streamed = check.check(paths: paths)
            #expect(streamed.diagnostics == whole.diagnostics, "keepsJobs: \(keepsJobs)", sourceLocation: sourceLocation)
            #expect(streamed.failed == whole.failed, sourceLocation: sourceLocation)
            #expect(streamed.hiddenErrors == whole.hiddenErrors, sourceLocation: sourceLocation)
            #expect(streamed.hiddenWarnings == whole.hiddenWarnings, sourceLocation: sourceLocation)
            #expect(streamed.declaredJobs == whole.declaredJobs, sourceLocation: sourceLocation)
            #expect(streamed.state == whole.state, sourceLocation: sourceLocation)
            #expect(streamed.jobs == (keepsJobs ? whole.jobs : []), sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: PlainJobTests.corpus)
    func everyFixtureReportsAlikeStreamedOrWhole(_ url: URL) {
        expectSame([url.path])
    }

    @Test func aWellOrderedManifestKeepsOnlyThePlacesOfItsJobs() throws {
        let text = ManifestBuilder().milvus()
            .job("a", "target: local\ncollection_name: c\nfiles: [a.parquet]")
            .job("b", "target: local\ncollection_name: c\nfiles: [b.parquet]").text
        let path = try write([text])[0]
        var diagnostics = DiagnosticBag()
        var run: ValidationRun? = ValidationRun(environment: testEnvironment, options: ValidationOptions(keepsJobs: false))
        let manifest = try #require(ManifestLoader().load(file: path, into: &diagnostics, stream: &run))
        #expect(manifest.jobs.isEmpty)
        #expect(manifest.jobPlaces.map(\.name) == ["a", "b"])
        #expect(run?.current != nil)
    }

    static let header = "version: 1\n"
    static let targets = "targets:\n  local:\n    milvus:\n      uri: http://localhost:19530\n"
    static let jobs = """
        jobs:
          - name: a
            collection_name: c
            files: [a.parquet]
          - name: b
            target: nowhere
            collection_name: "bad name!"
            files: [b.txt]
          - name: a
            collection_name: c
            files: [c.parquet]
          - name: d
            collection_name: c
            files: [a.parquet]
          - name: e
            collection_name: c
            files: [a.parquet]

        """

    /// What the jobs are checked against written below them (read again whole), above them
    /// (streamed), and a file that breaks part way through its jobs.
    @Test(arguments: [
        header + targets + "defaults:\n  target: local\n" + jobs,
        header + jobs + targets + "defaults:\n  target: local\n",
        header + targets + jobs + "defaults:\n  target: local\n",
        header + "defaults:\n  target: local\n" + jobs + targets,
        header + targets + "defaults:\n" + jobs + "target: local\n",
        header + targets + "defaults:\n  target: local\n" + jobs + "atomic: true\n",
        header + targets + "atomic: true\ndefaults:\n  target: local\n" + jobs,
        header + targets + "defaults:\n  target: local\n" + jobs + "  - name: broken\n    files: [\n",
        header + targets + "defaults:\n  target: local\n" + jobs + "state: ./other.ledger\n",
        header + targets + "defaults:\n  target: local\n  options: {timeout: nope}\n" + jobs,
    ])
    func everyOrderReportsAlike(_ text: String) throws {
        expectSame(try write([text]))
    }

    @Test func namesAndImportsAreComparedAcrossFiles() throws {
        let first = Self.header + Self.targets + "defaults:\n  target: local\n" + Self.jobs
        let second =
            Self.header + Self.targets + """
                jobs:
                  - name: d
                    target: local
                    collection_name: c
                    files: [z.parquet]
                  - name: f
                    target: local
                    collection_name: c
                    files: [a.parquet]

                """
        let paths = try write([first, second])
        expectSame(paths)
        let result = ManifestCheck(environment: testEnvironment, options: ValidationOptions(keepsJobs: false)).check(paths: paths)
        #expect(result.diagnostics(.duplicateJob).count == 2)
        // `a` and `d` are duplicates, so `e` is the first of the import `f` repeats.
        #expect(result.diagnostics(.sameImport).map(\.job) == ["f"])
    }
}
