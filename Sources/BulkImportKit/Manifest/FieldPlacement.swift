/// Where a key that is unknown at one level of a manifest belongs instead: most unknown keys are
/// known keys indented one level too deep or too shallow (`timeout:` fallen out from under
/// `options:`, `uri:` level with `milvus:`), and the fix should say where to put them.
enum FieldLevel: Sendable, Hashable {
    /// The top level of the manifest.
    case manifest
    /// `targets.NAME` or an inline `target:`: the level of `milvus:` / `zilliz:`.
    case targetEntry
    /// The body of a `milvus:` or `zilliz:` target.
    case targetBody(TargetKind)
    /// A job's fields.
    case job
    /// The fields of `defaults`.
    case defaults
    /// A job's `options`.
    case options
}

enum FieldPlacement {
    /// The fix for `key`, unknown at `level`, when it is a known key somewhere else; nil otherwise.
    static func hint(for key: String, at level: FieldLevel) -> String? {
        guard key.utf8.count <= 64 else { return nil }
        let kinds = TargetKind.allCases.filter { TargetSpec.fieldNames(for: $0).contains(key) }
        let isJobField = JobFields.fieldNames.contains(key)
        let isOption = ManifestResolver.knownOptions.contains(key)
        let isTopLevel = Manifest.fieldNames.contains(key)
        let isKind = TargetKind(rawValue: key) != nil
        let underKinds = kinds.map { "`\($0.rawValue):`" }.joined(separator: " or ")

        switch level {
        case .manifest:
            if isJobField { return "did you mean to put it under a job, or under `defaults:` for every job? (\(key) is a job field)" }
            if isKind || !kinds.isEmpty {
                return "did you mean to put it under a target, in `targets: NAME:`? (\(key) is a target's field)"
            }
        case .targetEntry:
            if !kinds.isEmpty { return "did you mean to put it under \(underKinds)? Indent it one level deeper" }
            if isJobField { return "did you mean to put it in the job (or `defaults:`)? \(key) is a job field, not a target's" }
            if isTopLevel { return "did you mean the top-level `\(key):`? Unindent it" }
        case .targetBody(let kind):
            // `url` under `milvus:` is more likely a typo of `uri` than a field of the other kind.
            if !kinds.isEmpty, !kinds.contains(kind), Spelling.closest(to: key, in: TargetSpec.fieldNames(for: kind)) == nil {
                return
                    "\(key) belongs to a \(underKinds) target; a \(kind.rawValue) target takes: \(TargetSpec.fieldNames(for: kind).joined(separator: ", "))"
            }
            if isJobField { return "did you mean to put it in the job (or `defaults:`)? \(key) is a job field, not a target's" }
            if isOption { return "did you mean to put it under a job's `options:`? (\(key) is an import option)" }
            if isTopLevel { return "did you mean the top-level `\(key):`? Unindent it" }
        case .job, .defaults:
            if isOption { return "did you mean to put it under `options:`? (\(key) is an import option)" }
            if !kinds.isEmpty {
                return
                    "did you mean to put it under the target's \(underKinds)? (\(key) is a target's field, in `targets:` or an inline `target:`)"
            }
            if isKind { return "did you mean to put it under `target:` (an inline target), or to define it in `targets:`?" }
            if isTopLevel { return "did you mean the top-level `\(key):`? Unindent it" }
        case .options:
            if isJobField || key == "name" { return "did you mean the job's `\(key):`? It is a job field, not an option: unindent it" }
        }
        return nil
    }
}
