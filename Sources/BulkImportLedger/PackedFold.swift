/// A ``LedgerEntry`` (and the group of each of its ids) packed for keeping: what every job has
/// (status, attempts, generation, times) inline, and the common shapes of the rest without a heap
/// allocation of its own (internal to ``LedgerFold``).
///
/// Packing is lossless: ``unpacked()`` gives back exactly the entry that was packed. It saves
/// where a ledger of many jobs spends its memory: the digest as 32 bytes rather than a
/// 64-character string, one decimal id as a number, the idempotency key as the part that does not
/// follow from the digest, the generations as a flag when they only repeat the current one, and
/// what a job rarely has (errors, notes, progress, file groups, two-phase marks) in one optional side record.
struct PackedFold: Sendable, Hashable {
    private var job: String
    private var digest: PackedDigest
    private var status: LedgerEntry.Status
    private var generationsForm: GenerationsForm
    private var ids: PackedIDs
    private var key: PackedKey
    private var attempts: Int
    private var generation: Int
    private var firstRecorded: Double
    private var lastRecorded: Double
    /// Empty, or the one side record of what this job rarely has (an empty array allocates nothing).
    private var rare: [Rare]

    init(_ entry: LedgerEntry, idGroups: [Int?]) {
        job = entry.job
        digest = PackedDigest(entry.digest)
        status = entry.status
        attempts = entry.attempts
        generation = entry.generation
        firstRecorded = entry.firstRecorded
        lastRecorded = entry.lastRecorded
        key = PackedKey(entry.idempotencyKey, digest: entry.digest)
        var rare = Rare()
        if entry.generations.isEmpty {
            generationsForm = .none
        } else if entry.generations.count == 1, entry.generations[entry.digest] == entry.generation {
            generationsForm = .current
        } else {
            generationsForm = .listed
            rare.generations = entry.generations
        }
        if idGroups.allSatisfy({ $0 == nil }), entry.jobIDs.count == 1, let number = PackedIDs.decimal(entry.jobIDs[0]) {
            ids = .one(number)
        } else if entry.jobIDs.isEmpty {
            ids = .none
        } else {
            ids = .listed(entry.jobIDs)
            if idGroups.contains(where: { $0 != nil }) { rare.idGroups = idGroups }
        }
        rare.groupIDs = entry.groupIDs
        rare.groupStatus = entry.groupStatus
        rare.lastError = entry.lastError
        rare.state = entry.state
        rare.progress = entry.progress
        rare.note = entry.note
        rare.twoPhase = entry.twoPhase
        rare.currentIDsStart = entry.currentIDsStart
        self.rare = rare == Rare() ? [] : [rare]
    }

    /// The entry as packed, and the group each of its ids was first recorded for.
    func unpacked() -> (entry: LedgerEntry, idGroups: [Int?]) {
        let digestText = digest.text
        let rare = self.rare.first ?? Rare()
        let jobIDs: [String]
        switch ids {
        case .none: jobIDs = []
        case .one(let number): jobIDs = [String(number)]
        case .listed(let listed): jobIDs = listed
        }
        var entry = LedgerEntry(
            job: job, digest: digestText, status: status, jobIDs: jobIDs, groupIDs: rare.groupIDs, attempts: attempts,
            lastError: rare.lastError, idempotencyKey: key.text(digest: digestText), state: rare.state, progress: rare.progress)
        entry.groupStatus = rare.groupStatus
        entry.generation = generation
        switch generationsForm {
        case .none: break
        case .current: entry.generations = [digestText: generation]
        case .listed: entry.generations = rare.generations
        }
        entry.note = rare.note
        entry.twoPhase = rare.twoPhase
        entry.currentIDsStart = rare.currentIDsStart
        entry.firstRecorded = firstRecorded
        entry.lastRecorded = lastRecorded
        return (entry, rare.idGroups ?? Array(repeating: nil, count: jobIDs.count))
    }

    private enum GenerationsForm: UInt8, Sendable, Hashable {
        /// No create of any digest recorded.
        case none
        /// Only the current digest, at the current generation.
        case current
        /// Anything else: in ``Rare/generations``.
        case listed
    }

    /// What few jobs have.
    private struct Rare: Sendable, Hashable {
        var generations: [String: Int] = [:]
        var idGroups: [Int?]?
        var groupIDs: [Int: String] = [:]
        var groupStatus: [Int: LedgerEntry.Status] = [:]
        var lastError: String?
        var state: String?
        var progress: Int?
        var note: String?
        var twoPhase: LedgerEntry.TwoPhaseMark?
        /// Nonzero only for a job re-created after an earlier generation's ids.
        var currentIDsStart = 0
    }
}

/// A digest as 32 bytes when it is 64 lowercase hex digits (a ``JobDigest``), else as written.
enum PackedDigest: Sendable, Hashable {
    case sha256(UInt64, UInt64, UInt64, UInt64)
    case text(String)

    init(_ text: String) {
        var words: [UInt64] = []
        var utf8 = text.utf8.makeIterator()
        var count = 0
        var word: UInt64 = 0
        while let byte = utf8.next() {
            guard let nibble = Self.nibble(byte), count < 64 else {
                self = .text(text)
                return
            }
            word = word << 4 | UInt64(nibble)
            count += 1
            if count % 16 == 0 {
                words.append(word)
                word = 0
            }
        }
        guard count == 64 else {
            self = .text(text)
            return
        }
        self = .sha256(words[0], words[1], words[2], words[3])
    }

    /// The digest as written.
    var text: String {
        switch self {
        case .text(let text): return text
        case .sha256(let a, let b, let c, let d):
            let digits = Array("0123456789abcdef".utf8)
            return String(unsafeUninitializedCapacity: 64) { buffer in
                var index = 0
                for word in [a, b, c, d] {
                    for shift in stride(from: 60, through: 0, by: -4) {
                        buffer[index] = digits[Int((word >> UInt64(shift)) & 0xF)]
                        index += 1
                    }
                }
                return 64
            }
        }
    }

    /// The value of a lowercase hex digit (an uppercase one would not come back the same).
    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// A job's ids: none, one decimal id as a number (what Milvus returns), or the list as written.
enum PackedIDs: Sendable, Hashable {
    case none
    case one(UInt64)
    case listed([String])

    /// The number `text` is written as, when writing that number gives `text` back (no sign, no
    /// leading zero, fits in 64 bits).
    static func decimal(_ text: String) -> UInt64? {
        guard let number = UInt64(text), String(number) == text else { return nil }
        return number
    }
}

/// An idempotency key: none, the key ``JobDigest`` makes from this digest ("bulk-import-" and
/// its first 40 digits) with what follows it ("-r2", "-g0": short enough to keep without an
/// allocation), or another key as written.
enum PackedKey: Sendable, Hashable {
    case none
    case fromDigest(suffix: String)
    case text(String)

    private static let prefix = "bulk-import-"

    init(_ key: String?, digest: String) {
        guard let key else {
            self = .none
            return
        }
        let stem = Self.stem(digest: digest)
        if key.utf8.starts(with: stem.utf8) {
            self = .fromDigest(suffix: String(decoding: key.utf8.dropFirst(stem.utf8.count), as: UTF8.self))
        } else {
            self = .text(key)
        }
    }

    func text(digest: String) -> String? {
        switch self {
        case .none: nil
        case .fromDigest(let suffix): Self.stem(digest: digest) + suffix
        case .text(let key): key
        }
    }

    private static func stem(digest: String) -> String {
        prefix + String(decoding: digest.utf8.prefix(40), as: UTF8.self)
    }
}
