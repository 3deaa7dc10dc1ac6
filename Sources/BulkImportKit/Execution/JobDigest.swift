import Crypto

/// The content digest of a job: SHA-256 over what decides what gets imported (the target, its API,
/// database, collection, partition, files and options), never over a secret. It is the same across
/// runs, so the ledger can tell an unchanged job from a changed one, and its prefix is the
/// `Idempotency-Key` a retried create carries.
///
/// A named target counts by its name, not its address: `localhost` written as `127.0.0.1`, or a
/// port that moved after a restart, is still the same server, and must not import the data again.
/// (Pointing a target at another cluster therefore needs `--resubmit`.) An inline target has no
/// name and counts by its address.
public enum JobDigest {
    public static func digest(of job: ImportJob) -> String {
        let canonical: JSONValue = .object([
            ("api", .string(job.target.api.rawValue)),
            ("endpoint", .string(job.target.name.map { "target:" + $0 } ?? job.target.endpoint.description)),
            ("cluster", .string(job.target.clusterID ?? job.target.projectID.map { "\($0)/\(job.target.regionID ?? "")" } ?? "")),
            ("db", .string(job.dbName ?? "")),
            ("collection", .string(job.collectionName)),
            ("partition", .string(job.partitionName ?? "")),
            ("files", .array(job.files.map { .array($0.map(JSONValue.string)) })),
            ("options", .array(job.options.map { .array([.string($0.key), .string($0.value)]) })),
        ])
        let bytes = Array(JSONWriter.write(canonical).utf8)
        return SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The `Idempotency-Key` for a job: printable ASCII, well under 256 bytes.
    public static func idempotencyKey(for digest: String, group: Int? = nil) -> String {
        "bulk-import-\(digest.prefix(40))" + (group.map { "-g\($0)" } ?? "")
    }
}
