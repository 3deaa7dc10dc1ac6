/// Typed access, for decoding what servers and files send.
///
/// The plain accessors (`string`, `int`, ...) accept exactly their JSON type (`int` also takes a
/// float with no fraction, as `1e3` is written by some encoders). The `lenient` ones also accept
/// what servers are known to send instead: job ids and codes as decimal strings
/// (`"448707763884413158"`), integers as floats.
extension JSONValue {
    /// The member `key` of an object (the last one, if the key is repeated); `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// The element at `index` of an array; `nil` otherwise or when out of range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// An integer, or a float that is a whole number within `Int`'s range.
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: return Int(d)
        default: return nil
        }
    }

    /// A number as a `Double`.
    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members of an object, in order.
    public var object: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// An integer given as a number (a float is truncated) or as a decimal string.
    public var lenientInt: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.isFinite && abs(d) < 9.2e18: return Int(d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// A string, or a number written as text (`448707763884413158`, `1.5`).
    public var lenientString: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: return String(Int(d))
        case .double(let d) where d.isFinite: return String(d)
        default: return nil
        }
    }
}
