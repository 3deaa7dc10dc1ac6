extension ManifestResolver {
    /// The manifest's state: its `state:` resolved (a path against the manifest's folder), or the
    /// default file beside it; nil when `state:` is invalid (reported). A password in a postgres
    /// URL must come from a variable, and is masked wherever the tool writes.
    mutating func resolveState() -> StateLocation? {
        guard let written = manifest.state else { return StateLocation.defaultState(forManifest: manifest.file) }
        guard let text = values.string(written, field: "state", job: nil) else { return nil }
        let state: StateLocation
        do {
            state = try StateLocation(parsing: text, relativeTo: StateLocation.folder(of: manifest.file))
        } catch {
            values.diagnostics.emit(.invalidState(error, at: values.location(written.span)))
            return nil
        }
        if let password = state.password {
            values.redactor.add(password)
            let template = StateLocation.withoutVariables(written.value)
            if case .postgres = state, let literal = (try? StateLocation(parsing: template, relativeTo: "/"))?.password,
                literal == password
            {
                let severity: Severity = values.options.allowPlaintextSecrets ? .warning : .error
                values.diagnostics.emit(.plaintextStatePassword(severity, at: values.location(written.span)))
            }
        }
        return state
    }
}

extension StateLocation {
    /// The literal text of `template`, each reference replaced by an empty string: what is left of
    /// a password that was not written as a reference.
    static func withoutVariables(_ template: StringTemplate) -> String {
        template.parts.map { part -> String in
            if case .literal(let text) = part { return text }
            return ""
        }.joined()
    }
}
