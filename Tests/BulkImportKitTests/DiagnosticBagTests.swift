import Testing

@testable import BulkImportKit

/// The one place diagnostics are collected: de-duplication, counting, folding and `--strict`.
@Suite("Diagnostic bag and collectors")
struct DiagnosticBagTests {
    static func diagnostic(
        _ severity: Severity = .error, _ code: DiagnosticCode = .wrongType, message: String = "m",
        file: String = "m.yaml", line: Int = 1, column: Int = 1, path: String? = nil, job: String? = nil
    ) -> Diagnostic {
        Diagnostic(severity, code, message, at: ManifestLocation(file: file, line: line, column: column), job: job, path: path)
    }

    /// An aliased value is reached from several places of the structure: one problem, one report.
    @Test func theSameProblemAtTheSamePlaceThroughAnotherPathIsKeptOnce() {
        var bag = DiagnosticBag()
        bag.emit(Self.diagnostic(path: "jobs[0].files"))
        bag.emit(Self.diagnostic(path: "jobs[1].files"))
        #expect(bag.diagnostics.map(\.path) == ["jobs[0].files"])
    }

    @Test func theSameProblemAtTheSamePlaceIsKeptOnceButCountedEachTime() {
        var bag = DiagnosticBag()
        bag.emit(Self.diagnostic(job: "a"))
        bag.emit(Self.diagnostic(job: "b"))  // a value inherited from defaults, checked for a second job
        #expect(bag.diagnostics.count == 1)
        #expect(bag.diagnostics.first?.job == "a")
        #expect(bag.errorCount == 1)
        #expect(bag.errorsEmitted == 2)
    }

    @Test(arguments: [
        diagnostic(file: "other.yaml"), diagnostic(line: 2), diagnostic(column: 2), diagnostic(.error, .emptyValue),
        diagnostic(message: "other"),
    ])
    func aDifferentFilePlaceCodeOrMessageIsAnotherProblem(other: Diagnostic) {
        var bag = DiagnosticBag()
        bag.emit(Self.diagnostic())
        bag.emit(other)
        #expect(bag.diagnostics.count == 2)
    }

    @Test func warningsFailOnlyUnderStrict() {
        var lenient = DiagnosticBag()
        var strict = DiagnosticBag(strict: true)
        for i in 0..<2 {
            lenient.emit(Self.diagnostic(.warning, line: i + 1))
            strict.emit(Self.diagnostic(.warning, line: i + 1))
        }
        lenient.emit(Self.diagnostic(.note, line: 9))
        #expect(lenient.warningCount == 2)
        #expect(lenient.errorCount == 0)
        #expect(!lenient.failed)
        #expect(strict.failed)
        // A warning stays a warning: only the verdict changes.
        #expect(strict.diagnostics.allSatisfy { $0.severity == .warning })
        lenient.emit(Self.diagnostic(.error, line: 10))
        #expect(lenient.failed)
    }

    @Test func usesOfAGroupFoldIntoTheFirstWithACountedNote() {
        var bag = DiagnosticBag()
        let group = "m.yaml\u{0}KEY"
        let foldedBeforeStart = bag.fold(into: group, severity: .error, at: ManifestLocation(file: "m.yaml", line: 3))
        #expect(!foldedBeforeStart)
        bag.emit(Self.diagnostic(.error, .unsetVariable, line: 3), startingGroup: group) { .usedInMorePlaces("KEY", count: $0) }
        // Two more places, and one repeat of the first place (a value inherited by another job).
        var folded: [Bool] = []
        for line in [5, 3, 7] { folded.append(bag.fold(into: group, severity: .error, at: ManifestLocation(file: "m.yaml", line: line))) }
        #expect(folded == [true, true, true])
        #expect(bag.diagnostics.count == 1)
        #expect(bag.errorsEmitted == 4)
        #expect(bag.diagnostics[0].notes.isEmpty)
        bag.finish()
        #expect(bag.diagnostics[0].notes.map(\.message) == ["$<KEY> is used in 2 more places of this manifest"])
    }

