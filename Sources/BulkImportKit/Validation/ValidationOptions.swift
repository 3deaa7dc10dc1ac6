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
    /// Whether the result keeps the ``ImportJob`` of every job that passed (`plan`, `run`). Without
    /// them (`validate`) a job is checked as it is read and only its name, place and a hash of
    /// what it imports are kept: memory does not grow with the size of each job.
    public var keepsJobs: Bool

    public init(
        allowPlaintextSecrets: Bool = false, unsetVariableSeverity: Severity = .warning, strict: Bool = false,
        stateOverride: StateLocation? = nil, keepsJobs: Bool = true
    ) {
        self.keepsJobs = keepsJobs
        self.stateOverride = stateOverride
        self.allowPlaintextSecrets = allowPlaintextSecrets
        self.unsetVariableSeverity = unsetVariableSeverity
        self.strict = strict
    }
}
