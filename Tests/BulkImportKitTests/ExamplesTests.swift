import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

@Suite("Examples")
struct ExamplesTests {
    static let valid = Paths.yamlFiles(in: Paths.examples)
    static let invalid = Paths.yamlFiles(in: Paths.examples.appendingPathComponent("invalid"))

    @Test func thereAreExamplesOfBothKinds() {
        #expect(Self.valid.count >= 4)
        #expect(Self.invalid.count >= 5)
    }

    @Test(arguments: valid)
    func exampleValidatesWithoutErrorsOrWarnings(url: URL) throws {
        let outcome = ManifestCheck(environment: testEnvironment, options: ValidationOptions(unsetVariableSeverity: .error))
            .check(paths: [url.path])
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
        #expect(outcome.jobs.count == outcome.declaredJobs)
        #expect(outcome.declaredJobs > 0)
    }

    @Test(arguments: valid)
    func exampleValidatesAgainstTheSchema(url: URL) throws {
        let schema = MiniJSONSchema(root: try SchemaTests.loadSchema())
        let root = try #require(try YAMLComposer.load(try String(contentsOf: url, encoding: .utf8)).root)
        #expect(schema.errors(in: root.jsonValue) == [])
    }

    @Test(arguments: valid + invalid)
    func exampleStartsWithTheSchemaComment(url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let relative =
            url.deletingLastPathComponent().lastPathComponent == "invalid"
            ? "../../schemas/manifest.schema.json" : "../schemas/manifest.schema.json"
        #expect(text.hasPrefix("# yaml-language-server: $schema=\(relative)\n"))
    }

    @Test(arguments: invalid)
    func invalidExampleHasAnError(url: URL) throws {
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [url.path])
        #expect(outcome.errorCount >= 1, "\(url.lastPathComponent): \(outcome.listing)")
        // Every diagnostic points into the file, at a real line.
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
        for diagnostic in outcome.diagnostics {
            #expect(diagnostic.location.file == url.path)
            #expect((1...lines).contains(diagnostic.location.line))
        }
    }

    /// Each invalid example shows the diagnostic its name promises.
    @Test(arguments: [
        ("bad-file-groups", [DiagnosticCode.mixedExtensions, .groupSize, .notBucketRelative, .unsupportedExtension, .emptyGroup]),
        ("bad-timeout", [.invalidDuration]),
        ("bad-uri", [.invalidURL]),
        ("duplicate-key", [.duplicateKey]),
        ("missing-required", [.unsupportedVersion, .missingField]),
        ("plaintext-secret", [.plaintextSecret]),
        ("undefined-target", [.undefinedTarget]),
        ("unknown-field", [.unknownField]),
        ("yaml-syntax-error", [.yamlSyntax]),
        ("zilliz-v1-several-urls", [.singleObjectURL]),
    ])
    func invalidExampleShowsItsDiagnostic(name: String, codes: [DiagnosticCode]) throws {
        let path = Paths.examples.appendingPathComponent("invalid/\(name).yaml").path
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [path])
        for code in codes { #expect(outcome.codes.contains(code), "\(name) lacks \(code): \(outcome.listing)") }
    }

    @Test func everyInvalidExampleIsInTheTable() {
        let names = Set(Self.invalid.map { $0.deletingPathExtension().lastPathComponent })
        #expect(
            names == [
                "bad-file-groups", "bad-timeout", "bad-uri", "duplicate-key", "missing-required", "plaintext-secret",
                "undefined-target", "unknown-field", "yaml-syntax-error", "zilliz-v1-several-urls",
            ])
    }

    @Test func schemaCatchesWhatItCanOfTheInvalidExamples() throws {
        let schema = MiniJSONSchema(root: try SchemaTests.loadSchema())
        for name in ["unknown-field", "missing-required", "duplicate-key"] {
            let text = try String(contentsOf: Paths.examples.appendingPathComponent("invalid/\(name).yaml"), encoding: .utf8)
            let root = try #require(try YAMLComposer.load(text).root)
            if name == "duplicate-key" {
                // The schema cannot see a duplicate key: YAML loaders keep one value.
                #expect(schema.errors(in: root.jsonValue).isEmpty)
            } else {
                #expect(!schema.errors(in: root.jsonValue).isEmpty, "\(name)")
            }
        }
    }

    @Test func allExamplesTogetherHaveUniqueJobNames() {
        let outcome = ManifestCheck(environment: testEnvironment).check(paths: [Paths.examples.path])
        #expect(outcome.files.count == Self.valid.count)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    /// Every variable the examples reference (without a fallback) is one the test environment
    /// sets, so the tests above really resolve everything.
    @Test func testEnvironmentCoversTheExamplesVariables() throws {
        var names = Set<String>()
        func walk(_ node: YAMLNode) {
            switch node.content {
            case .scalar(let scalar):
                guard let template = try? StringTemplate(parsing: scalar.value) else { return }
                for part in template.parts {
                    if case .variable(let name, nil) = part { names.insert(name) }
                }
            case .sequence(let items): for item in items { walk(item) }
            case .mapping(let pairs): for pair in pairs { walk(pair.value) }
            }
        }
        for url in Self.valid {
            walk(try #require(try YAMLComposer.load(try String(contentsOf: url, encoding: .utf8)).root))
        }
        #expect(names.count >= 5)
        #expect(names.subtracting(testEnvironment.values.keys).isEmpty, "\(names.subtracting(testEnvironment.values.keys))")
    }
}
