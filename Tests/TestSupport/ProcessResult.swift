/// What a finished child process gave: how it ended, what it printed, how long it ran and, when
/// measured, its peak memory.
public struct ProcessResult: CustomStringConvertible, Sendable {
    /// The exit status, or 128 plus the signal that ended it (as a shell reports it).
    public var status: Int32
    /// The signal that ended it, if one did.
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
    /// Wall time from start to exit.
    public var seconds: Double
    /// The child's peak resident memory, when the run measured it.
    public var peakMemoryMiB: Double?
    /// The processor time (user and system) the child used, measured with its peak memory: unlike
    /// the wall time, it does not grow when other programs share the cores.
    public var cpuSeconds: Double?

    public init(
        status: Int32, signal: Int32? = nil, stdout: String, stderr: String, seconds: Double = 0, peakMemoryMiB: Double? = nil,
        cpuSeconds: Double? = nil
    ) {
        self.status = status
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.peakMemoryMiB = peakMemoryMiB
        self.cpuSeconds = cpuSeconds
    }

    /// The raw status word of `waitpid`, for tests that decode it themselves.
    public var waitStatus: Int32 { signal ?? ((status & 0xFF) << 8) }

    /// Whether it exited by itself rather than by a signal.
    public var exited: Bool { signal == nil }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    public var output: String { stdout + stderr }
}
