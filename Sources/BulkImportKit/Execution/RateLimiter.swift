/// Spaces requests to one endpoint so they stay under a rate (Zilliz Cloud allows 20 requests a
/// second per user per endpoint).
public actor RateLimiter {
    private let interval: Duration
    private var next: [String: ContinuousClock.Instant] = [:]

    public init(requestsPerSecond: Double) {
        interval = .milliseconds(Int64(1000 / max(requestsPerSecond, 0.001)))
    }

    /// Waits for the next free slot of `key`, or less when the task is cancelled (the caller then
    /// checks `Task.isCancelled` before sending).
    public func acquire(_ key: String) async {
        let now = ContinuousClock.now
        let slot = max(now, next[key] ?? now)
        next[key] = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
