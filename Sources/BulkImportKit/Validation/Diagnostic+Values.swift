// What each diagnostic about a value's `$<NAME>` references and secret fields says, as
// ``ValueResolver`` resolves them.

extension Diagnostic {
    // MARK: plaintext-secret

    static func plaintextSecret(_ severity: Severity, field: String, path: String, job: String?, at location: ManifestLocation)
        -> Diagnostic
    {
        Diagnostic(
            severity, .plaintextSecret,
            "\(field) is written in plain text, so it is committed to git with the manifest",
            at: location, job: job, path: path,
            fix: "use $<ENV> and set the variable at run time, e.g. \(field): $<\(field.uppercased())>")
    }

    static func plaintextFallback(_ severity: Severity, field: String, path: String, job: String?, at location: ManifestLocation)
        -> Diagnostic
    {
        Diagnostic(
            severity, .plaintextSecret,
            "the fallback of \(field) is written in plain text, so it is committed to git with the manifest",
            at: location, job: job, path: path, fix: "remove the fallback: $<NAME> without :-...")
    }

    // MARK: empty-value

    static func emptySecret(_ field: String, path: String, variables: [String], job: String?, at location: ManifestLocation)
        -> Diagnostic
    {
        Diagnostic(
            .error, .emptyValue, "\(field) resolves to an empty value", at: location, job: job,
            path: path, fix: "set \(variables.map { $0.clipped() }.joined(separator: ", ")) to a non-empty value")
    }

    /// A token or key whose value holds a control character (never shown: only which and where).
    static func unsendableSecret(
        _ field: String, path: String, variables: [String], scalar: Unicode.Scalar, position: Int, length: Int, job: String?,
        at location: ManifestLocation
    ) -> Diagnostic {
        let what =
            switch scalar {
            case "\n": "a line break (\\n)"
            case "\r": "a carriage return (\\r)"
            case "\t": "a tab"
            default: "the control character U+\(String(scalar.value, radix: 16, uppercase: true))"
            }
        let place = position == length ? "at its end" : "at character \(position) of \(length)"
        let names = variables.map { "$<\($0.clipped())>" }.joined(separator: ", ")
        return Diagnostic(
            .error, .invalidVariable,
            "\(field) resolves to a value with \(what) \(place), which an HTTP header cannot carry", at: location, job: job,
            path: path,
            fix: "set \(names.isEmpty ? "the variable" : names) without it, e.g. "
                + "`export \(variables.count == 1 ? variables[0].clipped() : "NAME")=\"$(tr -d '\\r\\n' < token.txt)\"`")
    }

    // MARK: unset-variable

    /// `secret`: the field is a secret, whose fallback would be plain text in the manifest (an
    /// error), so the fix suggests only exporting the variable.
    static func unsetVariables(
        _ names: [String], severity: Severity, field: String, path: String, secret: Bool, job: String?,
        at location: ManifestLocation
    ) -> Diagnostic {
        let names = names.map { $0.clipped() }
        let list = names.map { "$<\($0)>" }.joined(separator: ", ")
        let export = "export \(names.joined(separator: ", ")) before running"
        return Diagnostic(
            severity, .unsetVariable,
            "\(field) uses \(list), but \(names.count == 1 ? "that variable is" : "those variables are") not set",
            at: location, job: job, path: path,
            fix: secret
                ? "\(export) (\(field) is a secret, so it takes no fallback written in the manifest)"
                : "\(export), or give a fallback: $<\(names[0]):-value>")
    }
}

extension DiagnosticNote {
    /// Added to the one unset-variable diagnostic that stands for every use of a variable.
    static func usedInMorePlaces(_ variable: String, count: Int) -> DiagnosticNote {
        DiagnosticNote("$<\(variable.clipped())> is used in \(count) more place\(count == 1 ? "" : "s") of this manifest")
    }
}

extension Diagnostic {
    // MARK: name-refused

    static func nameRefused(
        _ name: String, field: String, path: String, kind: ServerName.Kind, problem: String, variables: [String], job: String?,
        at location: ManifestLocation
    ) -> Diagnostic {
        // A name from variables gets no corrected example: the fix is in the variables' values.
        let fix =
            variables.isEmpty
            ? "use the \(kind.noun)'s name as the server has it, e.g. \(quoted: ServerName.suggestion(for: name, as: kind))"
            : "set \(variables.map { $0.clipped() }.joined(separator: ", ")) so that \(field) follows the rule"
        return Diagnostic(
            .error, .nameRefused, "\(field) \(quoted: name) is not a name the server accepts: \(problem); \(kind.rule)",
            at: location, job: job, path: path, fix: fix)
    }
}
