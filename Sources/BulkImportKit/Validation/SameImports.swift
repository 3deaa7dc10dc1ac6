/// Two jobs that import the same files into the same collection of one target are one import on
/// the server: the rows would arrive twice, and the target could not tell the jobs apart.
///
/// Jobs are first told apart by a 64-bit hash of their fields computed over the bytes (FNV-1a, no
/// string built and no `Hasher` per job: on 100,000 jobs the check was a tenth of `validate`);
/// jobs whose hashes match are then compared field by field.
enum SameImports {
    static func report(_ jobs: [ImportJob], into diagnostics: inout DiagnosticBag) {
        var byHash: [UInt64: Int] = [:]
        byHash.reserveCapacity(jobs.count)
        // Jobs whose hash matches an earlier, different import's: compared exactly. Almost never used.
        var collided: [Key: Int] = [:]
        var clusterKeys: [(Endpoint, String)] = []
        func clusterKey(_ target: ImportTarget) -> String {
            if let known = clusterKeys.first(where: { $0.0 == target.endpoint }) { return known.1 }
            let key = target.clusterKey
            if clusterKeys.count < 16 { clusterKeys.append((target.endpoint, key)) }
            return key
        }
        for (index, job) in jobs.enumerated() {
            let cluster = clusterKey(job.target)
            let hash = Key.hash(job, cluster: cluster)
            var earlier: Int?
            if let candidate = byHash[hash] {
                let key = Key(job, cluster: cluster)
                if Key(jobs[candidate], cluster: clusterKey(jobs[candidate].target)) == key {
                    earlier = candidate
                } else if let exact = collided[key] {
                    earlier = exact
                } else {
                    collided[key] = index
                }
            } else {
                byHash[hash] = index
            }
            if let earlier {
                diagnostics.emit(.sameImport(job.name, as: jobs[earlier].name, at: job.location, first: jobs[earlier].location))
            }
        }
    }

    /// What makes two jobs one import: the target's cluster, the database, the collection and
    /// partition, the Zilliz volume, and the file groups in any order. An unset field and an empty
    /// one are the same.
    struct Key: Hashable {
        var cluster: String
        var clusterID: String
        var projectID: String
        var dbName: String
        var collection: String
        var partition: String
        var volume: String
        var files: [[String]]

        init(_ job: ImportJob, cluster: String) {
            self.cluster = cluster
            clusterID = job.target.clusterID ?? ""
            projectID = job.target.projectID ?? ""
            dbName = job.dbName ?? ""
            collection = job.collectionName
            partition = job.partitionName ?? ""
            volume = job.volumeName ?? ""
            files = job.files
            if files.count > 1 { files.sort { $0.lexicographicallyPrecedes($1) } }
        }

        /// A hash equal for equal keys: the fields in order, the file groups in any order.
        static func hash(_ job: ImportJob, cluster: String) -> UInt64 {
            var h = fnv(cluster, fnv(job.target.clusterID ?? "", fnv(job.target.projectID ?? "", offsetBasis)))
            h = fnv(job.partitionName ?? "", fnv(job.collectionName, fnv(job.dbName ?? "", h)))
            h = fnv(job.volumeName ?? "", h)
            var groups: UInt64 = 0
            for group in job.files {
                var g = offsetBasis
                for path in group { g = fnv(path, g) }
                // Mixed before adding, so that the sum does not depend on the groups' order only.
                groups &+= (g ^ (g >> 29)) &* 0xbf58_476d_1ce4_e5b9
            }
            return h ^ groups
        }

        private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

        /// FNV-1a over `text`'s UTF-8 and a separator, continuing from `h`.
        private static func fnv(_ text: String, _ h: UInt64) -> UInt64 {
            var h = h
            var text = text
            text.withUTF8 { bytes in
                for b in bytes {
                    h ^= UInt64(b)
                    h = h &* 0x100_0000_01b3
                }
            }
            h ^= 0xFF  // not a UTF-8 byte: "ab" + "c" hashes apart from "a" + "bc"
            return h &* 0x100_0000_01b3
        }
    }
}
