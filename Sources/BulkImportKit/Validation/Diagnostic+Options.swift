// What each diagnostic about a job's import options says.

extension Diagnostic {
    // MARK: options-ignored

    static func optionsOnV1(job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .optionsIgnored, "the Zilliz Cloud v1 API takes no options: they are not sent",
            at: location, job: job, path: "options", fix: "remove them, or use the v2 API")
    }

    // MARK: unknown-option

    static func unknownOption(_ key: String, known: [String], path: String? = nil, job: String, at location: ManifestLocation) -> Diagnostic
    {
        let fix =
            FieldPlacement.hint(for: key, at: .options)
            ?? Spelling.closest(to: key, in: known).map { "did you mean \(quoted: $0)?" }
            ?? "known options: \(known.joined(separator: ", "))"
        return Diagnostic(
            .warning, .unknownOption, "option \(quoted: key) is not one the server knows; it may be ignored",
            at: location, job: job, path: path ?? "options.\(key.clipped())", fix: fix)
    }

    // MARK: invalid-duration

    static func timeoutNotPositive(_ value: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .invalidDuration, "timeout \(quoted: value) must be positive", at: location, job: job, path: path,
            fix: "write e.g. 300s or 2h")
    }

    static func timeoutNotADuration(_ value: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        // Suggest the unit only where the result is itself a valid timeout ("1e3s", "infs", "-5s" are not).
        let withUnit = value + "s"
        let fix =
            value.utf8.count <= 32 && (GoDuration.seconds(withUnit) ?? 0) > 0
            ? "add a unit: \(withUnit)" : "write a Go duration such as 300s, 1.5h or 1h45m"
        return Diagnostic(
            .error, .invalidDuration, "timeout \(quoted: value) is not a Go duration", at: location, job: job,
            path: path, fix: fix)
    }

    // MARK: option-dependency

    static func skipDiskQuotaCheckAlone(job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .optionDependency, "skip_disk_quota_check works only together with backup or l0_import",
            at: location, job: job, path: "options.skip_disk_quota_check", fix: "remove it, or set backup: true")
    }
}

extension Diagnostic {
    // MARK: reserved-option

    static func reservedOption(_ key: String, path: String? = nil, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .reservedOption,
            "option \(quoted: key) is set by the server itself, which refuses it in a request (\"\(key.clipped()) is reserved for internal use\")",
            at: location, job: job, path: path ?? "options.\(key.clipped())",
            fix: "remove it; for a snapshot import write the snapshot's full uri in files and set source_type: snapshot")
    }

    // MARK: no-timeout

    /// `jobs` lack a `timeout` option, of `total` Milvus REST v2 jobs; `first` is one of them.
    static func noTimeout(_ jobs: [String], total: Int, at location: ManifestLocation) -> Diagnostic {
        let what =
            jobs.count == 1
            ? "job \(quoted: jobs[0]) has no timeout option"
            : "\(jobs.count) of \(total) jobs have no timeout option (the first is \(quoted: jobs[0]))"
        return Diagnostic(
            .warning, .noTimeout,
            "\(what): Milvus then sets no deadline, so a job that stops moving never ends (milvus#53159)",
            at: location, job: jobs.count == 1 ? jobs[0] : nil, path: jobs.count == 1 ? "options.timeout" : "defaults.options.timeout",
            fix: "set one for every job in `defaults:` as `options: {timeout: 2h}` (a job's own timeout wins), sized to the largest import")
    }

    // MARK: snapshot-source

    static func snapshotSource(_ message: String, path: String, job: String, fix: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(.error, .snapshotSource, message, at: location, job: job, path: path, fix: fix)
    }
}
