import ArgumentParser
import BulkImportKit
import BulkImportPostgres

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Move the jobs' state between a ledger file and PostgreSQL.",
        discussion: """
            Every record is copied, in order, into an empty destination (a new file, or a database without \
            bulk-import records), so the destination knows every job id the source knew. A password in a \
            URL is best given as $<ENV> (e.g. postgres://importer:$<PGPASSWORD>@db:5432/imports), which \
            bulk-import resolves, and is never printed.
            Exit codes: 0 copied; 1 not copied (the destination is not empty, a state cannot be opened); 64 usage.
            """,
        subcommands: [Export.self, Import.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a PostgreSQL state (or a ledger file) into a new ledger file.")

        @Option(help: ArgumentHelp("The state to read: a postgres:// URL or a ledger file.", valueName: "url-or-path"))
        var from: String

        @Option(help: ArgumentHelp("The ledger file to write; it must not hold records.", valueName: "path"))
        var to: String

        func run() async throws {
            let (source, destination, redactor) = try StateCommand.locations(from: from, to: to)
            guard case .file = destination else {
                throw ToolError("--to must be a ledger file; to copy into PostgreSQL use `state import`")
            }
            try await StateCommand.copy(from: source, to: destination, redactor: redactor)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a ledger file into a PostgreSQL state (or another ledger file).")

        @Option(help: ArgumentHelp("The ledger file to read.", valueName: "path"))
        var from: String

        @Option(
            help: ArgumentHelp(
                "The state to write: a postgres:// URL or a ledger file; it must not hold records.", valueName: "url-or-path"))
        var to: String

        func run() async throws {
            let (source, destination, redactor) = try StateCommand.locations(from: from, to: to)
            guard case .file = source else { throw ToolError("--from must be a ledger file; to copy out of PostgreSQL use `state export`") }
            try await StateCommand.copy(from: source, to: destination, redactor: redactor)
        }
    }

    static func locations(from: String, to: String) throws -> (StateLocation, StateLocation, Redactor) {
        let environment = Terminal.environment()
        var (source, redactor) = try Connections.stateLocation(parsing: from, environment: environment)
        let (destination, more) = try Connections.stateLocation(parsing: to, environment: environment)
        redactor.merge(more)
        Terminal.warnAboutShortSecrets(redactor)
        if source == destination { throw ToolError("--from and --to name the same state (\(source))") }
        return (source, destination, redactor)
    }

    /// Opens the source for reading (a ledger file without its lock; a database without creating
    /// anything) and the destination for writing, and copies.
    static func copy(from source: StateLocation, to destination: StateLocation, redactor: Redactor) async throws {
        let reader: any StateStore
        switch source {
        case .file(let path):
            guard Connections.fileExists(path) else { throw Connections.missingState(source) }
            reader = try LedgerSnapshot(path: path)
        case .postgres(let url):
            do {
                reader = try await PostgresState.open(url: url, create: false)
            } catch PostgresStateError.noState {
                throw Connections.missingState(source)
            } catch {
                throw ToolError(redactor.redact("\(error)"))
            }
        }
        let writer: any StateStore
        do {
            writer = try await Connections.openState(destination, use: .record, redactor: redactor)
        } catch {
            await reader.close()
            throw error
        }
        do {
            let count = try await StateTransfer.copy(from: reader, to: writer)
            let jobs = try await writer.entries().count
            await writer.close()
            await reader.close()
            Terminal.write(
                "copied \(count) record\(count == 1 ? "" : "s") of \(jobs) job\(jobs == 1 ? "" : "s") from \(source) to \(destination)\n",
                to: .stdout, redactor: redactor)
        } catch {
            await writer.close()
            await reader.close()
            throw ToolError(redactor.redact("\(error)"))
        }
    }
}
