/// The one clock for times that are written down (ledger records, events): seconds since the Unix
/// epoch. Durations and deadlines use Swift's `ContinuousClock` instead, which never jumps.
public enum WallClock {
    /// Now, in seconds since 1970-01-01T00:00:00Z, with sub-second precision.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
