import LibYAML

/// A Zilliz Cloud volume import: `volume_name` (or its older name `stage_name`) and `data_paths`,
/// sent as `volumeName` and `dataPaths: [[path]]` as pymilvus 2.6.5+ `bulk_import` does
/// (`pymilvus/bulk_writer/bulk_import.py`). The cluster reads the volume with the API key, so a
/// volume job names no object url and no storage credentials.
enum VolumeSource {
    /// Whether the job's fields name a volume import at all.
    static func isRequested(_ fields: JobFields) -> Bool {
        fields.volumeName != nil || fields.stageName != nil || fields.dataPaths != nil || fields.present.containsAny(of: fieldNames)
    }

    /// The fields that ask for a volume, as a set: one test of bits for every job, not three lookups by name.
    private static let fieldNames: FieldNameSet = ["volume_name", "stage_name", "data_paths"]

    /// The first volume field written, for a location.
    static func firstField(_ fields: JobFields) -> (String, YAMLSpan)? {
        if let v = fields.volumeName { return ("volume_name", v.span) }
        if let v = fields.stageName { return ("stage_name", v.span) }
        if let v = fields.dataPaths { return ("data_paths", v.span) }
        return nil
    }

    /// A volume field on a target that cannot take it (Milvus, or the Zilliz Cloud v1 API).
    static func reportUnsupported(_ fields: JobFields, onMilvus: Bool, job: String, jobSpan: YAMLSpan, values: inout ValueResolver) {
        let (field, span) = firstField(fields) ?? ("volume_name", jobSpan)
        values.report(
            .volumeSource(
                onMilvus
                    ? "\(field) names a Zilliz Cloud volume, but this job's target is Milvus, which imports from its own bucket"
                    : "\(field) names a Zilliz Cloud volume, which only the v2 API imports from",
                path: field, job: job,
                fix: onMilvus ? "remove it and list the object keys in files" : "use the v2 API (`api: v2` on the target, the default)",
                at: values.location(span)))
    }

    /// Checks a volume job on the Zilliz Cloud v2 API; returns the volume and its data paths, one
    /// path per group (nil volume on error, reported).
    static func resolve(
        _ fields: JobFields, maxGroups: Int?, job: String, jobSpan: YAMLSpan, values: inout ValueResolver
    ) -> (volume: String?, paths: [[String]]) {
        // Neither object urls nor storage keys: the cluster reads its own volume.
        for (field, span) in [
            ("files", fields.files?.span), ("object_url", fields.objectURL?.span), ("access_key", fields.accessKey?.span),
            ("secret_key", fields.secretKey?.span), ("token", fields.token?.span),
        ] {
            guard let span else { continue }
            let isKey = ["access_key", "secret_key", "token"].contains(field)
            values.report(
                .volumeSource(
                    isKey
                        ? "a volume job reads the volume with the cluster's API key; \(field) is for object storage and is not sent"
                        : "job \(quoted: job) imports from a volume, so it takes data_paths, not \(field)",
                    path: field, job: job,
                    fix: isKey
                        ? "remove \(field) from this job (and from `defaults:` if it comes from there)"
                        : "keep one source: volume_name with data_paths, or \(field) without a volume",
                    at: values.location(span)))
        }
        var volume: String?
        if let stage = fields.stageName {
            values.report(
                .stageName(job: ValueResolver.owner(of: stage, job: job), path: stage.path ?? "stage_name", at: values.location(stage.span))
            )
            if let name = fields.volumeName {
                values.report(
                    .volumeSource(
                        "both volume_name and stage_name are given; stage_name is volume_name's older name", path: "stage_name", job: job,
                        fix: "keep volume_name only", at: values.location(name.span)))
            } else {
                volume = values.string(stage, field: "stage_name", job: job)
            }
        }
        if let name = fields.volumeName { volume = values.string(name, field: "volume_name", job: job) }
        if fields.volumeName == nil && fields.stageName == nil && !fields.present.contains("volume_name")
            && !fields.present.contains("stage_name")
        {
            values.report(
                .volumeSource(
                    "job \(quoted: job) has data_paths but no volume_name", path: "volume_name", job: job,
                    fix: "add `volume_name: <your volume>` (the paths are relative to it)",
                    at: values.location(fields.dataPaths?.span ?? jobSpan)))
        }
        var paths: [[String]] = []
        if let groups = fields.dataPaths {
            if groups.value.isEmpty {
                values.report(
                    .volumeSource(
                        "data_paths lists no path", path: "data_paths", job: job,
                        fix: "add at least one path in the volume, e.g. `data_paths: [folder/]`", at: values.location(groups.span)))
            }
            for (i, group) in groups.value.enumerated() {
                // Each inner list of dataPaths is one path: a file, or a folder ending in '/'.
                guard group.paths.count == 1 else {
                    values.report(
                        .volumeSource(
                            group.paths.isEmpty
                                ? "data_paths[\(i)] is an empty group"
                                : "data_paths[\(i)] holds \(group.paths.count) paths, but each group of dataPaths is one path: a file, or a folder ending in '/'",
                            path: "data_paths[\(i)]", job: job, fix: "give each path its own line: `- folder/1.parquet`",
                            at: values.location(group.span)))
                    continue
                }
                let located = group.paths[0]
                guard let path = values.string(located, field: "data_paths", job: job) else { continue }
                if let separator = ManifestResolver.schemeSeparator(in: path) {
                    values.report(
                        .volumeSource(
                            "\(quoted: path) is a \(path[..<separator.lowerBound].clipped(to: 16)):// url, but a data path is a path inside the volume",
                            path: located.path ?? "data_paths[\(i)]", job: job,
                            fix: "write the path relative to the volume, or import the url with files instead of a volume",
                            at: values.location(located.span)))
                    continue
                }
                paths.append([path])
            }
            if let maxGroups, groups.value.count > maxGroups {
                values.report(
                    .volumeSource(
                        "data_paths has \(groups.value.count) paths, but one Zilliz Cloud import takes at most \(maxGroups)",
                        path: "data_paths", job: job, fix: "split the job into jobs of at most \(maxGroups) paths",
                        at: values.location(groups.span)))
            }
        } else if !fields.present.contains("data_paths") {
            values.report(
                .volumeSource(
                    "job \(quoted: job) names a volume but no data_paths", path: "data_paths", job: job,
                    fix: "add `data_paths: [folder/]`: the files or folders in the volume to import",
                    at: values.location(fields.volumeName?.span ?? fields.stageName?.span ?? jobSpan)))
        }
        return (volume, paths)
    }
}
