import LibYAML

/// Resolves `$<NAME>` references of one manifest's values against the environment, checks secret
/// fields, and remembers every secret value so output can be masked.
struct ValueResolver {
    let file: String
    let environment: Environment
    let options: ValidationOptions
    /// Where every problem of the manifest goes, the resolver's and its caller's; the validator
    /// hands in its bag and takes it back.
    var diagnostics = DiagnosticBag()
    var redactor = Redactor()
    /// Where the job or target being resolved is, `jobs[2]` or `targets.local.milvus`: a field's
    /// path relative to it (`secret_key`, `files[0]`) is made full from the manifest's root.
    var pathPrefix: String? {
        get {
            switch prefix {
            case .job(let index)?: "jobs[\(index)]"
            case .text(let text)?: text
            case nil: nil
            }
        }
        set { prefix = newValue.map(Prefix.text) }
    }

    /// ``pathPrefix`` as kept: a job's only by its index, written out when a diagnostic needs it
    /// (not for each of 100,000 jobs that have none).
    enum Prefix {
        case job(Int)
        case text(String)
    }
    var prefix: Prefix?

    /// `field`'s full path from the manifest's root, unless it already is one.
    func fullPath(_ field: String) -> String {
        guard let pathPrefix, !Self.isRooted(field) else { return field }
        return "\(pathPrefix).\(field)"
    }

    /// Whether `path` already starts at the manifest's root.
    static func isRooted(_ path: String) -> Bool {
        ["jobs[", "targets.", "defaults", "state", "version", "jobs", "targets"].contains { path.hasPrefix($0) }
    }

    /// A template with references as resolved, and what checking it as a secret needs to know.
    private struct Resolved {
        var result: Result<String, UnsetVariables>
        var variables: [String]
        /// It references no variable (only `$$<` escapes).
        var isLiteral: Bool
        /// A fallback with text in it: plain text in the manifest.
        var hasFallbackText: Bool
        /// Its value was given to the redactor.
        var masked = false
    }

    /// Templates with references, by text: the same `$<KEY>` in every job is read and resolved
    /// once.
    private var resolved: [String: Resolved] = [:]

    private mutating func lookUp(_ template: StringTemplate) -> Resolved {
        if let cached = resolved[template.raw] { return cached }
        let entry = Resolved(
            result: template.resolve(in: environment), variables: template.variables, isLiteral: template.isLiteral,
            hasFallbackText: template.fallbacks.contains { !$0.isEmpty })
        resolved[template.raw] = entry
        return entry
    }

    private mutating func resolve(_ template: StringTemplate) -> Result<String, UnsetVariables> {
        if template.isPlain { return .success(template.raw) }
        return lookUp(template).result
    }

    init(file: String, environment: Environment, options: ValidationOptions) {
        self.file = file
        self.environment = environment
        self.options = options
    }

    func location(_ span: YAMLSpan) -> ManifestLocation { ManifestLocation(file: file, span: span) }

    /// The job a value's diagnostics name: none for a value written in `defaults` or a named
    /// target, which belongs to no one job (its path says where it is).
    static func owner(of value: Located<StringTemplate>, job: String?) -> String? {
        guard let path = value.path else { return job }
        return path.hasPrefix("defaults") || path.hasPrefix("targets") ? nil : job
    }

    /// The value of a plain field, or nil when it is absent or a variable is unset (reported).
    mutating func string(_ value: Located<StringTemplate>?, field: @autoclosure () -> String, job: String?) -> String? {
        guard let value else { return nil }
        switch resolve(value.value) {
        case .success(let text):
            return text
        case .failure(let unset):
            reportUnset(unset, field: field(), path: value.path, secret: false, at: value.span, job: Self.owner(of: value, job: job))
            return nil
        }
    }

    /// The value of a secret field (`token`, `api_key`, `access_key`, `secret_key`): checks that it is
    /// written as a reference, and records the resolved value for masking.
    mutating func secret(_ value: Located<StringTemplate>?, field: String, job: String?) -> Secret? {
        guard let value else { return nil }
        let template = value.value
        let job = Self.owner(of: value, job: job)
        func path() -> String { value.path ?? fullPath(field) }
        let severity: Severity = options.allowPlaintextSecrets ? .warning : .error
        if template.isPlain {
            diagnostics.emit(.plaintextSecret(severity, field: field, path: path(), job: job, at: location(value.span)))
            redactor.add(template.raw)
            return checked(template.raw, variables: [], field: field, writtenPath: value.path, job: job, at: value.span)
        }
        let firstSeen = resolved[template.raw] == nil
        let entry = lookUp(template)
        if entry.isLiteral {
            diagnostics.emit(.plaintextSecret(severity, field: field, path: path(), job: job, at: location(value.span)))
        } else if firstSeen, entry.hasFallbackText {
            diagnostics.emit(.plaintextFallback(severity, field: field, path: path(), job: job, at: location(value.span)))
        }
        switch entry.result {
        case .success(let text):
            if !entry.masked {
                redactor.add(text, from: entry.variables)
                resolved[template.raw]?.masked = true
            }
            return checked(text, variables: entry.variables, field: field, writtenPath: value.path, job: job, at: value.span)
        case .failure(let unset):
            // Mask what is set, even though the whole value is not.
            for name in entry.variables { if let v = environment[name] { redactor.add(v, from: [name]) } }
            reportUnset(unset, field: field, path: path(), secret: true, at: value.span, job: job)
            return nil
        }
    }

    /// `text`, a secret's value, unless it is empty or cannot be sent (both reported).
    private mutating func checked(
        _ text: String, variables: [String], field: String, writtenPath: String?, job: String?, at span: YAMLSpan
    ) -> Secret? {
        func path() -> String { writtenPath ?? fullPath(field) }
        if text.isEmpty {
            diagnostics.emit(.emptySecret(field, path: path(), variables: variables, job: job, at: location(span)))
            return nil
        }
        // A token or key goes into an HTTP header, which cannot carry a line break (a token
        // read from a file with its newline, a .env with CRLF ends): refused here, not sent.
        if field == "token" || field == "api_key",
            let index = text.unicodeScalars.firstIndex(where: { $0.value < 0x20 || $0.value == 0x7F })
        {
            let position = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: index) + 1
            diagnostics.emit(
                .unsendableSecret(
                    field, path: path(), variables: variables, scalar: text.unicodeScalars[index], position: position,
                    length: text.unicodeScalars.count, job: job, at: location(span)))
            return nil
        }
        return Secret(text)
    }

    private mutating func reportUnset(
        _ unset: UnsetVariables, field: String, path: String?, secret: Bool, at span: YAMLSpan, job: String?
    ) {
        let names = unset.names
        let severity = options.unsetVariableSeverity
        // One diagnostic per variable, not one per use: 10,000 jobs that share $<KEY> say it once.
        // Secret and plain uses apart: their fixes differ (a secret takes no fallback).
        let group = names.count == 1 ? "\(file)\u{0}\(names[0])\u{0}\(secret)" : nil
        if let group, diagnostics.fold(into: group, severity: severity, at: location(span)) { return }
        let diagnostic = Diagnostic.unsetVariables(
            names, severity: severity, field: field, path: path ?? fullPath(field), secret: secret, job: job, at: location(span))
        if let group {
            let name = names[0]
            diagnostics.emit(diagnostic, startingGroup: group) { .usedInMorePlaces(name, count: $0) }
        } else {
            diagnostics.emit(diagnostic)
        }
    }
}
