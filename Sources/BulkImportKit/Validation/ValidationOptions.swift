/// How strict validation is.
public struct ValidationOptions: Sendable, Hashable {
    /// Secrets written as literals are warnings instead of errors.
    public var allowPlaintextSecrets: Bool
    /// How an unset `$<NAME>` is reported: a warning for `validate`, an error for `plan` and `run`,
    /// which need the value.
    public var unsetVariableSeverity: Severity
    /// Warnings fail the check too (`--strict`); they are still reported as warnings.
    public var strict: Bool
    /// The state `--state` names: it overrides every manifest's `state:` (which is then not
    /// checked), so manifests from different folders may run together.
    public var stateOverride: StateLocation?

    public init(
        allowPlaintextSecrets: Bool = false, unsetVariableSeverity: Severity = .warning, strict: Bool = false,
        stateOverride: StateLocation? = nil
    ) {
        self.stateOverride = stateOverride
        self.allowPlaintextSecrets = allowPlaintextSecrets
        self.unsetVariableSeverity = unsetVariableSeverity
        self.strict = strict
    }
}
