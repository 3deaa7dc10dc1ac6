/// A JSON value whose objects keep their key order, so requests and reports print the same way
/// every time. A `.secret` prints as `"<redacted>"` unless the writer is told to reveal it.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case secret(Secret)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        JSONWriter.write(lhs, revealSecrets: true) == JSONWriter.write(rhs, revealSecrets: true)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(JSONWriter.write(self, revealSecrets: true))
    }

    /// The value for `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}
