/// What other YAML tools make of a plain (unquoted) scalar that this tool reads as a string.
///
/// bulk-import types scalars by the field (`partition_name: 2024` is the string "2024"), but
/// YAML 1.1 loaders (PyYAML, many editors) and YAML 1.2 core-schema loaders (`check-jsonschema`
/// against our schema) resolve plain scalars by their look: `2024`, `0x1F`, `012`, `1_000`, `1e3`
/// are numbers, `no` and `on` booleans, `2024-01-01` a date. The same manifest then means two
/// things; a warning with "quote it" makes the tool and the schema agree.
enum AmbiguousScalar {
    /// What a YAML 1.1 or 1.2 loader reads `plain` as ("a number", "a boolean", "a date"), or nil
    /// when every loader reads it as a string.
    static func otherReading(of plain: String) -> String? {
        // Every such scalar is short and ASCII; a long or non-ASCII one is a string everywhere.
        guard let first = plain.utf8.first, plain.utf8.count <= 40 else { return nil }
        // Only these start a boolean; only digits, signs and '.' a number, an infinity, a NaN or a date.
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            // A switch, not `"yYnNtTfFoO".utf8.contains`: walking a literal's bytes was 2% of validating.
            return plain.utf8.count <= 5 && booleans.contains(plain) ? "a boolean" : nil
        default: break
        }
        guard first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || (48...57).contains(first),
            plain.utf8.allSatisfy({ $0 < 0x80 })
        else { return nil }
        let bytes = Array(plain.utf8)
        if isNumber(bytes[...]) { return "a number" }
        if isTimestamp(bytes) { return "a date" }
        return nil
    }

    /// YAML 1.1's booleans (https://yaml.org/type/bool.html), which include 1.2's `true`/`false`.
    static let booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// YAML 1.1 int and float (https://yaml.org/type/int.html and float.html, as PyYAML resolves
    /// them: `0b1`, `017`, `0x1F`, `1_000`, `190:20:30`, `1.`, `.5`, `.inf`) and YAML 1.2 core ones
    /// (`0o17`, `1e3`), in one test: whatever either reads as a number.
    static func isNumber(_ text: ArraySlice<UInt8>) -> Bool {
        var s = text
        if let sign = s.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { s = s.dropFirst() }
        let string = String(decoding: s, as: UTF8.self)
        if [".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"].contains(string) { return true }
        func all(_ rest: ArraySlice<UInt8>, _ allowed: (UInt8) -> Bool) -> Bool { !rest.isEmpty && rest.allSatisfy(allowed) }
        let isDigit = { (b: UInt8) in b >= 48 && b <= 57 }
        let isDigitOrUnderscore = { (b: UInt8) in isDigit(b) || b == UInt8(ascii: "_") }
        for (prefix, allowed) in [
            ("0b", { (b: UInt8) in b == 48 || b == 49 || b == UInt8(ascii: "_") }),
            ("0o", { (b: UInt8) in (b >= 48 && b <= 55) || b == UInt8(ascii: "_") }),
            ("0x", { (b: UInt8) in isDigitOrUnderscore(b) || (b | 0x20 >= 97 && b | 0x20 <= 102) }),
        ] where string.hasPrefix(prefix) {
            return all(s.dropFirst(2), allowed)
        }
        // Integer part, then sexagesimal parts (`1:30`), then a fraction, then an exponent.
        var i = s.startIndex
        let intStart = i
        if i < s.endIndex, isDigit(s[i]) {
            while i < s.endIndex, isDigitOrUnderscore(s[i]) { i += 1 }
        }
        let hasInt = i > intStart
        var sexagesimal = false
        while hasInt, i < s.endIndex, s[i] == UInt8(ascii: ":") {
            var j = i + 1
            let partStart = j
            while j < s.endIndex, isDigit(s[j]), j - partStart < 2 { j += 1 }
            let part = s[partStart..<j]
            guard !part.isEmpty, part.count == 1 || part.first! <= UInt8(ascii: "5") else { return false }
            sexagesimal = true
            i = j
        }
        var fractionDigits = 0
        if i < s.endIndex, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.endIndex, isDigitOrUnderscore(s[i]) {
                fractionDigits += 1
                i += 1
            }
        }
        guard hasInt || fractionDigits > 0 else { return false }
        if i < s.endIndex, s[i] | 0x20 == UInt8(ascii: "e"), !sexagesimal {
            i += 1
            if i < s.endIndex, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            let expStart = i
            while i < s.endIndex, isDigit(s[i]) { i += 1 }
            guard i > expStart else { return false }
        }
        return i == s.endIndex
    }

    /// YAML 1.1 timestamps (https://yaml.org/type/timestamp.html): `2024-01-01`, or a date then a
    /// time after `T` or spaces.
    static func isTimestamp(_ s: [UInt8]) -> Bool {
        func digits(from i: Int, min: Int, max: Int) -> Int? {
            var j = i
            while j < s.count, j - i < max, s[j] >= 48, s[j] <= 57 { j += 1 }
            return j - i >= min ? j : nil
        }
        guard let year = digits(from: 0, min: 4, max: 4), year < s.count, s[year] == UInt8(ascii: "-"),
            let month = digits(from: year + 1, min: 1, max: 2), month < s.count, s[month] == UInt8(ascii: "-"),
            let day = digits(from: month + 1, min: 1, max: 2)
        else { return false }
        if day == s.count { return true }
        // A time follows: `T`, `t` or whitespace, then hh:mm.
        var i = day
        guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ") || s[i] == UInt8(ascii: "\t")
        else { return false }
        i += 1
        while i < s.count, s[i] == UInt8(ascii: " ") || s[i] == UInt8(ascii: "\t") { i += 1 }
        guard let hour = digits(from: i, min: 1, max: 2), hour < s.count, s[hour] == UInt8(ascii: ":"),
            digits(from: hour + 1, min: 2, max: 2) != nil
        else { return false }
        return true
    }
}
