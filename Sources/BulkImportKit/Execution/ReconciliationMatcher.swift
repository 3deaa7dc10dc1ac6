/// Matches a job against the jobs a target listed for its collection: same file groups (each
/// group's exact paths; the order of groups and of paths within a group does not matter, but the
/// multiset of groups must be equal). The collection and, where the API lists it, the partition
/// are filtered by ``Reconciler`` before.
///
/// Several matches that have not failed: the job is adopted as the completed one, else the newest
/// (by creation time, else list order), and the note names the others. Adopting never imports;
/// leaving the job unknown would only block a run whose data the target already holds, and the
/// duplicates are there either way, so the operator is told which ids to look at.
struct ReconciliationMatcher {
    /// A job on the target whose files are known.
    struct Candidate: Sendable, Hashable {
        var jobID: String
        var state: JobState
        /// Seconds since 1970, where the API says.
        var createdAt: Int?
        /// Position in the target's list.
        var order: Int
        var groups: [[String]]?
        var reason: String?
    }

    let job: ImportJob
    /// How notes name the collection and target.
    let place: String
    /// How many jobs the target listed.
    let listed: Int
    /// Why the files of some listed jobs are not known.
    let unreadable: [String]

    /// One job for all groups (REST v2, Zilliz Cloud). `same` says which candidates have the job's
    /// files; by default, those with exactly its groups.
    func wholeJob(_ candidates: [Candidate], same: ((Candidate) -> Bool)? = nil) -> Reconciliation {
        let wanted = Self.normalized(job.files)
        let matches = candidates.filter { same?($0) ?? ($0.groups.map(Self.normalized) == wanted) }
        let live = matches.filter { $0.state != .failed }
        if let chosen = Self.best(live) {
            return .adopt(
                jobIDs: [chosen.jobID], groupIDs: [:], state: chosen.state,
                note: "\(place) already has job \(chosen.jobID) (\(chosen.state)) with the files of job '\(job.name)'"
                    + Self.others(live, besides: chosen))
        }
        if let cannot = cannotTell() { return cannot }
        if !matches.isEmpty {
            let ordered = matches.sorted { $0.order < $1.order }
            let newest = Self.newest(matches)
            return .failed(
                jobIDs: ordered.map(\.jobID), reason: newest.reason ?? "the target reports it Failed",
                note:
                    "\(place) has job\(matches.count == 1 ? "" : "s") \(ordered.map(\.jobID).joined(separator: ", ")) with the files of job '\(job.name)', and \(matches.count == 1 ? "it" : "each") failed"
            )
        }
        return .absent(note: "none of the \(listed) import job\(listed == 1 ? "" : "s") on \(place) has the files of job '\(job.name)'")
    }

    /// One task per file group (Milvus 2.2/2.3): each group is matched to a task of its own.
    func perGroup(_ candidates: [Candidate]) -> Reconciliation {
        var used: Set<String> = []
        var groupIDs: [Int: String] = [:]
        var states: [JobState] = []
        var failed: [Candidate] = []
        var duplicates: [String] = []
        for (index, group) in job.files.enumerated() {
            let wanted = Self.normalized([group])
            let matches = candidates.filter { !used.contains($0.jobID) && $0.groups.map(Self.normalized) == wanted }
            let live = matches.filter { $0.state != .failed }
            if let chosen = Self.best(live) {
                used.insert(chosen.jobID)
                groupIDs[index] = chosen.jobID
                states.append(chosen.state)
                duplicates += live.filter { $0.jobID != chosen.jobID }.map(\.jobID)
            } else if let newest = matches.isEmpty ? nil : Self.newest(matches) {
                failed.append(newest)
            }
        }
        let duplicateNote =
            duplicates.isEmpty
            ? ""
            : "; it also has task\(duplicates.count == 1 ? "" : "s") \(duplicates.joined(separator: ", ")) with the same files, which imported them again: look at them"
        if groupIDs.count == job.files.count {
            let ids = (0..<job.files.count).compactMap { groupIDs[$0] }
            return .adopt(
                jobIDs: ids, groupIDs: groupIDs, state: Self.combined(states),
                note:
                    "\(place) already has task\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) for the file groups of job '\(job.name)'"
                    + duplicateNote)
        }
        if let cannot = cannotTell() { return cannot }
        let failedNote =
            failed.isEmpty ? "" : "; failed tasks \(failed.map(\.jobID).joined(separator: ", ")) imported other groups"
        if groupIDs.isEmpty {
            if failed.isEmpty {
                return .absent(
                    note: "none of the \(listed) import task\(listed == 1 ? "" : "s") on \(place) has a file group of job '\(job.name)'")
            }
            return .failed(
                jobIDs: failed.map(\.jobID), reason: Self.newest(failed).reason ?? "the target reports it Failed",
                note:
                    "\(place) has only failed tasks (\(failed.map(\.jobID).joined(separator: ", "))) for the file groups of job '\(job.name)'"
            )
        }
        let missing = job.files.indices.filter { groupIDs[$0] == nil }.map { "#\($0 + 1)" }
        return .partial(
            groupIDs: groupIDs,
            note: "\(place) has tasks for \(groupIDs.count) of the \(job.files.count) file groups of job '\(job.name)'; "
                + "group\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "has" : "have") none that has not failed"
                + failedNote + duplicateNote)
    }

    /// When the files of some listed jobs are unknown, any of them may be this job.
    private func cannotTell() -> Reconciliation? {
        guard !unreadable.isEmpty else { return nil }
        let shown = unreadable.prefix(3).joined(separator: "; ")
        let more = unreadable.count > 3 ? " (and \(unreadable.count - 3) more)" : ""
        return .cannotTell(
            why: "cannot tell whether job '\(job.name)' is among the \(listed) import jobs on \(place): \(shown)\(more)")
    }

    /// Groups in a canonical order: each group's paths sorted, then the groups sorted.
    static func normalized(_ groups: [[String]]) -> [[String]] {
        groups.map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The one to adopt: a completed one, else the newest.
    static func best(_ candidates: [Candidate]) -> Candidate? {
        let completed = candidates.filter { $0.state == .completed }
        let pool = completed.isEmpty ? candidates : completed
        return pool.isEmpty ? nil : newest(pool)
    }

    /// The newest by creation time, else the last listed.
    static func newest(_ candidates: [Candidate]) -> Candidate {
        candidates.max { a, b in
            if let x = a.createdAt, let y = b.createdAt, x != y { return x < y }
            return a.order < b.order
        }!
    }

    private static func others(_ live: [Candidate], besides chosen: Candidate) -> String {
        let rest = live.filter { $0.jobID != chosen.jobID }.map(\.jobID)
        guard !rest.isEmpty else { return "" }
        return "; it also has job\(rest.count == 1 ? "" : "s") \(rest.joined(separator: ", ")) with the same files, "
            + "which imported them again: look at \(rest.count == 1 ? "it" : "them")"
    }

    /// The state of a job made of tasks in `states`.
    static func combined(_ states: [JobState]) -> JobState {
        JobProgress.combining(states.map { JobProgress(state: $0, progress: 0) }).state
    }
}
