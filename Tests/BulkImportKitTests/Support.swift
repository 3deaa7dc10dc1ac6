import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

/// The environment the tests validate against: every variable the examples and fixtures reference,
/// set to distinctive values. Never the process's own environment.
let testEnvironment = Environment([
    "MILVUS_TOKEN": "root:mt-secret-1",
    "STAGING_MILVUS_TOKEN": "st-secret-2",
    "ZILLIZ_API_KEY": "zk-secret-3",
    "AWS_ACCESS_KEY_ID": "ak-secret-4",
    "AWS_SECRET_ACCESS_KEY": "sk-secret-5",
    "AWS_SESSION_TOKEN": "tk-secret-6",
    "GCS_HMAC_ACCESS_ID": "gk-secret-7",
    "GCS_HMAC_SECRET": "gs-secret-8",
])

enum Paths {
    /// The package root, found from this file's path.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    static var examples: URL { packageRoot.appendingPathComponent("examples") }
    static var schema: URL { packageRoot.appendingPathComponent("schemas/manifest.schema.json") }

    /// The copied `Fixtures` folder in the test bundle.
    static let fixtures: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures resource folder is missing from the test bundle")
        }
        return url
    }()

    static func diagnosticFixture(_ code: DiagnosticCode) -> URL {
        fixtures.appendingPathComponent("diagnostics/\(code.rawValue).yaml")
    }

    /// The `*.yaml` files directly inside `folder`, sorted.
    static func yamlFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { folder.appendingPathComponent($0) }
    }
}

/// Loads and validates manifests given as text, each named `file` in diagnostics.
func check(
    _ manifests: [(file: String, text: String)],
    environment: Environment = testEnvironment,
    options: ValidationOptions = ValidationOptions(),
    limits: YAMLLimits = .default
) -> ValidationResult {
    let loader = ManifestLoader(limits: limits)
    let loaded = manifests.map { loader.load(string: $0.text, file: $0.file) }
    return ManifestCheck(environment: environment, options: options, loader: loader)
        .check(loaded, files: manifests.map(\.file))
}

/// Loads and validates one manifest given as text.
func check(
    _ text: String,
    file: String = "manifest.yaml",
    environment: Environment = testEnvironment,
    options: ValidationOptions = ValidationOptions()
) -> ValidationResult {
    check([(file, text)], environment: environment, options: options)
}

extension ValidationResult {
    func diagnostics(_ code: DiagnosticCode) -> [Diagnostic] { diagnostics.filter { $0.code == code } }
    var codes: [DiagnosticCode] { diagnostics.map(\.code) }
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    func job(_ name: String) -> ImportJob? { jobs.first { $0.name == name } }

    /// Every diagnostic, one a line, for failure messages.
    var listing: String { diagnostics.map { "\($0)" }.joined(separator: "\n") }
}

/// A valid Milvus manifest with one job whose body lines are `jobBody` (indented by 4).
func milvusManifest(job jobBody: String, target: String = "uri: http://localhost:19530", defaults: String? = nil) -> String {
    var text = """
        version: 1
        targets:
          local:
            milvus:
        \(target.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))

        """
    if let defaults {
        text += "defaults:\n" + defaults.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }
    text += "jobs:\n  - name: job-1\n" + jobBody.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
    return text
}

/// Parses JSON text with Foundation, for checking what the library writes.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
