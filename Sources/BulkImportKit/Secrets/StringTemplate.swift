import Platform

/// A string value with `$<NAME>` references.
///
/// - `$<NAME>` is the environment variable NAME (`[A-Za-z_][A-Za-z0-9_]*`);
/// - `$<NAME:-fallback>` uses `fallback` when NAME is unset;
/// - `$$<` is a literal `$<`.
///
/// Substitution happens after parsing, inside scalar values only, so a variable can never change
/// the structure of a document. A template is checked when it is made; it stores only its text
/// (manifests hold millions of values, almost all without references) and splits it again on the
/// rare occasions it is resolved.
public struct StringTemplate: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case variable(name: String, fallback: String?)
    }

    /// A malformed reference: what is wrong and at which character of the value.
    public struct ParseError: Error, Sendable, Hashable {
        public var message: String
        public var offset: Int
    }

    /// The text as written.
    public let raw: String
    /// Whether `raw` holds a `$`; without one it is its own value.
    private let hasDollar: Bool

    /// A template with no references.
    public init(literal: String) {
        guard literal.containsUTF8Byte(UInt8(ascii: "$")) else {
            raw = literal
            hasDollar = false
            return
        }
        // Escaped byte by byte, as `split` reads it: String.replacing compares Characters, and a
        // "<" followed by a combining mark is not the Character "<", so "$<\u{7EB}" was left as
        // it was, and the template then read back as its escaped-looking raw text.
        var escaped: [UInt8] = []
        escaped.reserveCapacity(literal.utf8.count + 2)
        for byte in literal.utf8 {
            if byte == UInt8(ascii: "<"), escaped.last == UInt8(ascii: "$") { escaped.append(UInt8(ascii: "$")) }
            escaped.append(byte)
        }
        raw = String(decoding: escaped, as: UTF8.self)
        hasDollar = true
    }

    /// Parses `raw`, throwing on a malformed reference.
    public init(parsing raw: String) throws(ParseError) {
        self.raw = raw
        hasDollar = raw.containsUTF8Byte(UInt8(ascii: "$"))
        if hasDollar { _ = try Self.split(raw) }
    }

    /// Whether the text holds no `$` at all, so it is its own value.
    public var isPlain: Bool { !hasDollar }

    /// The literal text and references, in order.
    public var parts: [Part] {
        guard hasDollar else { return raw.isEmpty ? [] : [.literal(raw)] }
        return (try? Self.split(raw)) ?? [.literal(raw)]
    }

    /// Splits `raw` into literal text and references, reading its UTF-8 bytes: every byte the
    /// syntax uses is ASCII, which never occurs inside a multi-byte character. Offsets in errors
    /// count Unicode scalars, as the parser's columns do.
    private static func split(_ raw: String) throws(ParseError) -> [Part] {
        var raw = raw
        return try raw.withUTF8 { bytes in Result { () throws(ParseError) in try split(bytes) } }.get()
    }

    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> [Part] {
        let dollar = UInt8(ascii: "$")
        let open = UInt8(ascii: "<")
        let close = UInt8(ascii: ">")
        var parts: [Part] = []
        var literal: [UInt8] = []
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        func scalarOffset(_ byte: Int) -> Int {
            var count = 0
            for b in UnsafeBufferPointer(rebasing: bytes[..<byte]) where b & 0xC0 != 0x80 { count += 1 }
            return count
        }
        let count = bytes.count
        var i = 0
        while i < count {
            let c = bytes[i]
            if c == dollar, i + 2 < count, bytes[i + 1] == dollar, bytes[i + 2] == open {
                literal.append(dollar)
                literal.append(open)
                i += 3
                continue
            }
            guard c == dollar, i + 1 < count, bytes[i + 1] == open else {
                literal.append(c)
                i += 1
                continue
            }
            let start = i
            i += 2
            let nameStart = i
            while i < count, isNameByte(bytes[i]) { i += 1 }
            let name = text(nameStart..<i)
            guard i > nameStart, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[nameStart]) else {
                throw ParseError(
                    message: name.isEmpty
                        ? "'$<' must be followed by a variable name, as in $<NAME>; write $$< for a literal '$<'"
                        : "variable name \(quoted: name) must not start with a digit",
                    offset: scalarOffset(start)
                )
            }
            var fallback: String?
            if i + 1 < count, bytes[i] == UInt8(ascii: ":"), bytes[i + 1] == UInt8(ascii: "-") {
                i += 2
                let fallbackStart = i
                while i < count, bytes[i] != close { i += 1 }
                fallback = text(fallbackStart..<i)
            }
            guard i < count, bytes[i] == close else {
                var end = i + 1
                while end < count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                throw ParseError(
                    message: i < count
                        ? "unexpected \(quoted: text(i..<end)) in $<\(name.clipped())...>: a reference is $<NAME> or $<NAME:-fallback>"
                        : "$<\(name.clipped()) is not closed with '>'",
                    offset: scalarOffset(start)
                )
            }
            i += 1
            if !literal.isEmpty {
                parts.append(.literal(String(decoding: literal, as: UTF8.self)))
                literal.removeAll(keepingCapacity: true)
            }
            parts.append(.variable(name: name, fallback: fallback))
        }
        if !literal.isEmpty { parts.append(.literal(String(decoding: literal, as: UTF8.self))) }
        return parts
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    /// Whether the value references no variable.
    public var isLiteral: Bool {
        guard hasDollar else { return true }
        return !parts.contains { if case .variable = $0 { return true } else { return false } }
    }

    /// The names of the variables referenced, in order.
    public var variables: [String] {
        guard hasDollar else { return [] }
        return parts.compactMap { if case .variable(let name, _) = $0 { return name } else { return nil } }
    }

    /// The fallbacks written in the value, which are plain text in the manifest.
    public var fallbacks: [String] {
        guard hasDollar else { return [] }
        return parts.compactMap { if case .variable(_, let f) = $0 { return f } else { return nil } }
    }

    /// The value with every reference replaced, or the names of the unset variables.
    public func resolve(in environment: Environment) -> Result<String, UnsetVariables> {
        guard hasDollar else { return .success(raw) }
        var result = ""
        var missing: [String] = []
        for part in parts {
            switch part {
            case .literal(let text):
                result += text
            case .variable(let name, let fallback):
                if let value = environment[name] {
                    result += value
                } else if let fallback {
                    result += fallback
                } else {
                    missing.append(name)
                }
            }
        }
        return missing.isEmpty ? .success(result) : .failure(UnsetVariables(names: missing))
    }
}

/// The variables a template needed that the environment does not set.
public struct UnsetVariables: Error, Sendable, Hashable {
    public var names: [String]
}
