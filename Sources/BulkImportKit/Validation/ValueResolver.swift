import LibYAML

/// Resolves `$<NAME>` references of one manifest's values against the environment, checks secret
/// fields, and remembers every secret value so output can be masked.
struct ValueResolver {
    let file: String
    let environment: Environment
    let options: ValidationOptions
    var diagnostics: [Diagnostic] = []
    /// How many errors ``report`` added (kept, not counted, since it is asked twice per job).
    private(set) var errorCount = 0
    var redactor = Redactor()
    /// Diagnostics already made, by code and place: a value inherited from `defaults` or a named
    /// target is checked once per job, but reported once.
    private var reported: Set<ReportKey> = []
    /// The first unset-variable diagnostic of each variable, and how many more places use it.
    private var unsetSeen: [String: (index: Int, more: Int)] = [:]

    /// Resolved values of templates with references, by text: the same `$<KEY>` in every job is
    /// resolved once.
    private var resolved: [String: Result<String, UnsetVariables>] = [:]

    private mutating func resolve(_ template: StringTemplate) -> Result<String, UnsetVariables> {
        if template.isPlain { return .success(template.raw) }
        if let cached = resolved[template.raw] { return cached }
        let result = template.resolve(in: environment)
        resolved[template.raw] = result
        return result
    }

    private struct ReportKey: Hashable {
        var code: DiagnosticCode
        var start: Mark
        var message: String
    }

    init(file: String, environment: Environment, options: ValidationOptions) {
        self.file = file
        self.environment = environment
        self.options = options
    }

    mutating func report(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at span: Span,
        job: String?, path: String? = nil, fix: String? = nil, notes: [DiagnosticNote] = []
    ) {
        if severity == .error { errorCount += 1 }
        guard reported.insert(ReportKey(code: code, start: span.start, message: message)).inserted else { return }
        diagnostics.append(Diagnostic(
            severity, code, message, at: SourceLocation(file: file, span: span), job: job, path: path, fix: fix,
            notes: notes))
    }

    /// The value of a plain field, or nil when it is absent or a variable is unset (reported).
    mutating func string(_ value: Located<StringTemplate>?, field: @autoclosure () -> String, job: String?) -> String? {
        guard let value else { return nil }
        switch resolve(value.value) {
        case .success(let text):
            return text
        case .failure(let unset):
            reportUnset(unset, field: field(), at: value.span, job: job)
            return nil
        }
    }

    /// The value of a secret field (`token`, `api_key`, `access_key`, `secret_key`): checks that it is
    /// written as a reference, and records the resolved value for masking.
    mutating func secret(_ value: Located<StringTemplate>?, field: String, job: String?) -> Secret? {
        guard let value else { return nil }
        let template = value.value
        let severity: Severity = options.allowPlaintextSecrets ? .warning : .error
        let firstSeen = template.isPlain || resolved[template.raw] == nil
        if template.isPlain || template.isLiteral {
            report(severity, .plaintextSecret,
                   "\(field) is written in plain text, so it is committed to git with the manifest",
                   at: value.span, job: job, path: field,
                   fix: "use $<ENV> and set the variable at run time, e.g. \(field): $<\(field.uppercased())>")
        } else if firstSeen, template.fallbacks.contains(where: { !$0.isEmpty }) {
            report(severity, .plaintextSecret,
                   "the fallback of \(field) is written in plain text, so it is committed to git with the manifest",
                   at: value.span, job: job, path: field, fix: "remove the fallback: $<NAME> without :-...")
        }
        switch resolve(template) {
        case .success(let text):
            redactor.add(text)
            if text.isEmpty {
                report(.error, .emptyValue, "\(field) resolves to an empty value", at: value.span, job: job,
                       path: field, fix: "set \(template.variables.joined(separator: ", ")) to a non-empty value")
                return nil
            }
            return Secret(text)
        case .failure(let unset):
            // Mask what is set, even though the whole value is not.
            for name in template.variables { if let v = environment[name] { redactor.add(v) } }
            reportUnset(unset, field: field, at: value.span, job: job)
            return nil
        }
    }

    private mutating func reportUnset(_ unset: UnsetVariables, field: String, at span: Span, job: String?) {
        let names = unset.names
        // One diagnostic per variable, not one per use: 10,000 jobs that share $<KEY> say it once.
        if names.count == 1, let seen = unsetSeen[names[0]] {
            if options.unsetVariableSeverity == .error { errorCount += 1 }
            if diagnostics[seen.index].location.line != span.start.line || diagnostics[seen.index].location.column != span.start.column {
                unsetSeen[names[0]] = (seen.index, seen.more + 1)
            }
            return
        }
        if names.count == 1 { unsetSeen[names[0]] = (diagnostics.count, 0) }
        let list = names.map { "$<\($0)>" }.joined(separator: ", ")
        report(options.unsetVariableSeverity, .unsetVariable,
               "\(field) uses \(list), but \(names.count == 1 ? "that variable is" : "those variables are") not set",
               at: span, job: job, path: field,
               fix: "export \(names.joined(separator: ", ")) before running, or give a fallback: $<\(names[0]):-value>")
    }
}

extension ValueResolver {
    /// Adds "used in N more places" to the unset-variable diagnostics that stand for several uses.
    mutating func finish() {
        for (name, seen) in unsetSeen where seen.more > 0 {
            diagnostics[seen.index].notes.append(DiagnosticNote(
                "$<\(name)> is used in \(seen.more) more place\(seen.more == 1 ? "" : "s") of this manifest"))
        }
        unsetSeen = [:]
    }
}
