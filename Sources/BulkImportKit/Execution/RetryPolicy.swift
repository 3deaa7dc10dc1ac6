/// Exponential backoff with full jitter, honouring `Retry-After` within a bound.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The longest `Retry-After` obeyed; longer ones are clamped (and reported).
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), and whether a server's
    /// `Retry-After` had to be clamped.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?) -> (delay: Duration, clamped: Bool) {
        if let retryAfter {
            let wanted = Duration.milliseconds(Int64((retryAfter * 1000).rounded()))
            return wanted > maxRetryAfter ? (maxRetryAfter, true) : (wanted, false)
        }
        let exponent = min(attempt - 1, 30)
        let ceiling = min(Self.seconds(maxDelay), Self.seconds(baseDelay) * Double(1 << exponent))
        return (.milliseconds(Int64(Double.random(in: 0...ceiling) * 1000)), false)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
