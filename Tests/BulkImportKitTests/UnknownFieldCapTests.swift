import Foundation
import Testing

@testable import BulkImportKit

/// Unknown keys past the cap of one code per job are counted as before, though their fix (a
/// spelling search) is no longer worked out.
@Suite("Manifest: unknown keys past the cap")
struct UnknownFieldCapTests {
    @Test func unknownKeysPastTheCapAreCountedAndTheShownOnesKeepTheirFix() throws {
        var text = """
            version: 1
            targets: {local: {milvus: {uri: http://localhost:19530}}}
            jobs:
              - name: a
                target: local
                collection_name: c
                files: [a.parquet]

            """
        for i in 0..<200 { text += "    colection_nam\(i % 10)x\(i): v\n" }
        // From a file, as `validate` reads it: one bag from loading to the end, so the counts of
        // what is not shown survive.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unknown-cap-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = ManifestCheck(environment: testEnvironment).check(paths: [path])
        let shown = result.diagnostics(.unknownField)
        #expect(shown.count == DiagnosticBag.maxPerCode)
        #expect(shown.allSatisfy { $0.fix != nil })
        #expect(result.hiddenErrors == 200 - DiagnosticBag.maxPerCode)
        #expect(result.errorCount == 200)
        #expect(shown.last?.notes.last?.message.contains("150 more unknown-field diagnostics") == true, "\(result.listing)")
    }
}
