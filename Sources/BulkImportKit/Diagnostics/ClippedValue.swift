/// A value from a manifest or a server, shortened for quoting in a message or an output field.
///
/// Any value a user or a server gives can be hostile: a 60 MB job name, a line break, a terminal
/// escape. Messages and fields quote it through this type, so output stays small and on one line
/// whatever the value: at most ``limit`` characters are kept, then an ellipsis and how long the
/// value was; control characters are written as escapes (`\n`, `\u{1B}`).
public struct ClippedValue: Sendable, Hashable, CustomStringConvertible {
    /// How many characters of a value are kept by default: enough for any real name or url.
    public static let limit = 120

    /// The shortened, escaped text.
    public let description: String
    /// Whether anything was cut off.
    public let isClipped: Bool

    public init(_ value: some StringProtocol, limit: Int = ClippedValue.limit) {
        var out = ""
        var kept = 0
        var clipped = false
        var total = 0
        // Unicode scalars, not Characters: a hostile value may be one enormous grapheme cluster.
        let scalars = value.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            if kept >= limit {
                // The rest is only counted: a scalar is a UTF-8 byte that is not a continuation
                // byte, counted over the bytes (a 60 MB value took a tenth of reporting it).
                clipped = true
                total += Self.scalarCount(value.utf8[index...]) ?? scalars[index...].count
                break
            }
            let scalar = scalars[index]
            scalars.formIndex(after: &index)
            total += 1
            kept += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _
            where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        if clipped { out += "… (\(total) characters)" }
        self.description = out
        self.isClipped = clipped
    }

    /// The Unicode scalars of valid UTF-8 `bytes`, or nil when they are not contiguous.
    private static func scalarCount(_ bytes: some Sequence<UInt8>) -> Int? {
        bytes.withContiguousStorageIfAvailable { buffer in
            var count = 0
            for byte in buffer where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }
}

extension String {
    /// The value shortened for a message or an output field; see ``ClippedValue``.
    public func clipped(to limit: Int = ClippedValue.limit) -> String {
        // Most values are short printable ASCII, their own clipped form: no copy (paths are built
        // with this for every value of a manifest).
        if utf8.count <= limit, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return self }
        return ClippedValue(self, limit: limit).description
    }
}

extension Substring {
    /// The value shortened for a message or an output field; see ``ClippedValue``.
    public func clipped(to limit: Int = ClippedValue.limit) -> String {
        ClippedValue(self, limit: limit).description
    }
}

extension DefaultStringInterpolation {
    /// `"'\(quoted: name)' is not defined"`: the value in single quotes, clipped and escaped (see
    /// ``ClippedValue``). Every value a user or a server gave is quoted this way in messages.
    public mutating func appendInterpolation(quoted value: some StringProtocol) {
        appendLiteral("'")
        appendLiteral(ClippedValue(value).description)
        appendLiteral("'")
    }
}
