// What each diagnostic about a value's `$<NAME>` references and secret fields says, as
// ``ValueResolver`` resolves them.

extension Diagnostic {
    // MARK: plaintext-secret

    static func plaintextSecret(_ severity: Severity, field: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            severity, .plaintextSecret,
            "\(field) is written in plain text, so it is committed to git with the manifest",
            at: location, job: job, path: field,
            fix: "use $<ENV> and set the variable at run time, e.g. \(field): $<\(field.uppercased())>")
    }

    static func plaintextFallback(_ severity: Severity, field: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            severity, .plaintextSecret,
            "the fallback of \(field) is written in plain text, so it is committed to git with the manifest",
            at: location, job: job, path: field, fix: "remove the fallback: $<NAME> without :-...")
    }

    // MARK: empty-value

    static func emptySecret(_ field: String, variables: [String], job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .emptyValue, "\(field) resolves to an empty value", at: location, job: job,
            path: field, fix: "set \(variables.joined(separator: ", ")) to a non-empty value")
    }

    // MARK: unset-variable

    static func unsetVariables(
        _ names: [String], severity: Severity, field: String, job: String?, at location: ManifestLocation
    ) -> Diagnostic {
        let list = names.map { "$<\($0)>" }.joined(separator: ", ")
        return Diagnostic(
            severity, .unsetVariable,
            "\(field) uses \(list), but \(names.count == 1 ? "that variable is" : "those variables are") not set",
            at: location, job: job, path: field,
            fix: "export \(names.joined(separator: ", ")) before running, or give a fallback: $<\(names[0]):-value>")
    }
}

extension DiagnosticNote {
    /// Added to the one unset-variable diagnostic that stands for every use of a variable.
    static func usedInMorePlaces(_ variable: String, count: Int) -> DiagnosticNote {
        DiagnosticNote("$<\(variable)> is used in \(count) more place\(count == 1 ? "" : "s") of this manifest")
    }
}