    @Test func aGroupUsedInOnePlaceGetsNoNote() {
        var bag = DiagnosticBag()
        bag.emit(Self.diagnostic(.warning, .unsetVariable), startingGroup: "g") { .usedInMorePlaces("K", count: $0) }
        let folded = bag.fold(into: "g", severity: .warning, at: ManifestLocation(file: "m.yaml"))
        #expect(folded)
        bag.finish()
        #expect(bag.diagnostics[0].notes.isEmpty)
        #expect(bag.errorsEmitted == 0)
    }

    /// Past the cap of one code per job, every severity is counted in the note of the last one
    /// kept, repeats of a place are not, and a second `finish()` adds no note twice.
    @Test(arguments: [Severity.error, .warning, .note])
    func diagnosticsPastTheCapAreCountedInOneNote(severity: Severity) {
        var bag = DiagnosticBag()
        for line in 1...(DiagnosticBag.maxPerCode + 7) { bag.emit(Self.diagnostic(severity, line: line, job: "a")) }
        bag.emit(Self.diagnostic(severity, line: DiagnosticBag.maxPerCode + 7, job: "a"))  // a repeat
        bag.emit(Self.diagnostic(severity, line: 1_000, job: "b"))  // another job: kept
        bag.finish()
        bag.finish()
        #expect(bag.diagnostics.count == DiagnosticBag.maxPerCode + 1)
        let noted = bag.diagnostics[DiagnosticBag.maxPerCode - 1]
        #expect(noted.notes.map(\.message) == ["7 more wrong-type diagnostics in job 'a' are not shown"])
        #expect(bag.diagnostics.filter { !$0.notes.isEmpty }.count == 1)
        #expect(bag.hiddenErrors == (severity == .error ? 7 : 0))
        #expect(bag.hiddenWarnings == (severity == .warning ? 7 : 0))
    }

    @Test func sortedByTheGivenFileOrderThenPositionThenEmission() {
        var bag = DiagnosticBag()
        bag.emit(Self.diagnostic(message: "a2", file: "a.yaml", line: 2))
        bag.emit(Self.diagnostic(message: "b1", file: "b.yaml", line: 1))
        bag.emit(Self.diagnostic(message: "a1-first", file: "a.yaml", line: 1))
        bag.emit(Self.diagnostic(message: "a1-second", file: "a.yaml", line: 1))
        bag.emit(Self.diagnostic(message: "path", file: "missing/"))
        #expect(bag.sorted(files: ["b.yaml", "a.yaml"]).map(\.message) == ["path", "b1", "a1-first", "a1-second", "a2"])
    }

    @Test func theThrowingCollectorStopsAtTheFirstErrorAndKeepsWhatCameBefore() {
        var collector = ErrorThrowingCollector(upstream: DiagnosticBag())
        #expect(throws: Never.self) { try collector.emit(Self.diagnostic(.warning)) }
        #expect(throws: Self.diagnostic(.error, .emptyValue)) { try collector.emit(Self.diagnostic(.error, .emptyValue)) }
        #expect(collector.upstream.diagnostics.map(\.code) == [.wrongType, .emptyValue])
    }

    @Test func pathsReportThroughAnyCollector() throws {
        var collector = ErrorThrowingCollector(upstream: DiagnosticBag())
        #expect(throws: Diagnostic.self) { try ManifestPaths.expand(["/nonexistent/bulk-import"], into: &collector) }
        var bag = DiagnosticBag()
        let files = ManifestPaths.expand(["/nonexistent/bulk-import", "/nonexistent/bulk-import"], into: &bag)
        #expect(files.isEmpty)
        #expect(bag.diagnostics.map(\.message) == ["no such file or folder"])
    }

    @Test func everyLayerReportsIntoTheSameBag() {
        var bag = DiagnosticBag(strict: true)
        let manifest = ManifestLoader().load(
            file: Paths.diagnosticFixture(.unknownField).path, into: &bag)
        #expect(manifest != nil)
        let before = bag.diagnostics.count
        #expect(before >= 1)
        _ = Validator(environment: testEnvironment).validate([manifest!], into: &bag)
        #expect(bag.diagnostics.count >= before)
        #expect(bag.failed)
    }
}
