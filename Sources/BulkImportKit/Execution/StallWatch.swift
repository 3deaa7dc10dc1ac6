/// Tells when a followed job stopped moving: its progress answer has not changed for longer than
/// the threshold (`--stall-after`). Each stall is said once; the job's next change ends it, and a
/// later stall is said again. Pure: the caller passes the time.
struct StallWatch: Sendable {
    /// How long without a change makes a stall; nil: never.
    let threshold: Duration?
    /// When each job's answer last changed.
    private var changed: [String: ContinuousClock.Instant] = [:]
    /// Jobs whose current stall was already said.
    private var said: Set<String> = []

    init(threshold: Duration?) {
        self.threshold = threshold
    }

    /// Takes in a poll of `job` at `now` (`moved`: the answer differs from the one before, or is
    /// the first); returns how long the job has not moved when a stall is to be said now.
    mutating func observe(_ job: String, moved: Bool, at now: ContinuousClock.Instant) -> Duration? {
        if moved || changed[job] == nil {
            changed[job] = now
            said.remove(job)
            return nil
        }
        guard let threshold, threshold > .zero, let since = changed[job], !said.contains(job) else { return nil }
        let still = now - since
        guard still >= threshold else { return nil }
        said.insert(job)
        return still
    }

    /// The job ended: nothing more to watch.
    mutating func forget(_ job: String) {
        changed[job] = nil
        said.remove(job)
    }
}

/// `--stall-after`'s value was not a duration.
public struct StallAfterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
}

extension RunOptions {
    /// The default of ``stallAfter``: 30 minutes.
    public static let defaultStallAfter: Duration = .seconds(30 * 60)

    /// `--stall-after`'s value: a duration as Go writes it, as a manifest's `timeout` is (`30m`,
    /// `1h30m`, `90s`, `1.5h`), or `0` or `off` for no stall warnings (nil).
    public static func stallAfter(parsing text: String) throws(StallAfterError) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        if ["off", "none", "never"].contains(trimmed.lowercased()) { return nil }
        let forms =
            "write it as Go writes a duration, like 30m, 1h30m or 90s (units ns, us, ms, s, m, h), or off (or 0) for no stall warnings"
        guard let seconds = GoDuration.seconds(trimmed), seconds.isFinite else {
            throw StallAfterError(description: "--stall-after \(quoted: text) is not a duration: \(forms)")
        }
        guard seconds >= 0 else {
            throw StallAfterError(description: "--stall-after \(quoted: text) is negative: \(forms)")
        }
        guard seconds <= 366 * 24 * 3600 else {
            throw StallAfterError(description: "--stall-after \(quoted: text) is longer than a year: \(forms)")
        }
        if seconds == 0 { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
