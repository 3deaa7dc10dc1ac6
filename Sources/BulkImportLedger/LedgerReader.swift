/// Reads the records of a ledger file's contents, skipping what cannot be read (internal).
///
/// Never fails: a line that does not hold a record is skipped with a warning naming its
/// line number, so that one bad line cannot hide the records around it.
enum LedgerReader {
    /// What was read.
    struct Contents: Sendable {
        /// The records, in file order (empty when they were handed to a fold instead).
        var records: [LedgerRecord] = []
        /// How many records were read.
        var count = 0
        /// One sentence per problem found.
        var warnings: [String] = []
        /// Whether the file is non-empty and does not end with a line end, so that the next
        /// append must first write one.
        var needsLineEnd = false
    }

    /// Reads `bytes`, the whole file, whose name is used in no message (messages name lines).
    static func read(_ bytes: [UInt8]) -> Contents {
        var records: [LedgerRecord] = []
        var contents = read(bytes) { records.append($0) }
        contents.records = records
        return contents
    }

    /// Reads `bytes` as ``read(_:)`` does, handing each record to `take` as it is read instead of
    /// keeping them all: opening a ledger of many jobs folds them without holding every record.
    static func read(_ bytes: [UInt8], each take: (LedgerRecord) -> Void) -> Contents {
        var contents = Contents()
        contents.needsLineEnd = !bytes.isEmpty && bytes[bytes.count - 1] != 0x0A
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let isLast = end == bytes.count
            let range = start..<end
            start = end + 1
            if isBlank(bytes, range) { continue }
            do {
                let record = try LedgerJSON.decode(bytes, in: range)
                take(record)
                contents.count += 1
                if isLast {
                    // The record is whole but its line end is missing: the writer was stopped
                    // between the two. Keeping it errs on the safe side (the job may exist).
                    contents.warnings.append(
                        "line \(lineNumber) has no line end (the previous run was interrupted while writing it); its record is complete and was kept"
                    )
                }
            } catch {
                if isLast {
                    contents.warnings.append(
                        "line \(lineNumber) is incomplete (the previous run was interrupted while writing it); ignored"
                    )
                } else {
                    contents.warnings.append("line \(lineNumber) is not a valid record (\(error)); skipped")
                }
            }
        }
        return contents
    }

    private static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        for i in range where !(bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D) { return false }
        return true
    }
}
