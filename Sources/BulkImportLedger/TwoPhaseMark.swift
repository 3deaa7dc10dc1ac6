extension LedgerEntry {
    /// Where a two-phase job stands, from the records of its atomic group's phases. Ordered: a
    /// later mark is never undone by an earlier one read after it (a commit decided stays decided).
    public enum TwoPhaseMark: Int, Sendable, Hashable, Comparable, CaseIterable {
        /// Its group decided to commit (``LedgerRecord/Event/commitDecided``): commit it, whatever happens.
        case commitDecided = 1
        /// The server accepted its commit.
        case committed = 2
        /// Its group decided to abort (``LedgerRecord/Event/abortDecided``): abort it.
        case abortDecided = 3
        /// The server accepted its abort.
        case aborted = 4

        /// The mark a record's event sets, if any.
        init?(_ event: LedgerRecord.Event) {
            switch event {
            case .commitDecided: self = .commitDecided
            case .committed: self = .committed
            case .abortDecided: self = .abortDecided
            case .aborted: self = .aborted
            default: return nil
            }
        }

        /// Whether the group's decision was to commit.
        public var commits: Bool { self == .commitDecided || self == .committed }

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }
}

extension LedgerEntry {
    /// The ids of the latest generation's create: the jobs a two-phase commit or abort is about
    /// (an earlier, aborted sending's ids stay in ``jobIDs`` but are not these). Empty until that
    /// create is recorded.
    public var currentJobIDs: [String] { Array(jobIDs[min(currentIDsStart, jobIDs.count)...]) }
}
