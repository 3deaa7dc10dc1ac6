/// The keys a job, `defaults` or a target wrote, valid or not: a field given with a bad value is
/// not also reported missing.
///
/// A set of strings in its API, but the field names the format knows are kept as bits: a manifest
/// of 100,000 jobs would otherwise hash and store every key of every job. Any other key (a
/// misspelling, a field added to ``JobFields/fieldNames`` later) still works, kept in a `Set`.
public struct FieldNameSet: Sendable, Hashable, ExpressibleByArrayLiteral, Sequence {
    /// Bit `i` stands for `FieldNameSet.knownNames[i]`.
    private var bits: UInt64 = 0
    private var others: Set<String> = []

    /// The names kept as bits: a job's keys first (the order is free; it is not stored anywhere).
    static let knownNames: [String] = {
        var names = ["name"] + JobFields.fieldNames
        for kind in TargetKind.allCases {
            for name in TargetSpec.fieldNames(for: kind) where !names.contains(name) { names.append(name) }
        }
        return Array(names.prefix(64))
    }()

    public init() {}

    public init(arrayLiteral names: String...) {
        formUnion(names)
    }

    private static func bit(of name: String) -> UInt64? {
        // Field names are short ASCII: a byte compare of a dozen small strings beats hashing.
        guard name.utf8.count <= 32 else { return nil }
        for (i, known) in knownNames.enumerated() where known == name { return 1 << UInt64(i) }
        return nil
    }

    /// Adds `name`; says whether it was new.
    @discardableResult
    public mutating func insert(_ name: String) -> Bool {
        if let bit = Self.bit(of: name) {
            defer { bits |= bit }
            return bits & bit == 0
        }
        return others.insert(name).inserted
    }

    public func contains(_ name: String) -> Bool {
        if let bit = Self.bit(of: name) { return bits & bit != 0 }
        return others.contains(name)
    }

    public mutating func formUnion<Names: Sequence>(_ names: Names) where Names.Element == String {
        for name in names { insert(name) }
    }

    public mutating func formUnion(_ other: FieldNameSet) {
        bits |= other.bits
        if !other.others.isEmpty { others.formUnion(other.others) }
    }

    public var isEmpty: Bool { bits == 0 && others.isEmpty }

    /// The names, known ones first in a fixed order, then the others.
    public func makeIterator() -> IndexingIterator<[String]> {
        let known = Self.knownNames.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { Self.knownNames[$0] }
        return (known + others.sorted()).makeIterator()
    }
}
