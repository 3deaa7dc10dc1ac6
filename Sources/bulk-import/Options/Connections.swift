import BulkImportKit

/// The one place the commands open the ledger and build the HTTP client of the import APIs.
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
    /// `Request-Timeout`), and 5 s more on the way.
    static func client(requestTimeout: Int) -> Client {
        let transport = AsyncHTTPTransport()
        let builder = RequestBuilder(requestTimeoutSeconds: requestTimeout)
        let service = HTTPImportService(transport: transport, builder: builder, timeout: .seconds(requestTimeout + 5))
        return Client(transport: transport, builder: builder, service: service)
    }

    /// Opens the ledger at `path` for a run, printing what it had to repair.
    static func openLedger(path: String, redactor: Redactor) async throws -> Ledger {
        let ledger: Ledger
        do {
            ledger = try Ledger.open(path: path)
        } catch {
            throw ToolError("\(error)")
        }
        for warning in await ledger.warnings {
            Terminal.write("warning: \(path): \(warning)\n", to: .stderr, redactor: redactor)
        }
        return ledger
    }
}
