// What each diagnostic about the shape of a manifest says: types, fields, names and references,
// as ``ManifestDecoder`` finds them.

extension Diagnostic {
    // MARK: wrong-type

    /// `path must be <expected>, not <found>`.
    static func wrongType(
        _ path: String, expected: String, found: String, job: String?, fix: String? = nil, at location: ManifestLocation
    ) -> Diagnostic {
        Diagnostic(
            .error, .wrongType, "\(path) must be \(expected), not \(found)", at: location, job: job, path: path,
            fix: fix)
    }

    static func keyNotAString(in path: String, found kind: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .wrongType, "a key in \(path) must be a string, not \(kind)", at: location, job: job, path: path,
            fix: "write a plain name before the ':', as in `collection_name: products`")
    }

    static func optionNotAScalar(_ key: String, path: String, found kind: String, job: String?, at location: ManifestLocation) -> Diagnostic
    {
        Diagnostic(
            .error, .wrongType, "option \(quoted: key) must be a single value (sent as a string), not \(kind)",
            at: location, job: job, path: path, fix: "write one value on the line of its key, e.g. `timeout: 300s`")
    }

    /// `path` is empty (null), and `fallen` keys right below it, level with it, are its fields:
    /// their indentation is one level short. One error for the lot; the fields are read as its own.
    static func fieldsFellOut(_ path: String, container: String, fallen: [String], job: String?, at location: ManifestLocation)
        -> Diagnostic
    {
        let list = fallen.prefix(5).map { "`\($0.clipped(to: 40)):`" }.joined(separator: ", ") + (fallen.count > 5 ? ", ..." : "")
        return Diagnostic(
            .error, .wrongType,
            "\(path) is empty, and \(list) after it \(fallen.count == 1 ? "is a field" : "are fields") of \(container): \(fallen.count == 1 ? "it is" : "they are") indented one level short",
            at: location, job: job, path: path,
            fix: "indent \(fallen.count == 1 ? "it" : "them") under `\(container):`, two spaces deeper than `\(container):` itself")
    }

    // MARK: unknown-field

    /// `level`: where the field was found, to say where a key that belongs elsewhere goes.
    static func unknownField(
        _ name: String, in path: String, known: [String], level: FieldLevel, job: String?, at location: ManifestLocation
    ) -> Diagnostic {
        let fix =
            FieldPlacement.hint(for: name, at: level)
            ?? Spelling.closest(to: name, in: known).map { "did you mean \(quoted: $0)?" }
            ?? "remove it, or use one of: \(known.joined(separator: ", "))"
        return unknownField(name, in: path, level: level, job: job, at: location, fix: fix)
    }

    /// The same report with the fix given (nil for one past the cap, which is counted, not shown).
    static func unknownField(
        _ name: String, in path: String, level: FieldLevel, job: String?, at location: ManifestLocation, fix: String?
    ) -> Diagnostic {
        Diagnostic(
            .error, .unknownField, "unknown field \(quoted: name) in \(path)", at: location, job: job,
            path: level == .manifest ? name.clipped() : "\(path).\(name.clipped())", fix: fix)
    }

    static func nameInDefaults(path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unknownField, "defaults cannot set a job's name", at: location, path: path,
            fix: "give every job its own name")
    }

    // MARK: empty-value

    static func emptyValue(_ path: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .emptyValue, "\(path) is empty", at: location, job: job, path: path,
            fix: "give it a value or remove the field")
    }

    // MARK: invalid-variable

    static func invalidVariable(_ message: String, path: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(.error, .invalidVariable, message, at: location, job: job, path: path)
    }

    // MARK: invalid-name

    static func invalidName(_ what: String, _ name: String, path: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        let length = name.utf8.count
        guard length <= Manifest.maxNameLength else {
            return Diagnostic(
                .error, .invalidName, "\(what) \(quoted: name) is \(length) bytes long; a name is at most \(Manifest.maxNameLength)",
                at: location, job: job, path: path, fix: "give it a short name that says what it imports")
        }
        return Diagnostic(
            .error, .invalidName, "\(what) \(quoted: name) may hold only letters, digits, '.', '_' and '-'",
            at: location, job: job, path: path, fix: "rename it to match \(Manifest.namePattern)")
    }

    // MARK: invalid-target

    static func twoServers(
        _ path: String, first: TargetKind, second: TargetKind, job: String?, at location: ManifestLocation,
        firstAt firstLocation: ManifestLocation
    ) -> Diagnostic {
        Diagnostic(
            .error, .invalidTarget,
            "\(path) names both \(first.rawValue) and \(second.rawValue); a target is one server",
            at: location, job: job, path: path, fix: "split it into two targets",
            notes: [DiagnosticNote("\(first.rawValue) is named here", at: firstLocation)])
    }

    static func noServer(_ path: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .invalidTarget, "\(path) must name milvus or zilliz", at: location, job: job, path: path,
            fix: "write `milvus: {uri: ...}` or `zilliz: {url: ..., api_key: ..., cluster_id: ...}`")
    }

    // MARK: missing-field

    static func jobWithoutName(_ path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField, "\(path) has no name", at: location, path: path,
            fix: "add `name:`, unique across the manifests run together")
    }
}

extension Diagnostic {
    // MARK: ambiguous-scalar

    /// A plain scalar in a string field that other YAML tools read as `reading` ("a number").
    static func ambiguousScalar(_ path: String, value: String, reading: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        let field = path.split(separator: ".").last.map(String.init) ?? path
        let key = field.hasSuffix("]") ? "" : "\(field): "
        return Diagnostic(
            .warning, .ambiguousScalar,
            "\(path) is the unquoted \(quoted: value), a string here but \(reading) to YAML 1.1 tools (PyYAML, editors) and to the schema",
            at: location, job: job, path: path, fix: "quote it: `\(key)\"\(value)\"`")
    }
}
