import ArgumentParser
import BulkImportKit
import LibYAML
import Logging

@main
struct BulkImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulk-import",
        abstract: "Validate, plan and run declarative bulk-import manifests for Milvus and Zilliz Cloud.",
        discussion: """
            Exit codes: 0 success; 1 invalid manifests, or jobs that failed or whose outcome is unknown; 64 usage error \
            (no command, a --format the command does not write, a --job that names no job); 130 interrupted.
            """,
        // The tool's version alone on the first line (scripts read it), then the libyaml it runs with.
        version: "\(BulkImportVersion.current)\nlibyaml \(LibYAMLVersion.string)",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, RunCommand.self, StatusCommand.self, ListCommand.self, ResolveCommand.self,
            StateCommand.self,
            SchemaCommand.self,
            AbortCommand.self,
        ]
    )

    /// Every logger, the libraries' included, writes one line each on stderr (see `StderrLogHandler`).
    static func main() async {
        LoggingSystem.bootstrap { StderrLogHandler(label: $0) }
        await main(nil)
    }

    /// No command: the usage on stderr, and the usage error's exit code (never 0, so a script
    /// that forgot its command fails).
    func run() async throws {
        Terminal.write(Self.helpMessage() + "\n", to: .stderr)
        throw ExitCode.validationFailure
    }
}
