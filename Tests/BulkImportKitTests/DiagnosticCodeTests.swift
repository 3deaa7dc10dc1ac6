import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

/// Where each diagnostic code is expected in its fixture, `Fixtures/diagnostics/<code>.yaml`.
struct ExpectedDiagnostic: Sendable, CustomTestStringConvertible {
    var code: DiagnosticCode
    var line: Int
    var column: Int
    var endLine: Int
    var endColumn: Int
    var severity: Severity = .error

    var testDescription: String { code.rawValue }
}

/// One row per code. The locations were checked by hand against the fixtures.
let expectedDiagnostics: [ExpectedDiagnostic] = [
    // Reading the file and the YAML in it.
    .init(code: .ioError, line: 1, column: 1, endLine: 1, endColumn: 1),  // a path that does not exist
    .init(code: .fileTooLarge, line: 1, column: 1, endLine: 1, endColumn: 1),  // a small maxInputBytes
    .init(code: .invalidEncoding, line: 10, column: 25, endLine: 10, endColumn: 25),  // the 0xFF byte
    .init(code: .yamlSyntax, line: 10, column: 30, endLine: 10, endColumn: 30),  // the second ':'
    .init(code: .nestingTooDeep, line: 3, column: 70, endLine: 3, endColumn: 70),  // the 64th '['
    .init(code: .aliasBudgetExceeded, line: 7, column: 8, endLine: 7, endColumn: 8),  // the first *d
    .init(code: .undefinedAlias, line: 10, column: 22, endLine: 10, endColumn: 22),
    .init(code: .invalidMerge, line: 10, column: 9, endLine: 10, endColumn: 17),
    .init(code: .duplicateKey, line: 12, column: 5, endLine: 12, endColumn: 20),  // the second key
    .init(code: .emptyFile, line: 1, column: 1, endLine: 1, endColumn: 1),
    .init(code: .multipleDocuments, line: 12, column: 1, endLine: 12, endColumn: 4),  // the '---'
    // The manifest's shape.
    .init(code: .unsupportedVersion, line: 2, column: 10, endLine: 2, endColumn: 11),
    .init(code: .unknownField, line: 10, column: 5, endLine: 10, endColumn: 19),
    .init(code: .wrongType, line: 10, column: 22, endLine: 10, endColumn: 32),
    .init(code: .emptyValue, line: 10, column: 22, endLine: 10, endColumn: 24),
    .init(code: .missingField, line: 8, column: 5, endLine: 11, endColumn: 1),  // the job mapping
    .init(code: .invalidName, line: 8, column: 11, endLine: 8, endColumn: 17),
    .init(code: .duplicateJob, line: 12, column: 11, endLine: 12, endColumn: 16),  // the second name
    .init(code: .undefinedTarget, line: 9, column: 13, endLine: 9, endColumn: 19),
    .init(code: .invalidTarget, line: 7, column: 5, endLine: 7, endColumn: 11),  // the second kind
    .init(code: .conflictingFields, line: 9, column: 19, endLine: 9, endColumn: 40),  // project_id
    .init(code: .unusedField, line: 12, column: 17, endLine: 12, endColumn: 37, severity: .warning),
    .init(code: .ambiguousScalar, line: 11, column: 21, endLine: 11, endColumn: 25, severity: .warning),  // 2024
    // Secrets and variables.
    .init(code: .plaintextSecret, line: 7, column: 14, endLine: 7, endColumn: 25),
    .init(code: .unsetVariable, line: 7, column: 14, endLine: 7, endColumn: 43, severity: .warning),
    .init(code: .invalidVariable, line: 10, column: 24, endLine: 10, endColumn: 24),  // the '$' of $<1bad>
    // The server's rules.
    .init(code: .invalidURL, line: 6, column: 12, endLine: 6, endColumn: 27),
    .init(code: .noFiles, line: 11, column: 12, endLine: 11, endColumn: 14),
    .init(code: .emptyGroup, line: 11, column: 24, endLine: 11, endColumn: 26, severity: .warning),
    .init(code: .mixedExtensions, line: 12, column: 22, endLine: 12, endColumn: 40),  // the odd one out
    .init(code: .groupSize, line: 12, column: 29, endLine: 12, endColumn: 46),  // the second file
    .init(code: .unsupportedExtension, line: 12, column: 9, endLine: 12, endColumn: 28),
    .init(code: .notBucketRelative, line: 12, column: 9, endLine: 12, endColumn: 50),
    .init(code: .invalidObjectURL, line: 13, column: 17, endLine: 13, endColumn: 50),
    .init(code: .tooManyGroups, line: 12, column: 7, endLine: 1037, endColumn: 1),  // the files list
    .init(code: .singleObjectURL, line: 14, column: 7, endLine: 16, endColumn: 5),
    .init(code: .unknownOption, line: 13, column: 7, endLine: 13, endColumn: 14, severity: .warning),
    .init(code: .invalidDuration, line: 13, column: 16, endLine: 13, endColumn: 25),
    .init(code: .optionDependency, line: 13, column: 7, endLine: 13, endColumn: 28, severity: .warning),
    .init(code: .optionsIgnored, line: 17, column: 7, endLine: 18, endColumn: 1, severity: .warning),
    .init(code: .nameRefused, line: 10, column: 22, endLine: 10, endColumn: 35),  // my-collection
    .init(code: .valueTooLarge, line: 11, column: 12, endLine: 11, endColumn: 12),
    .init(code: .relativePath, line: 12, column: 13, endLine: 12, endColumn: 30, severity: .warning),
    .init(code: .invalidState, line: 3, column: 8, endLine: 3, endColumn: 31),
    .init(code: .reservedOption, line: 14, column: 7, endLine: 14, endColumn: 27),  // _snapshot_source_uri
    // One per manifest, at the first job without a timeout.
    .init(code: .noTimeout, line: 8, column: 5, endLine: 12, endColumn: 3, severity: .warning),
    .init(code: .snapshotSource, line: 11, column: 13, endLine: 11, endColumn: 39),  // a bucket key, not a uri
    .init(code: .volumeSource, line: 15, column: 17, endLine: 15, endColumn: 38),  // object_url beside a volume
    .init(code: .deprecatedField, line: 13, column: 17, endLine: 13, endColumn: 25, severity: .warning),  // stage_name
    .init(code: .storageAccountMismatch, line: 14, column: 17, endLine: 14, endColumn: 37, severity: .warning),
    // The second job; the same groups in another order are the same import.
    .init(code: .sameImport, line: 12, column: 5, endLine: 16, endColumn: 1, severity: .warning),
    // Reported at the state of the first manifest that differs from the first one read.
    .init(code: .conflictingStates, line: 4, column: 8, endLine: 4, endColumn: 34),
]

