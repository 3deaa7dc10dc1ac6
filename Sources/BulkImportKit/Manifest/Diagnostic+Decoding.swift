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
        Diagnostic(.error, .wrongType, "a key in \(path) must be a string, not \(kind)", at: location, job: job, path: path)
    }

    static func optionNotAScalar(_ key: String, path: String, found kind: String, job: String?, at location: ManifestLocation) -> Diagnostic
    {
        Diagnostic(
            .error, .wrongType, "option \(key) must be a single value (sent as a string), not \(kind)",
            at: location, job: job, path: path)
    }

    // MARK: unknown-field

    static func unknownField(_ name: String, in path: String, known: [String], job: String?, at location: ManifestLocation) -> Diagnostic {
        let fix =
            Spelling.closest(to: name, in: known).map { "did you mean '\($0)'?" }
            ?? "remove it, or use one of: \(known.joined(separator: ", "))"
        return Diagnostic(
            .error, .unknownField, "unknown field '\(name)' in \(path)", at: location, job: job,
            path: path.isEmpty ? name : "\(path).\(name)", fix: fix)
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
        Diagnostic(
            .error, .invalidName, "\(what) '\(name)' may hold only letters, digits, '.', '_' and '-'",
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
