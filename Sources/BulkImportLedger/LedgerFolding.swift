/// The fold of a sequence of records into one ``LedgerEntry`` per job, exactly as the file
/// ``Ledger`` folds its lines: for stores that keep the records elsewhere (PostgreSQL) and for
/// tools that read records (export, import).
public struct LedgerFolding: Sendable {
    private var folds: [String: LedgerFold] = [:]
    private var order: [String] = []

    /// An empty fold.
    public init() {}

    /// Folds `records`, in order.
    public init(_ records: some Sequence<LedgerRecord>) {
        for record in records { apply(record) }
    }

    /// Folds in the next record.
    public mutating func apply(_ record: LedgerRecord) {
        if folds[record.job]?.apply(record) == nil {
            folds[record.job] = LedgerFold(record)
            order.append(record.job)
        }
    }

    /// The entry of `job`, or `nil` if no record of it was folded.
    public func entry(for job: String) -> LedgerEntry? {
        folds[job]?.entry
    }

    /// Every job's entry, in the order each job was first recorded.
    public var entries: [LedgerEntry] {
        order.compactMap { folds[$0]?.entry }
    }
}
