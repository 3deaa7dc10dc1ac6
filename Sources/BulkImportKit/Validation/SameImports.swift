/// Two jobs that import the same files into the same collection of one target are one import on
/// the server: the rows would arrive twice, and the target could not tell the jobs apart.
///
/// Jobs are first told apart by a 64-bit hash of their fields computed over the bytes (FNV-1a, no
/// string built and no `Hasher` per job: on 100,000 jobs the check was a tenth of `validate`);
/// jobs whose hashes match are then compared field by field.
enum SameImports {
    static func report(_ jobs: [ImportJob], into diagnostics: inout DiagnosticBag) {
        var clusters = ClusterKeys()
        forEachRepeat(
            count: jobs.count, hash: { Key.hash(jobs[$0], cluster: clusters.key(of: jobs[$0].target)) },
            key: { Key(jobs[$0], cluster: clusters.key(of: jobs[$0].target)) }
        ) { index, earlier in
            diagnostics.emit(.sameImport(jobs[index].name, as: jobs[earlier].name, at: jobs[index].location, first: jobs[earlier].location))
        }
    }

    /// Calls `body` with each of `count` items that repeats an earlier one and the first it
    /// repeats. Items are told apart by `hash`; those whose hashes match are compared by `key`,
    /// and one whose hash matches an earlier, different item's is kept among the collided to be
    /// compared exactly (almost never used).
    private static func forEachRepeat<K: Hashable>(
        count: Int, hash: (Int) -> UInt64, key: (Int) -> K, _ body: (_ index: Int, _ earlier: Int) -> Void
    ) {
        var byHash: [UInt64: Int] = [:]
        byHash.reserveCapacity(count)
        var collided: [K: Int] = [:]
        for index in 0..<count {
            let h = hash(index)
            guard let candidate = byHash[h] else {
                byHash[h] = index
                continue
            }
            let k = key(index)
            if key(candidate) == k {
                body(index, candidate)
            } else if let exact = collided[k] {
                body(index, exact)
            } else {
                collided[k] = index
            }
        }
    }

    /// What the check keeps of each job when the jobs themselves are not kept (`validate`): two
    /// hashes of its key, the FNV-1a one that ``report(_:into:)`` sorts by and one by a `Hasher`
    /// seeded at random for each process (so no manifest can be written to collide), and where
    /// the job is. 24 bytes a job instead of the job.
    struct Entries {
        struct Entry {
            var hash: UInt64
            var check: Int
            /// The job's manifest (set when the manifest is done) and its place among its jobs.
            var manifest: Int32 = 0
            var place: Int32
        }
        var entries: [Entry] = []
        private var clusters = ClusterKeys()

        mutating func append(_ job: ImportJob, place: Int) {
            let cluster = clusters.key(of: job.target)
            entries.append(Entry(hash: Key.hash(job, cluster: cluster), check: Key.check(job, cluster: cluster), place: Int32(place)))
        }
    }

    /// Reports the jobs of `entries` that are one import, naming them by their place in
    /// `places[manifest]` (the jobs of the manifest `files[manifest]`), as ``report(_:into:)``
    /// does for kept jobs.
    static func report(
        _ entries: [Entries.Entry], places: [[JobPlace]], files: [String], into diagnostics: inout DiagnosticBag
    ) {
        forEachRepeat(
            count: entries.count, hash: { entries[$0].hash },
            key: { Pair(hash: entries[$0].hash, check: entries[$0].check) }
        ) { index, earlier in
            let (job, first) = (entries[index], entries[earlier])
            let (a, b) = (places[Int(job.manifest)][Int(job.place)], places[Int(first.manifest)][Int(first.place)])
            diagnostics.emit(
                .sameImport(
                    a.name, as: b.name, at: ManifestLocation(file: files[Int(job.manifest)], span: a.span),
                    first: ManifestLocation(file: files[Int(first.manifest)], span: b.span)))
        }
    }

    /// The cluster keys of the last few endpoints seen: most manifests name one or two targets,
    /// and building the key is a string per job.
    private struct ClusterKeys {
        private var known: [(Endpoint, String)] = []

        mutating func key(of target: ImportTarget) -> String {
            if let found = known.first(where: { $0.0 == target.endpoint }) { return found.1 }
            let key = target.clusterKey
            if known.count < 16 { known.append((target.endpoint, key)) }
            return key
        }
    }

    private struct Pair: Hashable {
        var hash: UInt64
        var check: Int
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

        /// A hash by `Hasher`, seeded at random for each process, equal for equal keys: the
        /// fields in order, the file groups in any order. Computed from the job, without building
        /// its ``Key`` (a copy of every field and a sorted copy of the files, for every job).
        static func check(_ job: ImportJob, cluster: String) -> Int {
            var hasher = Hasher()
            hasher.combine(cluster)
            hasher.combine(job.target.clusterID ?? "")
            hasher.combine(job.target.projectID ?? "")
            hasher.combine(job.dbName ?? "")
            hasher.combine(job.collectionName)
            hasher.combine(job.partitionName ?? "")
            hasher.combine(job.volumeName ?? "")
            var groups: UInt64 = 0
            for group in job.files {
                var groupHasher = Hasher()
                groupHasher.combine(group)
                let g = UInt64(UInt(bitPattern: groupHasher.finalize()))
                groups &+= (g ^ (g >> 29)) &* 0xbf58_476d_1ce4_e5b9
            }
            hasher.combine(job.files.count)
            hasher.combine(groups)
            return hasher.finalize()
        }

        private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

        /// FNV-1a over `text`'s UTF-8 eight bytes at a time, then a separator, continuing from
        /// `h`. Kept in memory only, never written: a byte at a time was a sixth of checking one
        /// 60 MB path.
        private static func fnv(_ text: String, _ h: UInt64) -> UInt64 {
            var h = h
            var text = text
            text.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                var offset = 0
                while offset + 8 <= raw.count {
                    h ^= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    h = (h &* 0x100_0000_01b3) ^ (h >> 29)
                    offset += 8
                }
                while offset < raw.count {
                    h ^= UInt64(raw[offset])
                    h = h &* 0x100_0000_01b3
                    offset += 1
                }
            }
            // Not a UTF-8 byte, mixed in with the length: "ab" + "c" hashes apart from "a" + "bc".
            h ^= 0xFF ^ (UInt64(text.utf8.count) << 8)
            return h &* 0x100_0000_01b3
        }
    }
}
