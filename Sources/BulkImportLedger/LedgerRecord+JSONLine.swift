/// A record as the one line of JSON the file ledger writes: how other stores (PostgreSQL) keep
/// records byte for byte like the file, so that every store folds them the same way.
extension LedgerRecord {
    /// Why a line of JSON does not hold a record.
    public struct JSONLineError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the line.
        public var description: String
    }

    /// The record as the file ledger writes it, without the line end (`time` with millisecond precision).
    public var jsonLine: String {
        String(decoding: LedgerJSON.encode(self), as: UTF8.self)
    }

    /// Reads a record from one line of the file ledger's JSON (without its line end).
    ///
    /// - Throws: ``JSONLineError`` when the line is not a record.
    public init(jsonLine: String) throws(JSONLineError) {
        let bytes = Array(jsonLine.utf8)
        do {
            self = try LedgerJSON.decode(bytes, in: 0..<bytes.count)
        } catch {
            throw JSONLineError(description: error.description)
        }
    }
}
