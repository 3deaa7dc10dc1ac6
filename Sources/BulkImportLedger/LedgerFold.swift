/// The running fold of one job's records (internal to ``Ledger``).
///
/// A ledger keeps the fold of every job it has seen for as long as it is open, so the fold is
/// kept packed (``PackedFold``, about 150 bytes a job instead of about 900) and unpacked into a
/// ``LedgerEntry`` only when asked. Besides the entry it remembers which group each id was
/// recorded for, so that ``LedgerEntry/jobIDs`` can be kept in group order.
struct LedgerFold: Sendable, Hashable {
    private var packed: PackedFold

    /// The fold so far.
    var entry: LedgerEntry { packed.unpacked().entry }

    /// Starts a fold with `record`.
    init(_ record: LedgerRecord) {
        var entry = LedgerEntry(job: record.job, digest: record.digest, status: .intent)
        entry.firstRecorded = record.time
        var idGroups: [Int?] = []
        Self.apply(record, to: &entry, idGroups: &idGroups)
        packed = PackedFold(entry, idGroups: idGroups)
    }

    /// Folds in the next record of the same job, in file order.
    mutating func apply(_ record: LedgerRecord) {
        var (entry, idGroups) = packed.unpacked()
        Self.apply(record, to: &entry, idGroups: &idGroups)
        packed = PackedFold(entry, idGroups: idGroups)
    }

    private static func apply(_ record: LedgerRecord, to entry: inout LedgerEntry, idGroups: inout [Int?]) {
        if record.digest != entry.digest {
            // New data under the same job name: its history starts afresh, but the generations
            // of every digest are remembered (see LedgerEntry.generations).
            let generations = entry.generations
            entry = LedgerEntry(job: record.job, digest: record.digest, status: .intent)
            entry.generations = generations
            entry.generation = generations[record.digest] ?? 0
            entry.firstRecorded = record.time
            idGroups = []
        }
        // A new sending of the job starts its two-phase history afresh.
        if record.event == .intent, (record.generation ?? 1) > entry.generation {
            entry.twoPhase = nil
            entry.currentIDsStart = entry.jobIDs.count
        }
        switch record.event {
        case .intent: entry.status = .intent
        case .submitted: entry.status = .submitted
        case .unknown: entry.status = .unknown
        case .failed: entry.status = .failed
        case .progress: entry.status = .submitted
        case .completed: entry.status = .completed
        case .cleanedUp: entry.status = .cleanedUp
        case .aborted: entry.status = .failed
        case .commitDecided, .committed, .abortDecided: break
        }
        if let mark = LedgerEntry.TwoPhaseMark(record.event) { entry.twoPhase = max(entry.twoPhase ?? mark, mark) }
        // Ids are never dropped, whatever the event: a recorded id is the proof that the
        // server has the job, and losing it could mean importing the data twice.
        for id in record.jobIDs { add(id, group: record.group, to: &entry, idGroups: &idGroups) }
        if let group = record.group, let id = record.jobIDs.last { entry.groupIDs[group] = id }
        if let group = record.group {
            switch record.event {
            case .intent: entry.groupStatus[group] = .intent
            case .submitted: entry.groupStatus[group] = .submitted
            case .unknown: entry.groupStatus[group] = .unknown
            case .failed: entry.groupStatus[group] = .failed
            default: break
            }
        }
        entry.attempts = max(entry.attempts, record.attempt)
        if let error = record.error { entry.lastError = error }
        if let key = record.idempotencyKey { entry.idempotencyKey = key }
        if let state = record.state { entry.state = state }
        if let progress = record.progress { entry.progress = progress }
        if let note = record.note { entry.note = note }
        entry.lastRecorded = max(entry.lastRecorded, record.time)
        switch record.event {
        case .intent, .submitted, .unknown, .failed:
            // Records of creates written before generations existed belong to the first.
            let generation = record.generation ?? 1
            entry.generation = max(entry.generation, generation)
            entry.generations[record.digest] = max(entry.generations[record.digest] ?? 0, generation)
        case .progress, .completed, .cleanedUp, .commitDecided, .committed, .abortDecided, .aborted:
            if let generation = record.generation {
                entry.generation = max(entry.generation, generation)
                entry.generations[record.digest] = max(entry.generations[record.digest] ?? 0, generation)
            }
        }
    }

    /// Adds `id` to `entry.jobIDs` unless it is there, after the ids of groups up to `group`.
    private static func add(_ id: String, group: Int?, to entry: inout LedgerEntry, idGroups: inout [Int?]) {
        if entry.jobIDs.contains(id) { return }
        let key = group ?? Int.min
        var index = entry.jobIDs.count
        while index > 0, (idGroups[index - 1] ?? Int.min) > key { index -= 1 }
        entry.jobIDs.insert(id, at: index)
        idGroups.insert(group, at: index)
    }
}
