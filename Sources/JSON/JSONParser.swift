/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// It accepts exactly one value with optional surrounding whitespace and rejects everything else:
/// trailing commas, leading zeros, control characters and invalid UTF-8 in strings, lone UTF-16
/// surrogates in `\u` escapes (the last two unless told otherwise), text after the value. Nesting is limited,
/// so hostile input cannot exhaust the stack. Integers that fit `Int` are `.int`, other numbers
/// `.double`.
public struct JSONParser {
    /// How strict to be.
    public struct Options: Sendable, Hashable {
        /// The most arrays and objects nested in one another.
        public var maxDepth: Int
        /// Whether a `\u` escape of a lone UTF-16 surrogate reads as U+FFFD instead of failing, as
        /// Go's encoding/json does and as files written by JavaScript may need.
        public var replacesLoneSurrogates: Bool
        /// Whether invalid UTF-8 in a string reads as U+FFFD instead of failing, as Go's
        /// encoding/json does.
        public var replacesInvalidUTF8: Bool

        public init(maxDepth: Int = 64, replacesLoneSurrogates: Bool = false, replacesInvalidUTF8: Bool = false) {
            self.maxDepth = maxDepth
            self.replacesLoneSurrogates = replacesLoneSurrogates
            self.replacesInvalidUTF8 = replacesInvalidUTF8
        }
    }

    private let bytes: [UInt8]
    private var index: Int
    private let start: Int
    private let end: Int
    private let options: Options

    /// Parses `bytes[range]` (all of `bytes` by default) as one JSON value.
    public static func parse(
        _ bytes: [UInt8], in range: Range<Int>? = nil, options: Options = Options()
    ) throws(JSONParseError) -> JSONValue {
        let range = range ?? bytes.indices
        var parser = JSONParser(bytes: bytes, range: range, options: options)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index != parser.end { throw parser.failure("unexpected text after the value") }
        return value
    }

    private init(bytes: [UInt8], range: Range<Int>, options: Options) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.start = range.lowerBound
        self.end = range.upperBound
        self.options = options
    }

    private func failure(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: index - start)
    }

    private mutating func skipWhitespace() {
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < end else { throw failure("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < options.maxDepth else { throw failure("nested too deeply (more than \(options.maxDepth) levels)") }
        index += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try string()
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            guard index < end else { throw failure("unexpected end of input, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < options.maxDepth else { throw failure("nested too deeply (more than \(options.maxDepth) levels)") }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard index < end else { throw failure("unexpected end of input, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            throw failure("expected ',' or ']'")
        }
    }

    /// Reads `word` (`true`, `false`, `null`); a mismatch is reported at its first byte.
    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard end - index >= count else { throw failure("unexpected character") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character")
        }
        index += count
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func digits() throws(JSONParseError) {
        guard index < end, Self.isDigit(bytes[index]) else { throw failure("malformed number, expected a digit") }
        while index < end, Self.isDigit(bytes[index]) { index += 1 }
    }

    private mutating func number() throws(JSONParseError) -> JSONValue {
        let begin = index
        var integral = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < end, bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, Self.isDigit(bytes[index]) { throw failure("malformed number, a leading zero") }
        } else {
            try digits()
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            try digits()
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        let text = String(decoding: bytes[begin..<index], as: UTF8.self)
        if integral, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { throw failure("malformed number") }
        return .double(d)
    }

    /// Parses a string; `index` is at its opening quote.
    private mutating func string() throws(JSONParseError) -> String {
        index += 1
        var out: [UInt8] = []
        var escaped = false
        var ascii = true
        var runStart = index
        while true {
            guard index < end else { throw failure("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !escaped {
                    // The common case: no escapes, so the text is the bytes between the quotes.
                    let text = try text(bytes[runStart..<index], ascii: ascii, at: runStart)
                    index += 1
                    return text
                }
                out.append(contentsOf: bytes[runStart..<index])
                break
            }
            if byte < 0x20 { throw failure("control character in a string") }
            if byte >= 0x80 { ascii = false }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            escaped = true
            out.append(contentsOf: bytes[runStart..<index])
            index += 1
            guard index < end else { throw failure("unterminated string") }
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
                let scalar = try unicodeEscape()
                if scalar.value >= 0x80 { ascii = false }
                var piece = ""
                piece.unicodeScalars.append(scalar)
                out.append(contentsOf: piece.utf8)
            default:
                index -= 2
                throw failure("invalid escape, expected one of \" \\ / b f n r t u")
            }
            runStart = index
        }
        let text = try text(out[...], ascii: ascii, at: runStart)
        index += 1
        return text
    }

    /// The scalar of a `\u` escape (with its low surrogate, if it is a high one); `index` is after the `u`.
    private mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let escapeStart = index - 2
        let first = try hex4()
        if (0xD800..<0xDC00).contains(first) {
            if end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00))!
                }
                index = save
            }
        } else if !(0xDC00..<0xE000).contains(first) {
            return Unicode.Scalar(first)!
        }
        if options.replacesLoneSurrogates { return "\u{FFFD}" }
        index = escapeStart
        throw failure("a lone UTF-16 surrogate in a \\u escape")
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < end else { throw failure("unterminated string") }
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape, expected 4 hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// The bytes as a String, refusing invalid UTF-8 (`String(decoding:)` would silently repair it).
    private func text(_ utf8: ArraySlice<UInt8>, ascii: Bool, at offset: Int) throws(JSONParseError) -> String {
        let text = String(decoding: utf8, as: UTF8.self)
        if !ascii, !options.replacesInvalidUTF8, !text.utf8.elementsEqual(utf8) {
            throw JSONParseError(message: "invalid UTF-8 in a string", offset: offset - start)
        }
        return text
    }
}

extension JSONValue {
    /// Parses `bytes` as one JSON value: see ``JSONParser``.
    public static func parse(_ bytes: [UInt8], options: JSONParser.Options = JSONParser.Options()) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(bytes, options: options)
    }

    /// Parses `text` as one JSON value: see ``JSONParser``.
    public static func parse(_ text: String, options: JSONParser.Options = JSONParser.Options()) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), options: options)
    }
}