/// Checks the fixture of `code` the way `bulk-import validate` does.
func checkFixture(_ code: DiagnosticCode) -> (path: String, outcome: ValidationResult) {
    switch code {
    case .ioError:
        let path = Paths.fixtures.appendingPathComponent("diagnostics/no-such-manifest.yaml").path
        return (path, ManifestCheck(environment: testEnvironment).check(paths: [path]))
    case .valueTooLarge:
        let path = Paths.diagnosticFixture(code).path
        let loader = ManifestLoader(limits: YAMLLimits(maxNodesPerValue: 8))
        return (path, ManifestCheck(environment: testEnvironment, loader: loader).check(paths: [path]))
    case .fileTooLarge:
        let path = Paths.diagnosticFixture(code).path
        let loader = ManifestLoader(limits: YAMLLimits(maxInputBytes: 64))
        return (path, ManifestCheck(environment: testEnvironment, loader: loader).check(paths: [path]))
    case .conflictingStates:
        let path = Paths.diagnosticFixture(code).path
        let other = Paths.fixtures.appendingPathComponent("diagnostics/conflicting-states/other/manifest.yaml").path
        return (path, ManifestCheck(environment: testEnvironment).check(paths: [other, path]))
    default:
        let path = Paths.diagnosticFixture(code).path
        return (path, ManifestCheck(environment: testEnvironment).check(paths: [path]))
    }
}

@Suite("Every diagnostic code, located")
struct DiagnosticCodeTests {
    @Test(arguments: expectedDiagnostics)
    func fixtureReportsTheCodeAtItsLocation(_ expected: ExpectedDiagnostic) throws {
        let (path, outcome) = checkFixture(expected.code)
        let found = outcome.diagnostics(expected.code)
        let diagnostic = try #require(found.first, "no \(expected.code.rawValue) in:\n\(outcome.listing)")
        #expect(found.count == 1, "\(outcome.listing)")
        #expect(diagnostic.location.file == path)
        #expect(diagnostic.location.line == expected.line)
        #expect(diagnostic.location.column == expected.column)
        #expect(diagnostic.location.endLine == expected.endLine)
        #expect(diagnostic.location.endColumn == expected.endColumn)
        #expect(diagnostic.severity == expected.severity)
        #expect(!diagnostic.message.isEmpty)
        // Counts agree with the diagnostics.
        #expect(outcome.errorCount == outcome.diagnostics.count { $0.severity == .error })
        #expect(outcome.warningCount == outcome.diagnostics.count { $0.severity == .warning })
    }

    @Test func tableCoversEveryCode() {
        let covered = expectedDiagnostics.map(\.code)
        #expect(Set(covered) == Set(DiagnosticCode.allCases))
        #expect(covered.count == Set(covered).count, "a code is listed twice")
    }

    @Test func everyFixtureFileHasARowAndEveryRowAFixture() throws {
        let folder = Paths.fixtures.appendingPathComponent("diagnostics")
        let files = Set(Paths.yamlFiles(in: folder).map { $0.deletingPathExtension().lastPathComponent })
        let constructed: Set<DiagnosticCode> = [.ioError]
        let expected = Set(expectedDiagnostics.map(\.code).filter { !constructed.contains($0) }.map(\.rawValue))
        #expect(files == expected)
    }

