import Testing

@testable import BulkImportKit

@Suite("Milvus 2.2/2.3 files")
struct LegacyFileValidationTests {
    func check(_ files: String) -> ValidationResult {
        let text = """
            version: 1
            targets:
              legacy: {milvus: {uri: "http://localhost:9091", api: v1}}
            jobs:
              - {name: j, target: legacy, collection_name: c, files: \(files)}
            """
        let loaded = ManifestLoader().load(string: text, file: "m.yaml")
        return ManifestCheck(environment: testEnvironment).check([loaded], files: ["m.yaml"])
    }

    @Test func csvAndUpperCaseExtensionsAreRefusedBeforeTheServerDoes() {
        let csv = check("[/d/rows.csv]")
        #expect(csv.diagnostics.contains { $0.code == .unsupportedExtension && $0.message.contains("CSV came with 2.4") })
        let upper = check("[[/d/vector.NPY]]")
        #expect(
            upper.diagnostics.contains {
                $0.code == .unsupportedExtension && $0.message.contains("case-sensitively") && $0.fix == "rename the file to end in .npy"
            })
        let fine = check("[/d/rows.json, [/d/vector.npy]]")
        #expect(fine.diagnostics.isEmpty, "\(fine.diagnostics)")
    }
}
