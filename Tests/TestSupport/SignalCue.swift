import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A signal for a child process, sent when another thread says so: a test server's thread as the
/// n-th request of a run arrives, say, rather than a test task that a loaded cooperative pool can
/// wake seconds late, after the run it meant to interrupt has ended.
///
/// The cue may come before the process is attached (a request can race `start` returning); the
/// signal then goes out as it is attached. Either way it is sent once, and never after ``cancel()``.
public final class SignalCue: Sendable {
    private let state = Mutex<(process: ChildProcess?, fired: Bool, due: Bool, sent: Bool)>((nil, false, false, false))
    /// The signal to send.
    public let number: Int32
    /// How long after the cue the signal goes out (on a thread of its own).
    public let delay: Duration

    public init(_ number: Int32, after delay: Duration = .zero) {
        self.number = number
        self.delay = delay
    }

    /// Whether the cue has come (``fire()`` was called), its delay run out or not.
    public var hasFired: Bool { state.withLock { $0.fired } }

    /// Whether the signal is due: the cue has come and its delay has run out.
    public var isDue: Bool { state.withLock { $0.due } }

    /// Callable from any thread; a second call sends no second signal.
    public func fire() {
        state.withLock { $0.fired = true }
        guard delay > .zero else { return due() }
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: seconds)
            due()
        }
    }

    /// The process to signal.
    public func attach(_ process: ChildProcess) {
        let send = state.withLock { state -> Bool in
            state.process = process
            return take(&state)
        }
        if send { process.signal(number) }
    }

    /// No signal from now on: call it once the process has ended, so that a cue still to come
    /// (a request after the run, a delay running out) cannot signal a process id used again.
    public func cancel() {
        state.withLock { $0.sent = true }
    }

    private func due() {
        let process = state.withLock { state -> ChildProcess? in
            state.due = true
            return take(&state) ? state.process : nil
        }
        process?.signal(number)
    }

    private func take(_ state: inout (process: ChildProcess?, fired: Bool, due: Bool, sent: Bool)) -> Bool {
        guard state.due, state.process != nil, !state.sent else { return false }
        state.sent = true
        return true
    }
}
