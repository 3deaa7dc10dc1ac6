import JSON

/// Encodes and decodes ``LedgerRecord`` as one flat JSON object, without Foundation (internal).
///
/// Key order is fixed (`time`, `event`, `job`, `digest`, `target`, `api`, `jobIDs`, `group`,
/// `attempt`, `state`, `progress`, `error`, `idempotencyKey`, `generation`, `note`); `nil` optionals are left out;
/// `time` is written with millisecond precision. Unknown keys are ignored when reading.
enum LedgerJSON {
    /// Why a line does not hold a record.
    struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
        var description: String
    }

    // MARK: Encoding

    /// The record as JSON, without the line end.
    static func encode(_ record: LedgerRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192 + record.job.utf8.count + (record.error?.utf8.count ?? 0))
        out.append(contentsOf: #"{"time":"#.utf8)
        appendTime(record.time, to: &out)
        field("event", record.event.rawValue, &out)
        field("job", record.job, &out)
        field("digest", record.digest, &out)
        field("target", record.target, &out)
        field("api", record.api, &out)
        out.append(contentsOf: #","jobIDs":["#.utf8)
        for (i, id) in record.jobIDs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(id, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if let group = record.group { field("group", group, &out) }
        field("attempt", record.attempt, &out)
        if let state = record.state { field("state", state, &out) }
        if let progress = record.progress { field("progress", progress, &out) }
        if let error = record.error { field("error", error, &out) }
        if let key = record.idempotencyKey { field("idempotencyKey", key, &out) }
        if let generation = record.generation { field("generation", generation, &out) }
        if let note = record.note { field("note", note, &out) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func field(_ key: StaticString, _ value: String, _ out: inout [UInt8]) {
        fieldKey(key, &out)
        appendString(value, to: &out)
    }

    private static func field(_ key: StaticString, _ value: Int, _ out: inout [UInt8]) {
        fieldKey(key, &out)
        out.append(contentsOf: String(value).utf8)
    }

    private static func fieldKey(_ key: StaticString, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// Seconds since 1970 with exactly three decimals, e.g. `1700000000.123`.
    static func appendTime(_ time: Double, to out: inout [UInt8]) {
        // Beyond ±2^53 ms (year ±287,000) a Double has no millisecond precision left anyway.
        let limit = 9_007_199_254_740_992.0
        let scaled = (time * 1000).rounded()
        guard scaled.isFinite, abs(scaled) < limit else {
            out.append(UInt8(ascii: "0"))
            return
        }
        let ms = Int64(scaled)
        if ms < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = ms.magnitude
        out.append(contentsOf: String(magnitude / 1000).utf8)
        out.append(UInt8(ascii: "."))
        let fraction = Int(magnitude % 1000)
        out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        out.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    /// A JSON string literal written by the one JSON escaper. The ledger has always written DEL
    /// as `\u007f` as well (so a line shows no control character in a terminal): kept, so that the
    /// bytes of a record never change.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        JSONWriter.appendString(string, to: &out, escapingDelete: true)
    }

    // MARK: Decoding

    /// Ledgers are flat; 64 levels leave room for what a newer version may nest. Lone surrogates
    /// in `\u` escapes (which this writer never produces, but other JSON writers do) read as U+FFFD.
    static let parserOptions = JSONParser.Options(maxDepth: 64, replacesLoneSurrogates: true)

    /// Decodes the record on `bytes[range]` (one line, without its line end).
    static func decode(_ bytes: [UInt8], in range: Range<Int>) throws(DecodeError) -> LedgerRecord {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, in: range, options: parserOptions)
        } catch {
            throw DecodeError(description: "not valid JSON: \(error.message) at column \(error.offset + 1)")
        }
        guard case .object(let members) = value else { throw DecodeError(description: "not a JSON object") }
        var time: Double?
        var event: LedgerRecord.Event?
        var job: String?
        var digest: String?
        var target: String?
        var api: String?
        var jobIDs: [String] = []
        var group: Int?
        var attempt: Int?
        var progress: Int?
        var state: String?
        var error: String?
        var idempotencyKey: String?
        var generation: Int?
        var note: String?
        for (key, value) in members {
            switch key {
            case "time":
                guard let number = value.double else { throw DecodeError(description: "\"time\" is not a number") }
                time = number
            case "event":
                let name = try string(key, value)
                guard let name, let known = LedgerRecord.Event(rawValue: name) else {
                    throw DecodeError(description: "unknown event \"\(name ?? "null")\"")
                }
                event = known
            case "job": job = try string(key, value)
            case "digest": digest = try string(key, value)
            case "target": target = try string(key, value)
            case "api": api = try string(key, value)
            case "jobIDs":
                jobIDs = []
                switch value {
                case .null: break
                case .array(let elements):
                    for element in elements {
                        guard case .string(let id) = element else {
                            throw DecodeError(description: "\"jobIDs\" holds a non-string")
                        }
                        jobIDs.append(id)
                    }
                default: throw DecodeError(description: "\"jobIDs\" is not an array")
                }
            case "group": group = try int(key, value)
            case "attempt": attempt = try int(key, value)
            case "progress": progress = try int(key, value)
            case "state": state = try string(key, value)
            case "error": error = try string(key, value)
            case "idempotencyKey": idempotencyKey = try string(key, value)
            case "generation": generation = try int(key, value)
            case "note": note = try string(key, value)
            default: continue  // written by a newer version: ignored
            }
        }
        guard let time else { throw DecodeError(description: "\"time\" is missing") }
        guard let event else { throw DecodeError(description: "\"event\" is missing") }
        guard let job else { throw DecodeError(description: "\"job\" is missing") }
        guard let digest else { throw DecodeError(description: "\"digest\" is missing") }
        return LedgerRecord(
            time: time, event: event, job: job, digest: digest, target: target ?? "", api: api ?? "",
            jobIDs: jobIDs, group: group, attempt: attempt ?? 1, state: state, progress: progress, error: error,
            idempotencyKey: idempotencyKey, generation: generation, note: note
        )
    }

    private static func string(_ key: String, _ value: JSONValue) throws(DecodeError) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        default: throw DecodeError(description: "\"\(key)\" is not a string")
        }
    }

    private static func int(_ key: String, _ value: JSONValue) throws(DecodeError) -> Int? {
        switch value {
        case .null: return nil
        case .int(let i): return i
        case .double(let d):
            if d.rounded() == d, abs(d) < 9.0e15 { return Int(d) }
            throw DecodeError(description: "\"\(key)\" is not an integer")
        default: throw DecodeError(description: "\"\(key)\" is not a number")
        }
    }
}
