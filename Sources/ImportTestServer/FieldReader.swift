import JSON

/// A field of a request body had the wrong JSON type; the message reads like Go's `encoding/json`.
struct FieldTypeError: Error {
    var message: String
}

/// Reads typed fields out of a JSON object the way Go's `encoding/json` would fill a struct:
/// a missing key or `null` leaves the zero value (`nil` here), a wrong type is an error.
struct FieldReader {
    let fields: JSONValue
    /// Go's struct name, for messages: `ImportReq`.
    let structName: String

    /// `nil` when `value` is an object; else the Go error for unmarshalling it into the struct.
    static func topLevelProblem(_ value: JSONValue, goType: String) -> String? {
        if case .object = value { return nil }
        if case .null = value { return nil }
        return "json: cannot unmarshal \(value.goTypeName) into Go value of type \(goType)"
    }

    func mismatch(_ key: String, _ value: JSONValue, _ goType: String) -> FieldTypeError {
        FieldTypeError(message: "json: cannot unmarshal \(value.goTypeName) into Go struct field \(structName).\(key) of type \(goType)")
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let s) = value else { throw mismatch(key, value, "string") }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let b) = value else { throw mismatch(key, value, "bool") }
        return b
    }

    func int(_ key: String) throws -> Int64? {
        guard let value = value(key) else { return nil }
        switch value {
        case .int(let i): return Int64(i)
        case .double(let d):
            throw FieldTypeError(message: "json: cannot unmarshal number \(d) into Go struct field \(structName).\(key) of type int64")
        default: throw mismatch(key, value, "int64")
        }
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, value, "[]string") }
        return try items.map { item in
            if case .string(let s) = item { return s }
            if case .null = item { return "" }
            throw mismatch(key, item, "string")
        }
    }

    func stringGroups(_ key: String) throws -> [[String]]? {
        guard let value = value(key) else { return nil }
        guard case .array(let groups) = value else { throw mismatch(key, value, "[][]string") }
        return try groups.map { group in
            if case .null = group { return [] }
            guard case .array(let items) = group else { throw mismatch(key, group, "[]string") }
            return try items.map { item in
                if case .string(let s) = item { return s }
                if case .null = item { return "" }
                throw mismatch(key, item, "string")
            }
        }
    }

    /// A `map[string]string`, in the order sent.
    func stringMap(_ key: String) throws -> [(String, String)]? {
        guard let value = value(key) else { return nil }
        guard case .object(let pairs) = value else { throw mismatch(key, value, "map[string]string") }
        return try pairs.map { name, item in
            if case .string(let s) = item { return (name, s) }
            if case .null = item { return (name, "") }
            throw mismatch(key, item, "string")
        }
    }

    /// A protobuf `[]*KeyValuePair` (`[{"key": ..., "value": ...}]`).
    func keyValuePairs(_ key: String) throws -> [(String, String)]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, value, "[]*commonpb.KeyValuePair") }
        return try items.map { item in
            guard case .object = item else { throw mismatch(key, item, "commonpb.KeyValuePair") }
            let pair = FieldReader(fields: item, structName: "KeyValuePair")
            return (try pair.string("key") ?? "", try pair.string("value") ?? "")
        }
    }
}
