import LibYAML

/// The snapshot-import contract of Milvus (`source_type: snapshot`), checked before sending as the
/// server checks it at create (`ValidateSnapshotSourceOptions` in
/// `internal/util/importutilv2/option.go`): its `files` is the snapshot's full metadata uri
/// (`s3://bucket/.../snapshot.json`, the location DescribeSnapshot returns), not a bucket key.
enum SnapshotSource {
    /// Whether `options` (as written) ask for a snapshot import. A `$<VAR>` value counts as not.
    static func isRequested(_ options: Located<[OptionSpec]>?) -> Bool {
        options?.value.contains { $0.key.value == "source_type" && $0.value.value.isPlain && OptionKeys.isSnapshot($0.value.value.raw) }
            ?? false
    }

    /// A snapshot job's one file: a full uri. `file` is a path of its `files`, resolved.
    static func checkFile(
        _ file: String, span: YAMLSpan, path: String, job: String, values: inout ValueResolver
    ) {
        guard ManifestResolver.schemeSeparator(in: file) == nil else { return }
        values.report(
            .snapshotSource(
                "\(quoted: file) is a bucket key, but a snapshot import (source_type: snapshot) reads the snapshot's full metadata uri",
                path: path, job: job,
                fix: "write the uri DescribeSnapshot returns, e.g. \(quoted: "s3://bucket/" + file)",
                at: values.location(span)))
    }

    /// One snapshot per job: the server reads `files[0].paths[0]` only.
    static func checkCount(_ groups: [[String]], span: YAMLSpan, job: String, values: inout ValueResolver) {
        let count = groups.reduce(0) { $0 + $1.count }
        guard count > 1 else { return }
        values.report(
            .snapshotSource(
                "a snapshot import reads one snapshot.json uri, but files has \(count) paths", path: "files", job: job,
                fix: "give each snapshot a job of its own", at: values.location(span)))
    }

    /// The option combinations the server refuses. `resolved` are the job's options, values resolved.
    static func checkOptions(_ resolved: [(spec: OptionSpec, value: String)], job: String, values: inout ValueResolver) {
        func first(_ key: String) -> (spec: OptionSpec, value: String)? { resolved.first { $0.spec.key.value == key } }
        func isTrue(_ key: String) -> Bool { first(key)?.value.lowercased() == "true" }
        let sourceType = first("source_type")
        let snapshot = sourceType.map { OptionKeys.isSnapshot($0.value) } ?? false
        func report(_ option: (spec: OptionSpec, value: String), _ message: String, fix: String) {
            values.report(
                .snapshotSource(
                    message, path: option.spec.key.path ?? "options.\(option.spec.key.value.clipped())", job: job, fix: fix,
                    at: values.location(option.spec.key.span)))
        }
        if let sourceType, !snapshot {
            report(
                sourceType, "source_type \(quoted: sourceType.value) is not one Milvus knows (\"unsupported source_type\")",
                fix: "write `source_type: snapshot`, or remove it")
        }
        if let spec = first("external_spec") {
            if !snapshot {
                report(
                    spec, "external_spec works only with source_type: snapshot (\"external_spec requires source_type=snapshot\")",
                    fix: "add `source_type: snapshot` and `backup: true`, or remove external_spec")
            } else if spec.value.allSatisfy({ $0 == " " || $0 == "\t" }) || spec.value.utf8.count > OptionKeys.maxExternalSpecBytes {
                report(
                    spec, "external_spec must be non-empty and at most 64 KiB",
                    fix: "reference the snapshot source's credentials spec as $<VAR>")
            }
        }
        if let sourceType, snapshot {
            if !isTrue("backup") {
                report(
                    sourceType, "source_type: snapshot needs backup: true (\"source_type=snapshot requires backup=true\")",
                    fix: "add `backup: true` to the job's options")
            }
            if isTrue("l0_import"), let l0 = first("l0_import") {
                report(l0, "a snapshot import cannot also be an l0_import", fix: "remove l0_import, or make it a job of its own")
            }
            if let version = first("storage_version") {
                report(
                    version, "storage_version must not be set with source_type: snapshot: the snapshot says which it is",
                    fix: "remove storage_version")
            }
        } else if sourceType == nil, isTrue("backup"), let version = first("storage_version"),
            Int(version.value.trimmingSpaces) == 3
        {
            report(
                version, "a StorageV3 backup import must be a snapshot import (\"StorageV3 backup import requires source_type=snapshot\")",
                fix: "replace storage_version: 3 with `source_type: snapshot` and write the snapshot.json uri in files")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension ValueResolver {
    /// Emits `diagnostic` with its path made full from the manifest's root.
    mutating func report(_ diagnostic: Diagnostic) {
        var diagnostic = diagnostic
        if let path = diagnostic.path { diagnostic.path = fullPath(path) }
        diagnostics.emit(diagnostic)
    }
}
