/// The fold of a sequence of records into one ``LedgerEntry`` per job, exactly as the file
/// ``Ledger`` folds its lines (it keeps its folds in one): for stores that keep the records
/// elsewhere (PostgreSQL) and for tools that read records (export, import).
///
/// The folds are kept packed, in the order each job was first recorded, with an index from a
/// job's name to its place: about 200 bytes a job, however many jobs a ledger holds.
public struct LedgerFolding: Sendable {
    private var folds: [LedgerFold] = []
    private var index: [String: Int32] = [:]

    /// An empty fold.
    public init() {}

    /// Folds `records`, in order.
    public init(_ records: some Sequence<LedgerRecord>) {
        for record in records { apply(record) }
    }

    /// Folds in the next record.
    public mutating func apply(_ record: LedgerRecord) {
        if let place = index[record.job] {
            folds[Int(place)].apply(record)
        } else {
            index[record.job] = Int32(folds.count)
            folds.append(LedgerFold(record))
        }
    }

    /// The entry of `job`, or `nil` if no record of it was folded.
    public func entry(for job: String) -> LedgerEntry? {
        index[job].map { folds[Int($0)].entry }
    }

    /// Every job's entry, in the order each job was first recorded.
    public var entries: [LedgerEntry] {
        folds.map(\.entry)
    }

    /// How many jobs have records.
    public var count: Int { folds.count }
}