    @Test(arguments: DiagnosticCode.allCases)
    func everyCodeHasASummaryAndAStableSpelling(_ code: DiagnosticCode) {
        #expect(code.summary.hasSuffix("."))
        #expect(code.rawValue.allSatisfy { $0.isLowercase || $0 == "-" })
        #expect(DiagnosticCode(rawValue: code.rawValue) == code)
    }

    @Test func loaderReportsAMissingFileAsAnIOError() throws {
        let loaded = ManifestLoader().load(file: "/nonexistent/bulk-import/manifest.yaml")
        #expect(loaded.manifest == nil)
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(loaded.diagnostics.count == 1)
        #expect(diagnostic.code == .ioError)
        #expect(diagnostic.location == ManifestLocation(file: "/nonexistent/bulk-import/manifest.yaml"))
        #expect(diagnostic.message.contains("No such file"))
    }

    @Test func folderWithoutManifestsIsAnIOError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-import-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [folder.path])
        #expect(outcome.codes == [.ioError])
        #expect(outcome.files.isEmpty)
    }

    @Test func fileTooLargeFromBytesToo() throws {
        let loader = ManifestLoader(limits: YAMLLimits(maxInputBytes: 8))
        let loaded = loader.load(string: "version: 1\njobs: []\n", file: "big.yaml")
        #expect(loaded.manifest == nil)
        #expect(loaded.diagnostics.map(\.code) == [.fileTooLarge])
    }

    /// A manifest is read a chunk at a time as it is parsed: one that grows past the limit while
    /// it is read (here a FIFO, which has no size to check first) gives the one error, with its fix.
    @Test func fileTooLargeWhenItGrowsWhileRead() throws {
        let path = NSTemporaryDirectory() + "manifest-fifo-\(UUID().uuidString).yaml"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            // One write under PIPE_BUF: done before the loader sees a byte, so it never meets a closed pipe.
            let text = Array("version: 1\njobs:\n  - {name: a, target: t, collection: c, files: [[a.parquet]]}\n".utf8)
            _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let loaded = ManifestLoader(limits: YAMLLimits(maxInputBytes: 32)).load(file: path)
        #expect(loaded.manifest == nil)
        #expect(loaded.diagnostics.map(\.code) == [.fileTooLarge])
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.message == "the file grew past the limit of 32 bytes while it was read")
        #expect(diagnostic.location == ManifestLocation(file: path))
        #expect(diagnostic.fix?.contains("--max-file-size") == true)
    }

    @Test func duplicateKeyHasANoteAtTheFirstKey() throws {
        let (path, outcome) = checkFixture(.duplicateKey)
        let diagnostic = try #require(outcome.diagnostics(.duplicateKey).first)
        let note = try #require(diagnostic.notes.first)
        #expect(note.location?.file == path)
        #expect(note.location?.line == 10)
        #expect(note.location?.column == 5)
        #expect(note.message.contains("first"))
    }

    @Test func duplicateTopLevelKeyIsReportedAtTheSecond() throws {
        let outcome = check("version: 1\njobs: []\nversion: 1\n")
        let diagnostic = try #require(outcome.diagnostics(.duplicateKey).first)
        #expect(diagnostic.location.line == 3)
        #expect(diagnostic.location.column == 1)
        #expect(diagnostic.notes.first?.location?.line == 1)
    }

    @Test func yamlSyntaxKeepsLibyamlsWords() throws {
        let (_, outcome) = checkFixture(.yamlSyntax)
        let diagnostic = try #require(outcome.diagnostics(.yamlSyntax).first)
        #expect(diagnostic.message == "mapping values are not allowed in this context")
        #expect(diagnostic.fix != nil)
    }

    @Test func unclosedFlowSequenceNotesWhereItStarted() throws {
        let outcome = check("version: 1\njobs:\n  - name: a\n    files: [a.parquet\n    target: x\n")
        let diagnostic = try #require(outcome.diagnostics(.yamlSyntax).first)
        let note = try #require(diagnostic.notes.first)
        #expect(note.message.contains("flow sequence"))
        #expect(note.location?.line == 4)
        #expect(note.location?.column == 12)
    }

    @Test func conflictingFieldsNotePointsAtTheOtherField() throws {
        let (_, outcome) = checkFixture(.conflictingFields)
        let diagnostic = try #require(outcome.diagnostics(.conflictingFields).first)
        #expect(diagnostic.notes.first?.location?.line == 8)
        #expect(diagnostic.notes.first?.location?.column == 19)
    }

    @Test func mixedExtensionsNotePointsAtTheFirstExtension() throws {
        let (_, outcome) = checkFixture(.mixedExtensions)
        let diagnostic = try #require(outcome.diagnostics(.mixedExtensions).first)
        #expect(diagnostic.notes.first?.location?.line == 12)
        #expect(diagnostic.notes.first?.location?.column == 10)
    }

    @Test func emptyDocumentAndNonMappingRoot() throws {
        let empty = check("---\n...\n")
        #expect(empty.codes == [.emptyFile])
        let list = check("- a\n- b\n")
        #expect(list.codes == [.wrongType])
        #expect(list.diagnostics.first?.message.contains("a list") == true)
    }
}
