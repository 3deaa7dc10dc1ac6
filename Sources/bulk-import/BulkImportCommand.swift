import ArgumentParser
import BulkImportKit

@main
struct BulkImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulk-import",
        abstract: "Validate, plan and run declarative bulk-import manifests for Milvus and Zilliz Cloud.",
        discussion: """
            Exit codes: 0 success; 1 invalid manifests (or failed jobs); 64 usage error.
            """,
        version: RequestBuilder.version,
        subcommands: [ValidateCommand.self, PlanCommand.self, SchemaCommand.self]
    )
}
