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
    // Azure: the access key is the storage account's name, which the example's urls name.
    "AZURE_STORAGE_ACCOUNT": "examplestore",
    "AZURE_STORAGE_KEY": "az-secret-9",
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
///
/// `keepNoTimeout`: most tests write Milvus jobs without a `timeout` option to test something
/// else; the one `no-timeout` warning per manifest is dropped for them (and the result's `failed`
/// recomputed) unless a test asks for it. `OptionValidationTests` tests it.
func check(
    _ manifests: [(file: String, text: String)],
    environment: Environment = testEnvironment,
    options: ValidationOptions = ValidationOptions(),
    limits: YAMLLimits = .default,
    keepNoTimeout: Bool = false
) -> ValidationResult {
    let loader = ManifestLoader(limits: limits)
    let loaded = manifests.map { loader.load(string: $0.text, file: $0.file) }
    var result = ManifestCheck(environment: environment, options: options, loader: loader)
        .check(loaded, files: manifests.map(\.file))
    if !keepNoTimeout {
        result.diagnostics.removeAll { $0.code == .noTimeout }
        result.failed = result.errorCount > 0 || (options.strict && result.warningCount > 0)
    }
    return result
}

/// Loads and validates one manifest given as text.
func check(
    _ text: String,
    file: String = "manifest.yaml",
    environment: Environment = testEnvironment,
    options: ValidationOptions = ValidationOptions(),
    keepNoTimeout: Bool = false
) -> ValidationResult {
    check([(file, text)], environment: environment, options: options, keepNoTimeout: keepNoTimeout)
}

extension ValidationResult {
    func diagnostics(_ code: DiagnosticCode) -> [Diagnostic] { diagnostics.filter { $0.code == code } }
    var codes: [DiagnosticCode] { diagnostics.map(\.code) }
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    func job(_ name: String) -> ImportJob? { jobs.first { $0.name == name } }

    /// Every diagnostic, one a line, for failure messages.
    var listing: String { diagnostics.map { "\($0)" }.joined(separator: "\n") }
}

/// A manifest written for a test: the header many tests share (version, targets, defaults), then
/// the jobs. Bodies are YAML lines without indentation; the builder indents them, so line numbers
/// are easy to count: `version` is line 1, `targets:` line 2, each target's name and kind take two
/// lines before its body.
struct ManifestBuilder {
    /// A Zilliz Cloud v2 target's body.
    static let zillizTarget = "url: https://api.cloud.zilliz.com\napi_key: $<ZILLIZ_API_KEY>\ncluster_id: in01-x"
    /// The credentials every Zilliz Cloud job needs.
    static let zillizCredentials = "access_key: $<AWS_ACCESS_KEY_ID>\nsecret_key: $<AWS_SECRET_ACCESS_KEY>"

    private var targets: [(name: String, kind: String, body: String)] = []
    private var defaultsBody: String?
    private var jobsText = ""

    init() {}

    /// Adds a target `name` of `kind` (`milvus`, `zilliz`, or a misspelling under test).
    func target(_ name: String, _ kind: String, _ body: String) -> ManifestBuilder {
        var copy = self
        copy.targets.append((name, kind, body))
        return copy
    }

    /// A Milvus target `local` at localhost, unless told otherwise.
    func milvus(_ name: String = "local", _ body: String = "uri: http://localhost:19530") -> ManifestBuilder {
        target(name, "milvus", body)
    }

    /// A Zilliz Cloud v2 target `cloud`, unless told otherwise.
    func zilliz(_ name: String = "cloud", _ body: String = zillizTarget) -> ManifestBuilder {
        target(name, "zilliz", body)
    }

    func defaults(_ body: String?) -> ManifestBuilder {
        var copy = self
        copy.defaultsBody = body
        return copy
    }

    /// Adds a job named `name` whose other fields are `body`.
    func job(_ name: String, _ body: String) -> ManifestBuilder {
        var copy = self
        copy.jobsText += "  - name: \(name)\n" + Self.indent(body, by: 4)
        return copy
    }

    /// Adds list items written out in full (for anchors and merges), indented under `jobs:`.
    func jobs(_ items: String) -> ManifestBuilder {
        var copy = self
        copy.jobsText += Self.indent(items, by: 2)
        return copy
    }

    var text: String {
        var text = "version: 1\n"
        if !targets.isEmpty {
            text += "targets:\n"
            for t in targets { text += "  \(t.name):\n    \(t.kind):\n" + Self.indent(t.body, by: 6) }
        }
        if let defaultsBody { text += "defaults:\n" + Self.indent(defaultsBody, by: 2) }
        return text + "jobs:\n" + jobsText
    }

    /// Every non-empty line of `body`, indented, each ending in a newline.
    private static func indent(_ body: String, by n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return body.split(separator: "\n").map { pad + $0 + "\n" }.joined()
    }
}

/// A valid Milvus manifest with one job whose body lines are `jobBody` (indented by 4).
func milvusManifest(job jobBody: String, target: String = "uri: http://localhost:19530", defaults: String? = nil) -> String {
    ManifestBuilder().milvus("local", target).defaults(defaults).job("job-1", jobBody).text
}

/// Spans for tests that build model values by hand.
enum LibYAMLSpan {
    static var zero: YAMLSpan { make(1, 1, 1, 1) }
    static func make(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> YAMLSpan {
        YAMLSpan(start: YAMLMark(line: l1, column: c1), end: YAMLMark(line: l2, column: c2))
    }
}

/// Parses JSON text with Foundation, for checking what the library writes.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
