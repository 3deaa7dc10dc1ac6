// The job ledger's reader over arbitrary bytes: the JSON parser (with the ledger's options) on the whole input, then
// LedgerReader.read as on a ledger file's contents.
//
// Properties:
// - no crash; every line gives at most a record and a warning (a last line without its line end
//   gives both), and no more records or warnings than lines;
// - `needsLineEnd` is true exactly when the bytes are not empty and do not end with a line end;
// - every record read writes back (LedgerJSON.encode) to a line that reads again, to the same line:
//   what the reader accepts, the writer can write (for times the writer can keep, see below);
// - parsing is bounded: at most one value per input byte.
import FuzzSupport
import JSON

@testable import BulkImportLedger

func count(_ value: JSONValue) -> Int {
    switch value {
    case .array(let items): return 1 + items.reduce(0) { $0 + count($1) }
    case .object(let members): return 1 + members.reduce(0) { $0 + count($1.1) }
    default: return 1
    }
}

Fuzz.run { bytes in
    let input = Array(bytes)
    if let value = try? JSONParser.parse(input, options: LedgerJSON.parserOptions) {
        Fuzz.check(count(value) <= input.count, "\(count(value)) values from \(input.count) bytes")
    }
    let contents = LedgerReader.read(input)
    Fuzz.check(contents.needsLineEnd == (!input.isEmpty && input.last != 0x0A), "needsLineEnd is wrong")
    let lines = input.isEmpty ? 0 : input.split(separator: 0x0A, omittingEmptySubsequences: false).count
    Fuzz.check(
        contents.records.count <= lines && contents.warnings.count <= lines
            && contents.records.count + contents.warnings.count <= lines + 1,
        "\(contents.records.count) records and \(contents.warnings.count) warnings from \(lines) lines")
    // The writer keeps milliseconds up to ±2^53 ms and writes 0 past that (LedgerJSON.appendTime);
    // times that far out (past the year 33,000 here) are left out of the round trip.
    for record in contents.records where record.time.isFinite && abs(record.time) < 1e12 {
        let line = LedgerJSON.encode(record)
        Fuzz.check(!line.contains(0x0A), "an encoded record holds a line end")
        do {
            let again = try LedgerJSON.decode(line, in: 0..<line.count)
            let second = LedgerJSON.encode(again)
            Fuzz.check(
                second == line,
                "a record does not survive writing and reading: \(String(decoding: line, as: UTF8.self)) became \(String(decoding: second, as: UTF8.self))"
            )
        } catch {
            Fuzz.fail("a record read from the ledger writes a line that does not read: \(error): \(String(decoding: line, as: UTF8.self))")
        }
    }
}
