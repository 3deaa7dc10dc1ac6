/// A small strict JSON parser over the bytes of one ledger line (internal).
///
/// It parses any JSON value (so that records written by a newer version with extra,
/// possibly nested, fields still read), rejects anything that is not JSON, and limits nesting.
struct LedgerJSONParser {
    /// Why a line is not JSON.
    struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        var message: String
        /// 1-based byte column.
        var column: Int
        var description: String { "\(message) at column \(column)" }
    }

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int
    private static let maxDepth = 64

    /// Parses `bytes[range]` as exactly one JSON value (surrounding whitespace allowed).
    static func parse(_ bytes: [UInt8], in range: Range<Int>) throws(Failure) -> LedgerJSONValue {
        var parser = LedgerJSONParser(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        let start = range.lowerBound
        parser.skipWhitespace()
        let value = try parser.value(depth: 0, start: start)
        parser.skipWhitespace()
        if parser.index != parser.end { throw parser.failure("unexpected text after the value", start: start) }
        return value
    }

    private init(bytes: [UInt8], index: Int, end: Int) {
        self.bytes = bytes
        self.index = index
        self.end = end
    }

    private func failure(_ message: String, start: Int) -> Failure {
        Failure(message: message, column: index - start + 1)
    }

    private mutating func skipWhitespace() {
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    private mutating func value(depth: Int, start: Int) throws(Failure) -> LedgerJSONValue {
        guard index < end else { throw failure("unexpected end of line", start: start) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw failure("nested too deeply", start: start) }
            index += 1
            var members: [(key: String, value: LedgerJSONValue)] = []
            skipWhitespace()
            if index < end, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key", start: start) }
                let key = try string(start: start)
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'", start: start) }
                index += 1
                skipWhitespace()
                members.append((key, try value(depth: depth + 1, start: start)))
                skipWhitespace()
                guard index < end else { throw failure("unexpected end of line", start: start) }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure("expected ',' or '}'", start: start)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw failure("nested too deeply", start: start) }
            index += 1
            var elements: [LedgerJSONValue] = []
            skipWhitespace()
            if index < end, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1, start: start))
                skipWhitespace()
                guard index < end else { throw failure("unexpected end of line", start: start) }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw failure("expected ',' or ']'", start: start)
            }
        case UInt8(ascii: "\""):
            return .string(try string(start: start))
        case UInt8(ascii: "t"):
            try literal("true", start: start)
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false", start: start)
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null", start: start)
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number(start: start))
        default:
            throw failure("unexpected character", start: start)
        }
    }

    private mutating func literal(_ word: StaticString, start: Int) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard end - index >= count else { throw failure("unexpected end of line", start: start) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character", start: start)
        }
        index += count
    }

    private mutating func number(start: Int) throws(Failure) -> String {
        let begin = index
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else { throw failure("malformed number", start: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, isDigit(bytes[index]) else { throw failure("malformed number", start: start) }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, isDigit(bytes[index]) else { throw failure("malformed number", start: start) }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: bytes[begin..<index], as: UTF8.self)
    }

    /// Parses a string; `index` is at its opening quote.
    private mutating func string(start: Int) throws(Failure) -> String {
        index += 1
        var out: [UInt8] = []
        var escaped = false
        var ascii = true
        var runStart = index
        while true {
            guard index < end else { throw failure("unterminated string", start: start) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !escaped {
                    // The common case: no escapes, so the text is the bytes between the quotes.
                    let run = bytes[runStart..<index]
                    index += 1
                    return try text(run, ascii: ascii, start: start)
                }
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if byte < 0x20 { throw failure("control character in a string", start: start) }
            if byte >= 0x80 { ascii = false }
            if byte != UInt8(ascii: "\\") { index += 1; continue }
            escaped = true
            out.append(contentsOf: bytes[runStart..<index])
            index += 1
            guard index < end else { throw failure("unterminated string", start: start) }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(start: start)
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate: combine it with the low surrogate that should follow.
                    if end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try hex4(start: start)
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            index = save
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    scalar = 0xFFFD
                }
                if scalar >= 0x80 { ascii = false }
                var piece = ""
                piece.unicodeScalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
                out.append(contentsOf: piece.utf8)
            default:
                throw failure("invalid escape", start: start)
            }
            runStart = index
        }
        return try text(out[...], ascii: ascii, start: start)
    }

    /// The bytes as a String, refusing invalid UTF-8 (String(decoding:) would silently repair it).
    private func text(_ utf8: ArraySlice<UInt8>, ascii: Bool, start: Int) throws(Failure) -> String {
        let text = String(decoding: utf8, as: UTF8.self)
        if !ascii, !text.utf8.elementsEqual(utf8) {
            throw Failure(message: "invalid UTF-8 in a string", column: index - start)
        }
        return text
    }

    private mutating func hex4(start: Int) throws(Failure) -> UInt32 {
        guard end - index >= 4 else { throw failure("unterminated string", start: start) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape", start: start)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
