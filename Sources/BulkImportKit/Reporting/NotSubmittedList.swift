/// The jobs a run never submitted, for a log's last lines (a terminal shows them in its table):
/// one line per reason, naming up to `limit` jobs, then how many more.
public struct NotSubmittedList: Sendable {
    private var reasons: [String] = []
    private var jobs: [String: [String]] = [:]

    public init() {}

    /// Takes in a standing; only those of jobs not submitted count.
    public mutating func take(_ standing: JobStanding) {
        guard case .notSubmitted(let reason) = standing.status else { return }
        if jobs[reason] == nil { reasons.append(reason) }
        jobs[reason, default: []].append(standing.job)
    }

    /// E.g. `not submitted  3 jobs (not sent: the run was interrupted): a, b, c`.
    public func lines(limit: Int = 40) -> [String] {
        reasons.map { reason in
            let names = jobs[reason] ?? []
            let shown = names.prefix(limit).map { $0.clipped(to: 60) }.joined(separator: ", ")
            let more = names.count > limit ? ", and \(names.count - limit) more" : ""
            return "not submitted  \(names.count) job\(names.count == 1 ? "" : "s") (\(reason.clipped())): \(shown)\(more)"
        }
    }
}
