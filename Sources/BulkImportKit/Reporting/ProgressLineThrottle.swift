/// Decides which progress events a log (not a terminal: CI, a pipe) prints: a job's progress is
/// printed when its state changes, when it moved by at least ``points`` percentage points since
/// the last line printed for it, when ``interval`` seconds passed since then, or when it moves
/// after a `stalled` line (so a log says the stall ended). Every other event is printed. Pure: time
/// is passed in.
public struct ProgressLineThrottle: Sendable {
    /// Percentage points of progress that make a new line.
    public var points: Int
    /// Seconds after which a job's progress is printed again, moved or not.
    public var interval: Double
    private var last: [String: (state: JobState, progress: Int, time: Double)] = [:]
    /// Jobs whose latest line was a stall.
    private var stalled: Set<String> = []

    public init(points: Int = 10, interval: Double = 30) {
        self.points = points
        self.interval = interval
    }

    /// Whether `event`, happening at `time` (seconds), gets a line.
    public mutating func admits(_ event: RunEvent, at time: Double) -> Bool {
        switch event {
        case .progress(let job, let p):
            if let seen = last[job], seen.state == p.state, abs(p.progress - seen.progress) < points, time - seen.time < interval,
                !stalled.contains(job)
            {
                return false
            }
            stalled.remove(job)
            last[job] = (p.state, p.progress, time)
            return true
        case .stalled(let job, _, _):
            stalled.insert(job)
            return true
        case .completed(let job, _), .importFailed(let job, _), .cleanedUp(let job, _), .stillRunning(let job, _), .failed(let job, _):
            last[job] = nil
            stalled.remove(job)
            return true
        default:
            return true
        }
    }
}
