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
        // Streamed with events parsed in turn, and ahead on a thread of their own (as a large
        // manifest is), forced here for every size.
        for (keepsJobs, readAheadFrom) in [(true, Int.max), (false, Int.max), (true, 0), (false, 0)] {
            var threaded = ManifestLoader()
            threaded.readAheadFrom = readAheadFrom
            let check = ManifestCheck(
                environment: testEnvironment, options: ValidationOptions(keepsJobs: keepsJobs), loader: threaded)
            let streamed = check.check(paths: paths)
            #expect(
                streamed.diagnostics == whole.diagnostics, "keepsJobs: \(keepsJobs), read ahead from \(readAheadFrom)",
                sourceLocation: sourceLocation)
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

    /// Thousands of jobs, many batches of events read ahead, with every kind of problem spread
    /// among them: repeats, variables said once, names written twice, plain and composed jobs.
    @Test func aLargeManifestWithManyProblemsReportsAlikeReadAheadOrNot() throws {
        var text = Self.header + Self.targets + "x-common: &common {target: local}\ndefaults:\n  options: {timeout: 1h}\njobs:\n"
        for i in 0..<3_000 {
            switch i % 10 {
            case 0: text += "  - name: j\(i)\n    target: local\n    collection_name: c\n    files: [f\(i).parquet]\n"
            case 1: text += "  - name: j\(i)\n    <<: *common\n    collection_name: c\n    files: [f\(i).txt]\n"
            case 2: text += "  - name: j\(i)\n    target: local\n    collection_name: $<UNSET_\(i % 3)>\n    files: [f\(i).json]\n"
            case 3: text += "  - name: j\(i - 3)\n    target: local\n    collection_name: c\n    files: [g\(i).parquet]\n"
            case 4: text += "  - name: j\(i)\n    target: local\n    collection_name: c\n    files: [f\(i - 4).parquet]\n"
            case 5: text += "  - name: j\(i)\n    target: local\n    colection_name: c\n    k1: v\n    files: [f\(i).npy]\n"
            case 6: text += "  - name: j\(i)\n    target: nowhere\n    collection_name: 2024\n    files: []\n"
            case 7:
                text += "  - name: j\(i)\n    target: local\n    collection_name: c\n    files: [f\(i).parquet]\n"
                text += "    options: {timeout: x}\n"
            case 8: text += "  - {name: j\(i), target: local, collection_name: c, files: [[a\(i).npy, b\(i).npy]]}\n"
            default: text += "  - name: j\(i)\n    target: local\n    collection_name: c\n    token: plain\n    files: [f\(i).parquet]\n"
            }
        }
        let paths = try write([text])
        expectSame(paths)
        var threaded = ManifestLoader()
        threaded.readAheadFrom = 0
        let result = ManifestCheck(environment: testEnvironment, options: ValidationOptions(keepsJobs: false), loader: threaded)
            .check(paths: paths)
        #expect(result.diagnostics(.duplicateJob).count == 300)
        #expect(result.diagnostics(.unsetVariable).count == 3)  // one per variable, not per use
        #expect(result.errorCount > 2_000)
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
