import ArgumentParser
import BulkImportKit
import LibYAML

@main
struct BulkImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulk-import",
        abstract: "Validate, plan and run declarative bulk-import manifests for Milvus and Zilliz Cloud.",
        discussion: """
            Exit codes: 0 success; 1 invalid manifests, or jobs that failed or whose outcome is unknown; 64 usage error; 130 interrupted.
            """,
        // The tool's version alone on the first line (scripts read it), then the libyaml it runs with.
        version: "\(BulkImportVersion.current)\nlibyaml \(LibYAMLVersion.string)",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, RunCommand.self, StatusCommand.self, ListCommand.self, ResolveCommand.self,
            StateCommand.self,
            SchemaCommand.self,
        ]
    )
}
