/// Targets this run stopped sending to, and why: one that refused the credentials, or one that
/// cannot be reached at all. Every job of such a target would fail the same way, so the failure is
/// reported once, by the job that met it first, and the target's other jobs are not sent.
actor BlockedTargets {
    private var reasons: [String: String] = [:]

    /// What identifies a target here: its name and its server (two targets on one server may hold
    /// different credentials).
    static func key(_ target: ImportTarget) -> String { (target.name ?? "") + "\u{0}" + target.clusterKey }

    /// Blocks `target` with `reason` (what the target's other jobs say). Returns whether this call
    /// blocked it: only that caller reports the failure.
    func block(_ target: ImportTarget, reason: String) -> Bool {
        let key = Self.key(target)
        guard reasons[key] == nil else { return false }
        reasons[key] = reason
        return true
    }

    /// Why `target` is blocked, or nil.
    func reason(for target: ImportTarget) -> String? { reasons[Self.key(target)] }
}

extension ImportError {
    /// Whether every request to the target would fail this way: refused credentials, or a target
    /// that cannot be reached (a host that does not resolve, TLS; a refused connection once the
    /// retries are spent).
    var isTargetWide: Bool { isAuthenticationFailure || isUnreachable || wasNotSent }

    /// This error as a sentence about `target`: what to check when it refused the credentials, the
    /// target and its uri when it cannot be reached; otherwise the error as it is.
    public func explained(for target: ImportTarget) -> String {
        guard isAuthenticationFailure || isUnreachable else { return description }
        var text = Submitter.targetWideMessage(self, target: target, consequence: "")
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension ImportTarget {
    /// How a message names the target and where it points: "target 'local' at http://x:19530".
    var described: String {
        (name.map { "target \(quoted: $0)" } ?? "an inline \(api.kind.rawValue) target") + " at \(endpoint.description.clipped())"
    }

    /// What to check when the target refuses the credentials: the variable that holds them
    /// (never its value).
    var credentialAdvice: String {
        let field = api.kind == .zilliz ? "api_key" : "token"
        let given = api.kind == .zilliz ? apiKey != nil : token != nil
        guard given else { return "the target has no `\(field)`: add `\(field): $<VARIABLE>` if the server requires one" }
        if !credentialVariables.isEmpty {
            return "check " + credentialVariables.map { "$<\($0.clipped())>" }.joined(separator: ", ")
                + ", which \(credentialVariables.count == 1 ? "holds" : "hold") the target's `\(field)`"
        }
        return "check the target's `\(field)`"
    }
}
