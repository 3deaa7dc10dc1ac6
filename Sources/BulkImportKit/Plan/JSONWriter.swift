/// Writes ``JSONValue``s as compact or indented JSON.
public enum JSONWriter {
    /// The JSON text of `value`. Secrets print as `"<redacted>"` unless `revealSecrets`, which only
    /// the code that puts a request on the wire passes.
    public static func write(_ value: JSONValue, pretty: Bool = false, revealSecrets: Bool = false) -> String {
        var out = ""
        write(value, into: &out, pretty: pretty, indent: 0, reveal: revealSecrets)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String, pretty: Bool, indent: Int, reveal: Bool) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): out += "\""; out += escape(s); out += "\""
        case .secret(let s): out += "\""; out += escape(reveal ? s.reveal() : Secret.placeholder); out += "\""
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                write(item, into: &out, pretty: pretty, indent: indent + 1, reveal: reveal)
            }
            if pretty { newline(&out, indent) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                out += "\""; out += escape(key); out += pretty ? "\": " : "\":"
                write(item, into: &out, pretty: pretty, indent: indent + 1, reveal: reveal)
            }
            if pretty { newline(&out, indent) }
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int) {
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    /// `text` escaped for the inside of a JSON string.
    public static func escape(_ text: String) -> String {
        var needs = false
        for b in text.utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
