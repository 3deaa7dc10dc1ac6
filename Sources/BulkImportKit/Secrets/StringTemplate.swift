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

    private static func split(_ raw: String) throws(ParseError) -> [Part] {
        var parts: [Part] = []
        var literal = ""
        let chars = Array(raw.unicodeScalars)
        var i = 0
        func flush() {
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "<" {
                literal += "$<"
                i += 3
                continue
            }
            guard c == "$", i + 1 < chars.count, chars[i + 1] == "<" else {
                literal.unicodeScalars.append(c)
                i += 1
                continue
            }
            let start = i
            i += 2
            var name = ""
            while i < chars.count, isNameCharacter(chars[i]) {
                name.unicodeScalars.append(chars[i])
                i += 1
            }
            guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
                throw ParseError(
                    message: name.isEmpty
                        ? "'$<' must be followed by a variable name, as in $<NAME>; write $$< for a literal '$<'"
                        : "variable name \(quoted: name) must not start with a digit",
                    offset: start
                )
            }
            var fallback: String?
            if i + 1 < chars.count, chars[i] == ":", chars[i + 1] == "-" {
                i += 2
                var text = ""
                while i < chars.count, chars[i] != ">" {
                    text.unicodeScalars.append(chars[i])
                    i += 1
                }
                fallback = text
            }
            guard i < chars.count, chars[i] == ">" else {
                throw ParseError(
                    message: i < chars.count
                        ? "unexpected \(quoted: String(chars[i])) in $<\(name.clipped())...>: a reference is $<NAME> or $<NAME:-fallback>"
                        : "$<\(name.clipped()) is not closed with '>'",
                    offset: start
                )
            }
            i += 1
            flush()
            parts.append(.variable(name: name, fallback: fallback))
        }
        flush()
        return parts
    }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
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
