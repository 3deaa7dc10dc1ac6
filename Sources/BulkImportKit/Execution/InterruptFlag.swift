import NIOConcurrencyHelpers

/// The first stage of stopping a run: set on Ctrl-C (or a graceful shutdown, or when the task
/// running the run is cancelled), after which no new submission starts and waiting ends.
///
/// Once set it stays set. Waits on it (``wait()``, ``sleep(for:)``) end when it is set or when
/// their own task is cancelled, without polling.
public final class InterruptFlag: Sendable {
    private struct State {
        var value = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Whether the run was told to stop.
    public var isSet: Bool { state.withLockedValue { $0.value } }

    /// Tells the run to stop, and wakes everything waiting on the flag.
    public func set() {
        let woken = state.withLockedValue { state in
            state.value = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the flag is set, or at once when the current task is cancelled.
    func wait() async {
        let id = state.withLockedValue { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked under the lock that `set` and the cancellation handler take, so no wake-up is lost.
                let resumeNow = state.withLockedValue { state in
                    if state.value || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps for `duration`, returning early once the flag is set or the current task is cancelled.
    func sleep(for duration: Duration) async {
        if isSet || Task.isCancelled { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
