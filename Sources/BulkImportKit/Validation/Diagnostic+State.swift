extension Diagnostic {
    static func plaintextStatePassword(_ severity: Severity, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            severity, .plaintextSecret,
            "the password in the state URL is written in plain text, so it is committed to git with the manifest",
            at: location, path: "state", fix: "reference it: state: postgres://USER:$<PGPASSWORD>@HOST:5432/DATABASE")
    }

    static func invalidState(_ error: StateLocation.ParseError, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(.error, .invalidState, error.message, at: location, path: "state", fix: error.fix)
    }

    static func conflictingStates(
        _ state: StateLocation, other: StateLocation, otherFile: String, at location: ManifestLocation, otherAt: ManifestLocation?
    ) -> Diagnostic {
        Diagnostic(
            .error, .conflictingStates,
            "this manifest's jobs are recorded in \(state.description.clipped()), but \(otherFile.clipped())'s in \(other.description.clipped()): one run keeps one state",
            at: location, path: "state",
            fix:
                "give every manifest run together the same `state:` (e.g. state: ../.bulk-import/state.jsonl, resolved against each manifest's folder), run them separately, or pass --state",
            notes: otherAt.map { [DiagnosticNote("the other manifest's state", at: $0)] } ?? [])
    }
}
