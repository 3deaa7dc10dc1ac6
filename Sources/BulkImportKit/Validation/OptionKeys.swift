/// The import option keys Milvus reads, from the server's own list
/// (`internal/util/importutilv2/option.go` and `snapshot_source.go` on master, read 2026-11).
/// Servers ignore keys they do not know, so an unknown key is a warning, never an error.
enum OptionKeys {
    /// Every key some server version reads, in the order the schema lists them.
    static let known = [
        "timeout", "sep", "nullkey", "backup", "skip_disk_quota_check", "l0_import", "start_ts", "end_ts",
        "storage_version", "auto_commit", "ezk", "source_type", "external_spec", "partition_mapping",
    ]

    /// Spellings the server also reads (`strings.EqualFold` with `startTs`/`endTs` in `ParseTimeRange`).
    static let aliases = ["startTs": "start_ts", "endTs": "end_ts"]

    /// Whether the server reads `key`: exactly, or in any case for the time range
    /// (`ParseTimeRange` compares with `strings.EqualFold`).
    static func isKnown(_ key: String) -> Bool {
        if known.contains(key) || aliases[key] != nil { return true }
        return ["start_ts", "startts", "end_ts", "endts"].contains(key.lowercased())
    }

    /// Keys the coordinator sets itself and refuses in a request (`ValidateSnapshotSourceRequest`:
    /// "_snapshot_source_uri is reserved for internal use").
    static let reserved = ["_snapshot_source_uri"]

    /// Keys whose values are credentials: the server redacts them in its own logs (`RedactOptions`),
    /// so they are secrets here too (referenced as `$<VAR>`, masked in every output).
    static let secret: Set<String> = ["ezk", "external_spec"]

    /// `source_type`'s one value (`SourceTypeSnapshot`), compared as the server does: trimmed, any case.
    static func isSnapshot(_ value: String) -> Bool {
        value.trimmingSpaces.lowercased() == "snapshot"
    }

    /// The longest `external_spec` the server takes (64 KiB).
    static let maxExternalSpecBytes = 64 * 1024
}
