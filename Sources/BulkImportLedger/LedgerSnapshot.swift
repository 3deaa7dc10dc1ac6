/// A ledger file read once without its lock, for `status` and `list` while a `run` holds it: what
/// was recorded up to that moment. It records nothing: ``append(_:)`` throws
/// ``LedgerError/readOnly(path:)``.
public struct LedgerSnapshot: StateStore {
    public let location: String
    public let warnings: [String] = []
    public var isNew: Bool { false }
    private let folded: [LedgerEntry]
    private let byJob: [String: LedgerEntry]

    /// Reads the ledger at `path`. A missing file reads as an empty ledger.
    public init(path: String) throws {
        location = path
        folded = try Ledger.snapshot(path: path)
        byJob = Dictionary(folded.map { ($0.job, $0) }, uniquingKeysWith: { $1 })
    }

    public func entry(for job: String) async throws -> LedgerEntry? { byJob[job] }

    public func entries() async throws -> [LedgerEntry] { folded }

    public func records() async throws -> [LedgerRecord] { try Ledger.records(path: location) }

    public func append(_ records: [LedgerRecord]) async throws {
        throw LedgerError.readOnly(path: location)
    }

    public func claim(_ job: String) async throws -> ClaimResult { .claimed }

    public func close() async {}
}
