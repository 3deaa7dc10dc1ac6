/// `atomic: true` on a manifest: its jobs form one atomic group (see `AtomicGroupRunner`). Checked
/// before anything is sent: every job's API must have two-phase imports (Milvus 2.2/2.3's
/// `/api/v1` and Zilliz Cloud's v1 data plane never do), and no job may ask for `auto_commit`
/// itself. Whether the servers of the others can is asked of them before the first create.
enum AtomicGroupCheck {
    /// `jobs` marked as the atomic group `group`.
    static func marked(_ jobs: [ImportJob], group: String) -> [ImportJob] {
        jobs.map {
            var job = $0
            job.atomicGroup = group
            return job
        }
    }

    /// Why `job` cannot take part in the atomic group set at `at`; none when it can.
    static func problems(_ job: ImportJob, atomic at: ManifestLocation) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let why = job.target.api.client.twoPhase.refusal {
            problems.append(
                Diagnostic(
                    .error, .invalidTarget,
                    "job \(quoted: job.name) targets \(job.target.displayName.clipped()) (\(job.target.api.rawValue)), which cannot take part in an atomic manifest: \(why)",
                    at: job.location, job: job.name, path: "atomic",
                    fix: "point the job at a REST v2 target (Milvus 2.7/3.0 or later, `api: v2`), or remove `atomic: true`",
                    notes: [DiagnosticNote("`atomic: true` is set here", at: at)]))
        }
        if let option = job.options.first(where: { $0.key == "auto_commit" }), option.value.lowercased() != "false" {
            problems.append(
                Diagnostic(
                    .error, .conflictingFields,
                    "job \(quoted: job.name) sets auto_commit \(quoted: option.value), but `atomic: true` creates every job with auto_commit \"false\" and commits them together",
                    at: job.location, job: job.name, path: "options.auto_commit",
                    fix: "remove `auto_commit` from the job's options (or from `defaults`)",
                    notes: [DiagnosticNote("`atomic: true` is set here", at: at)]))
        }
        return problems
    }
}
