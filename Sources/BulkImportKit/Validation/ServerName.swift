/// The rules Milvus (and Zilliz Cloud, which runs it) checks collection, partition and database
/// names by, so a name the server would refuse is caught before anything is sent.
///
/// From the Milvus source, `internal/proxy/util.go`: `validateCollectionNameOrAlias`,
/// `validatePartitionTag` (with `strictCheck`, as on create) and `ValidateDatabaseName`; the length
/// limit is `proxy.maxNameLength`, 255 by default (`pkg/util/paramtable/component_param.go`).
/// `isAlpha` and `isNumber` there are ASCII only, and the length is counted in bytes.
enum ServerName {
    enum Kind: Sendable {
        case collection
        case partition
        case database

        var noun: String {
            switch self {
            case .collection: "collection"
            case .partition: "partition"
            case .database: "database"
            }
        }

        /// The rule, as the message states it.
        var rule: String {
            switch self {
            case .collection, .database:
                "a \(noun) name starts with a letter or '_', holds only letters, digits and '_', and is at most \(ServerName.maxLength) characters long"
            case .partition:
                "a partition name starts with a letter, a digit or '_', holds only letters, digits, '_' and '-', and is at most \(ServerName.maxLength) characters long"
            }
        }
    }

    /// `proxy.maxNameLength`'s default.
    static let maxLength = 255

    /// What breaks the rule for `kind` in `name`, or nil when the server accepts it.
    static func problem(with name: String, as kind: Kind) -> String? {
        let bytes = name.utf8
        guard let first = bytes.first else { return "it is empty" }
        if bytes.count > maxLength { return "it is \(bytes.count) bytes long" }
        func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        func isNumber(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        let firstOK = first == UInt8(ascii: "_") || isAlpha(first) || (kind == .partition && isNumber(first))
        if !firstOK { return "it starts with \(describe(name.unicodeScalars.first!))" }
        // The common case, checked by bytes; the scalars only to say what is wrong.
        let ok = bytes.dropFirst().allSatisfy { b in
            b == UInt8(ascii: "_") || isAlpha(b) || isNumber(b) || (kind == .partition && b == UInt8(ascii: "-"))
        }
        if ok { return nil }
        for (offset, scalar) in name.unicodeScalars.enumerated().dropFirst() {
            let ok =
                scalar.isASCII
                && (scalar == "_" || isAlpha(UInt8(scalar.value)) || isNumber(UInt8(scalar.value))
                    || (kind == .partition && scalar == "-"))
            if !ok { return "it holds \(describe(scalar)) at character \(offset + 1)" }
        }
        return nil
    }

    /// A character for a message: `'-'`, or `a space`.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        scalar == " " ? "a space" : "\(quoted: String(scalar))"
    }

    /// `name` with every character the rule refuses replaced by '_', for the fix.
    static func suggestion(for name: String, as kind: Kind) -> String {
        var out = String(
            name.unicodeScalars.prefix(maxLength).map { s -> Character in
                let ok =
                    s.isASCII
                    && (s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
                        || (kind == .partition && s == "-"))
                return ok ? Character(s) : "_"
            })
        if kind != .partition, let first = out.unicodeScalars.first, ("0"..."9").contains(first) { out = "_" + out }
        return out
    }
}
