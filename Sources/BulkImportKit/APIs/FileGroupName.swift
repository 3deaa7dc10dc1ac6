/// Reads the name a server gives one file group in a job's progress (`details[].fileName`) back
/// into its paths. Milvus writes a group as Go prints a `[]string`, `[a/1.parquet]` or
/// `[a.npy b.npy]` (some versions and documents separate with `, `); the Milvus 2.4 documents show
/// the protobuf text of the file, `id:1 paths:"a.npy" paths:"b.npy"`; Zilliz Cloud writes the one
/// url of the group.
enum FileGroupName {
    /// The paths of `name`; empty when it names none.
    static func paths(in name: String) -> [String] {
        let text = name.trimmingWhitespace()
        if text.contains("paths:\"") { return protobufPaths(text) }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast()
            if inner.allSatisfy(\.isWhitespace) { return [] }
            // Go's `%v` joins with one space; a path with a space in it cannot be told apart there.
            let separator = inner.contains(", ") ? ", " : " "
            return inner.split(separator: separator).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        return text.isEmpty ? [] : [text]
    }

    /// Every `paths:"..."` of a protobuf text, unquoted as Go quotes strings (`\"`, `\\`, `\n`,
    /// octal bytes).
    static func protobufPaths(_ text: String) -> [String] {
        var paths: [String] = []
        let bytes = Array(text.utf8)
        let marker = Array("paths:\"".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            guard Array(bytes[i..<i + marker.count]) == marker, i == 0 || !isWordByte(bytes[i - 1]) else {
                i += 1
                continue
            }
            i += marker.count
            var value: [UInt8] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    let (decoded, used) = unescape(bytes, at: i + 1)
                    value += decoded
                    i += 1 + used
                } else {
                    value.append(bytes[i])
                    i += 1
                }
            }
            i += 1
            paths.append(String(decoding: value, as: UTF8.self))
        }
        return paths
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
    }

    /// The bytes of the escape that starts at `index` (after the backslash), and how many it used.
    private static func unescape(_ bytes: [UInt8], at index: Int) -> ([UInt8], Int) {
        let c = bytes[index]
        switch c {
        case UInt8(ascii: "n"): return ([0x0A], 1)
        case UInt8(ascii: "t"): return ([0x09], 1)
        case UInt8(ascii: "r"): return ([0x0D], 1)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = 0
            var used = 0
            while used < 3, index + used < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index + used]) {
                value = value * 8 + Int(bytes[index + used] - UInt8(ascii: "0"))
                used += 1
            }
            return ([UInt8(truncatingIfNeeded: value)], used)
        default: return ([c], 1)
        }
    }
}
