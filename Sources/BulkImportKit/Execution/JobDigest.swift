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
///
/// **Frozen.** Every existing ledger compares against these digests: a change re-imports every job
/// of every ledger, and Milvus does not de-duplicate rows. The bytes hashed are
/// ``canonicalEncoding(of:)``, version 1, which nothing else uses; `JobDigestTests` pins values.
public enum JobDigest {
    /// The hex SHA-256 of the job's canonical encoding (64 lower-case hex digits).
    public static func digest(of job: ImportJob) -> String {
        let bytes = canonicalEncoding(of: job)
        return SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The `Idempotency-Key` for a job: printable ASCII, well under 256 bytes.
    ///
    /// `generation` counts the deliberate sendings of the same digest (see
    /// ``LedgerRecord/generation``): the first keeps the key of the first versions of the tool,
    /// later ones add `-r<generation>`, so that a job sent again on purpose after it failed is not
    /// answered with the failed job (Milvus 2.6.24+ remembers keys for about 24 h).
    public static func idempotencyKey(for digest: String, generation: Int = 1, group: Int? = nil) -> String {
        "bulk-import-\(digest.prefix(40))" + (generation > 1 ? "-r\(generation)" : "") + (group.map { "-g\($0)" } ?? "")
    }

    /// Version 1 of the canonical encoding, byte for byte (it is the compact JSON the first
    /// ledgers were written with, and must stay exactly that):
    ///
    ///     {"api":S,"endpoint":S,"cluster":S,"db":S,"collection":S,"partition":S,
    ///      "files":[[S,S,...],[...],...],"options":[[K,V],...]}
    ///
    /// on one line, with no white space anywhere between tokens, keys in exactly this order, and:
    /// - `api`: the ``ImportAPI`` raw value (`milvus-v2`, `milvus-v1`, `zilliz-v2`, `zilliz-v1`);
    /// - `endpoint`: `target:` + the target's name for a named target; for an inline target its
    ///   address as `scheme://host[:port]path` (scheme lower-cased, the port only when written,
    ///   the path prefix without a trailing slash);
    /// - `cluster`: the cluster id; else `projectId/regionId` (either may be empty) when a project
    ///   id is set; else empty;
    /// - `db`, `partition`: empty when unset; `collection`: the collection name;
    /// - `files`: every file group in order, each an array of its paths or urls in order
    ///   (an empty group is `[]`, no groups is `[]`);
    /// - `options`: every option in manifest order as a two-element array `[key,value]`;
    /// - `volume`: only for a Zilliz Cloud volume job, appended after `options` (`,"volume":S`), so
    ///   every other job's bytes are those of the first versions; its data paths are `files`.
    ///
    /// Each string S is `"`, its UTF-8 bytes, `"`, where only these are escaped: `"` as `\"`,
    /// `\` as `\\`, LF as `\n`, CR as `\r`, TAB as `\t`, and every other byte below 0x20 as `\u00`
    /// followed by two lower-case hex digits (`\u001b`). Everything else, DEL and all non-ASCII
    /// included, is written as its raw UTF-8 bytes, without any Unicode normalisation.
    public static func canonicalEncoding(of job: ImportJob) -> [UInt8] {
        let target = job.target
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out += Array(#"{"api":"#.utf8)
        string(target.api.rawValue, &out)
        out += Array(#","endpoint":"#.utf8)
        string(target.name.map { "target:" + $0 } ?? address(target.endpoint), &out)
        out += Array(#","cluster":"#.utf8)
        string(target.clusterID ?? target.projectID.map { $0 + "/" + (target.regionID ?? "") } ?? "", &out)
        out += Array(#","db":"#.utf8)
        string(job.dbName ?? "", &out)
        out += Array(#","collection":"#.utf8)
        string(job.collectionName, &out)
        out += Array(#","partition":"#.utf8)
        string(job.partitionName ?? "", &out)
        out += Array(#","files":["#.utf8)
        for (i, group) in job.files.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            for (j, file) in group.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                string(file, &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out += Array(#"],"options":["#.utf8)
        for (i, option) in job.options.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            string(option.key, &out)
            out.append(UInt8(ascii: ","))
            string(option.value, &out)
            out.append(UInt8(ascii: "]"))
        }
        out += Array("]".utf8)
        // Appended, never inserted: a job without a volume hashes exactly as before.
        if let volume = job.volumeName {
            out += Array(#","volume":"#.utf8)
            string(volume, &out)
        }
        out += Array("}".utf8)
        return out
    }

    /// An inline target's address, spelled here rather than borrowed from `Endpoint`, so that a
    /// change to how addresses print can never change a digest.
    private static func address(_ endpoint: Endpoint) -> String {
        endpoint.scheme + "://" + endpoint.host + (endpoint.port.map { ":" + String($0) } ?? "") + endpoint.path
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Byte by byte: the escaped bytes are ASCII, never part of a multi-byte sequence.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array(#"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
