import LibYAML

/// Resolves `$<NAME>` references of one manifest's values against the environment, checks secret
/// fields, and remembers every secret value so output can be masked.
struct ValueResolver {
    let file: String
    let environment: Environment
    let options: ValidationOptions
    var diagnostics: [Diagnostic] = []
    var redactor = Redactor()

    init(file: String, environment: Environment, options: ValidationOptions) {
        self.file = file
        self.environment = environment
        self.options = options
    }

    mutating func report(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at span: Span,
        job: String?, path: String? = nil, fix: String? = nil, notes: [DiagnosticNote] = []
    ) {
        diagnostics.append(Diagnostic(
            severity, code, message, at: SourceLocation(file: file, span: span), job: job, path: path, fix: fix,
            notes: notes))
    }

    /// The value of a plain field, or nil when it is absent or a variable is unset (reported).
    mutating func string(_ value: Located<StringTemplate>?, field: String, job: String?) -> String? {
        guard let value else { return nil }
        switch value.value.resolve(in: environment) {
        case .success(let text):
            return text
        case .failure(let unset):
            reportUnset(unset, field: field, at: value.span, job: job)
            return nil
        }
    }

    /// The value of a secret field (`token`, `api_key`, `access_key`, `secret_key`): checks that it is
    /// written as a reference, and records the resolved value for masking.
    mutating func secret(_ value: Located<StringTemplate>?, field: String, job: String?) -> Secret? {
        guard let value else { return nil }
        let template = value.value
        let severity: Severity = options.allowPlaintextSecrets ? .warning : .error
        if template.isLiteral {
            report(severity, .plaintextSecret,
                   "\(field) is written in plain text, so it is committed to git with the manifest",
                   at: value.span, job: job, path: field,
                   fix: "use $<ENV> and set the variable at run time, e.g. \(field): $<\(field.uppercased())>")
        } else if template.fallbacks.contains(where: { !$0.isEmpty }) {
            report(severity, .plaintextSecret,
                   "the fallback of \(field) is written in plain text, so it is committed to git with the manifest",
                   at: value.span, job: job, path: field, fix: "remove the fallback: $<NAME> without :-...")
        }
        switch template.resolve(in: environment) {
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
        let list = names.map { "$<\($0)>" }.joined(separator: ", ")
        report(options.unsetVariableSeverity, .unsetVariable,
               "\(field) uses \(list), but \(names.count == 1 ? "that variable is" : "those variables are") not set",
               at: span, job: job, path: field,
               fix: "export \(names.joined(separator: ", ")) before running, or give a fallback: $<\(names[0]):-value>")
    }
}
