/// How strict validation is.
public struct ValidationOptions: Sendable, Hashable {
    /// Secrets written as literals are warnings instead of errors.
    public var allowPlaintextSecrets: Bool
    /// How an unset `$<NAME>` is reported: a warning for `validate`, an error for `plan` and `run`,
    /// which need the value.
    public var unsetVariableSeverity: Severity
    /// Warnings fail the check too (`--strict`); they are still reported as warnings.
    public var strict: Bool

    public init(allowPlaintextSecrets: Bool = false, unsetVariableSeverity: Severity = .warning, strict: Bool = false) {
        self.allowPlaintextSecrets = allowPlaintextSecrets
        self.unsetVariableSeverity = unsetVariableSeverity
        self.strict = strict
    }
}
