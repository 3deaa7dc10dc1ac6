/// Moves a state from one store to another (`bulk-import state export|import`): every record, in
/// order, so that the destination folds to the same entries as the source.
public enum StateTransfer {
    /// Why a state cannot be copied.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The destination already holds records: copying into it could mix two histories.
        case destinationNotEmpty(destination: String, records: Int)

        /// A sentence that says what and the fix.
        public var description: String {
            switch self {
            case .destinationNotEmpty(let destination, let records):
                return "the state at \(destination) already holds \(records) record\(records == 1 ? "" : "s"); "
                    + "a state is only copied into an empty one, so that two histories are never mixed. "
                    + "Choose a new, empty destination (a new file, or a new database)."
            }
        }
    }

    /// Copies every record of `source` into `destination`, in order, and returns how many.
    ///
    /// - Throws: ``Failure/destinationNotEmpty(destination:records:)`` when `destination` holds any
    ///   record; otherwise what reading `source` or appending to `destination` throws.
    @discardableResult
    public static func copy(from source: any StateStore, to destination: any StateStore) async throws -> Int {
        let existing = try await destination.records()
        guard existing.isEmpty else {
            throw Failure.destinationNotEmpty(destination: destination.location, records: existing.count)
        }
        let records = try await source.records()
        // In batches, so that a large state is neither one huge write nor one write per record.
        var start = 0
        while start < records.count {
            let end = min(start + 1000, records.count)
            try await destination.append(Array(records[start..<end]))
            start = end
        }
        return records.count
    }
}
