import ArgumentParser
import BulkImportKit

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the manifest JSON Schema (draft-07), for editors and check-jsonschema."
    )

    func run() throws {
        Terminal.write(ManifestSchema.json + "\n", to: .stdout, redactor: Redactor())
    }
}
