/// The fields a job, `defaults` or a target wrote, valid or not: a field given with a bad value is
/// not also reported missing.
///
/// A set of strings in its API, kept as bits: a manifest of 100,000 jobs would otherwise hash and
/// store every key of every job. Only the field names the format has are kept (every name of
/// ``JobFields/fieldNames`` and of the targets' fields, including one added later); a key that is
/// no field is reported as unknown where it is written and is not kept, so a mapping of 100,000
/// misspelt keys costs no set of their names.
public struct FieldNameSet: Sendable, Hashable, ExpressibleByArrayLiteral, Sequence {
    /// Bit `i` stands for `FieldNameSet.knownNames[i]`.
    private var bits: UInt64 = 0

    /// The names kept: a job's keys first (the order is free; it is not stored anywhere).
    static let knownNames: [String] = {
        var names = ["name"] + JobFields.fieldNames
        for kind in TargetKind.allCases {
            for name in TargetSpec.fieldNames(for: kind) where !names.contains(name) { names.append(name) }
        }
        precondition(names.count <= 64, "FieldNameSet keeps at most 64 field names as bits")
        return names
    }()

    /// The UTF-8 length of each of ``knownNames``, compared before the bytes.
    private static let knownLengths = knownNames.map(\.utf8.count)

    public init() {}

    public init(arrayLiteral names: String...) {
        formUnion(names)
    }

    private static func bit(of name: String) -> UInt64? {
        // Field names are short ASCII: a byte compare of a few small strings beats hashing.
        let length = name.utf8.count
        for i in knownLengths.indices where knownLengths[i] == length && knownNames[i] == name { return 1 << UInt64(i) }
        return nil
    }

    /// Adds `name` if it is a field name; says whether it was added (false for a name already
    /// there, and for one that is no field).
    @discardableResult
    public mutating func insert(_ name: String) -> Bool {
        guard let bit = Self.bit(of: name) else { return false }
        defer { bits |= bit }
        return bits & bit == 0
    }

    public func contains(_ name: String) -> Bool {
        guard let bit = Self.bit(of: name) else { return false }
        return bits & bit != 0
    }

    public mutating func formUnion<Names: Sequence>(_ names: Names) where Names.Element == String {
        for name in names { insert(name) }
    }

    /// Whether any name of `other` is in the set.
    public func containsAny(of other: FieldNameSet) -> Bool {
        bits & other.bits != 0
    }

    public mutating func formUnion(_ other: FieldNameSet) {
        bits |= other.bits
    }

    public var isEmpty: Bool { bits == 0 }

    /// The names, in a fixed order.
    public func makeIterator() -> IndexingIterator<[String]> {
        Self.knownNames.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { Self.knownNames[$0] }.makeIterator()
    }
}
