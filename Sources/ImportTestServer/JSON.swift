@_exported import JSON

// The test double reads and writes JSON with the shared `JSON` target: it tells `"300"` from `300`
// and `true` from `1` exactly as a Go server would (an `options` value that is not a string is
// code 1801), keeps int64 job ids exact, and writes objects in a stable key order.

extension JSONParser.Options {
    /// Go's encoding/json: deep nesting allowed; invalid UTF-8, and a lone surrogate in a `\u`
    /// escape, read as U+FFFD.
    static let goServer = JSONParser.Options(maxDepth: 512, replacesLoneSurrogates: true, replacesInvalidUTF8: true)
}

extension JSONValue {
    /// Go's JSON type name for a value, for error messages.
    var goTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Compact JSON text, as the server writes it.
    var serialized: String { JSONWriter.write(self) }

    // The names the test server's tests read values with.
    var stringValue: String? { string }
    var intValue: Int64? { int.map(Int64.init) }
    var doubleValue: Double? { double }
    var arrayValue: [JSONValue]? { array }
    var objectValue: [(String, JSONValue)]? { object }
}

// MARK: - Building

/// Builds JSON objects with a stable key order: `obj(("code", 0), ("data", ...))`.
func obj(_ pairs: (String, JSONValue)...) -> JSONValue {
    .object(pairs)
}

extension JSONValue {
    static func from(_ strings: [String]) -> JSONValue { .array(strings.map { .string($0) }) }
    static func from(_ value: Int) -> JSONValue { .int(value) }
    /// Go's int64 fields (ids, sizes, timestamps) as computed here.
    static func int(_ value: Int64) -> JSONValue { .int(Int(value)) }
}
