import BulkImportKit
import BulkImportPostgres
import Platform

/// The one place the commands open the state and build the HTTP client of the import APIs.
enum Connections {
    /// The client every command that talks to servers uses: one transport, pooling connections
    /// for the whole run, and the requests `plan` prints.
    struct Client {
        let transport: AsyncHTTPTransport
        let builder: RequestBuilder
        let service: HTTPImportService

        func shutdown() async { await transport.shutdown() }
    }

    /// A client whose requests may take `requestTimeout` seconds on the server (sent to Milvus as
    /// `Request-Timeout`), and 5 s more on the way; `log` writes a line per request and response.
    static func client(requestTimeout: Int, log: RequestLogger = .disabled) -> Client {
        let transport = AsyncHTTPTransport(log: log)
        let builder = RequestBuilder(requestTimeoutSeconds: requestTimeout)
        let service = HTTPImportService(transport: transport, builder: builder, timeout: .seconds(requestTimeout + 5))
        return Client(transport: transport, builder: builder, service: service)
    }

    /// The state `--state` names (relative paths against the current folder; `$<ENV>` resolved),
    /// and a redactor for the password it may hold.
    static func stateLocation(parsing text: String, environment: Environment) throws -> (StateLocation, Redactor) {
        let resolved: String
        do {
            switch try StringTemplate(parsing: text).resolve(in: environment) {
            case .success(let value): resolved = value
            case .failure(let unset):
                throw ToolError("--state refers to \(unset.names.map { "$<\($0)>" }.joined(separator: ", ")), which is not set")
            }
        } catch let error as StringTemplate.ParseError {
            throw ToolError("--state: \(error.message)")
        }
        do {
            let location = try StateLocation(parsing: resolved, relativeTo: ".")
            var redactor = Redactor()
            if let password = location.password { redactor.add(password) }
            return (location, redactor)
        } catch {
            throw ToolError("--state: \(error.message); \(error.fix)")
        }
    }

    /// What a command does with the state.
    enum StateUse {
        /// `run`: records every step; a state that does not exist yet is created (and said so).
        case record
        /// `status`: records what it finds when it can; reads without recording while a run holds
        /// the state. The state must exist.
        case follow
    }

    /// Opens the jobs' state, printing what it had to repair and whether it is new.
    static func openState(
        _ location: StateLocation?, use: StateUse, redactor: Redactor, lease: Duration = .seconds(30)
    ) async throws -> any StateStore {
        guard let location else {
            throw ToolError("the manifests do not agree on one state: fix the errors above, or pass --state")
        }
        switch location {
        case .file(let path):
            if use == .follow, !fileExists(path) { throw missingState(location) }
            let store: any StateStore
            do {
                store = try Ledger.open(path: path)
            } catch LedgerError.locked(_, let pid) where use == .follow {
                Terminal.write(
                    "note: a run (pid \(pid.map(String.init) ?? "unknown")) holds the state \(path); reading it as it is now, without recording what this finds\n",
                    to: .stderr, redactor: redactor)
                return try LedgerSnapshot(path: path)
            } catch {
                throw ToolError("\(error)")
            }
            for warning in await store.warnings {
                Terminal.write("warning: \(path): \(warning)\n", to: .stderr, redactor: redactor)
            }
            await announceIfNew(store, redactor: redactor)
            return store
        case .postgres(let url):
            let store: PostgresState
            do {
                store = try await PostgresState.open(url: url, lease: lease, create: use == .record)
            } catch PostgresStateError.noState {
                throw missingState(location)
            } catch {
                throw ToolError(redactor.redact("\(error)"))
            }
            if use == .record { await announceIfNew(store, redactor: redactor) }
            return store
        }
    }

    /// Reads the state as it is, without locking or creating anything: for `list` and `plan`.
    /// Nil when it does not exist and is not `required`.
    static func readState(_ location: StateLocation?, required: Bool) async throws -> [LedgerEntry]? {
        guard let location else {
            if required { throw ToolError("the manifests do not agree on one state: fix the errors above, or pass --state") }
            return nil
        }
        switch location {
        case .file(let path):
            guard fileExists(path) else {
                if required { throw missingState(location) }
                return nil
            }
            do {
                return try Ledger.snapshot(path: path)
            } catch {
                throw ToolError("\(error)")
            }
        case .postgres(let url):
            let store: PostgresState
            do {
                store = try await PostgresState.open(url: url, create: false)
            } catch PostgresStateError.noState {
                if required { throw missingState(location) }
                return nil
            } catch {
                throw ToolError("\(error)")
            }
            do {
                let entries = try await store.entries()
                await store.close()
                return entries
            } catch {
                await store.close()
                throw ToolError("\(error)")
            }
        }
    }

    /// Says in one line that a run starts a new, empty state (a state in the wrong place would
    /// otherwise import everything again silently).
    private static func announceIfNew(_ store: any StateStore, redactor: Redactor) async {
        guard await store.isNew else { return }
        Terminal.write(
            "note: starting a new, empty state at \(store.location): no job of these manifests was recorded there before\n",
            to: .stderr, redactor: redactor)
    }

    static func missingState(_ location: StateLocation) -> ToolError {
        ToolError(
            "there is no state at \(location): nothing was run with these manifests there. "
                + "Run `bulk-import run` first, or name the state the jobs were recorded in with `state:` or --state")
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
