import Dispatch
import Foundation
import Platform

/// Resumes the waiting task once, whichever of the stop conditions comes first.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<String, Never>?
    private var reason: String?

    func wait() async -> String {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let reason {
                lock.unlock()
                continuation.resume(returning: reason)
            } else {
                self.continuation = continuation
                lock.unlock()
            }
        }
    }

    func fire(_ why: String) {
        lock.lock()
        guard reason == nil else {
            lock.unlock()
            return
        }
        reason = why
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: why)
    }

    /// Fires on SIGINT and SIGTERM. The handlers run on a global queue; keep the sources alive.
    func watchSignals() -> [any DispatchSourceSignal] {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        return [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable [self] in fire(number == SIGINT ? "SIGINT" : "SIGTERM") }
            source.resume()
            return source
        }
    }

    /// Fires when standard input reaches its end (or fails), from a thread of its own.
    func watchStandardInput() {
        Thread.detachNewThread { @Sendable [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count > 0 { continue }
                if count < 0 && errno == EINTR { continue }
                break
            }
            fire("end of standard input")
        }
    }

    /// Fires when the process that started this one exits, even if it was killed (SIGKILL) and
    /// could not stop us, so that a test server never outlives its test run: the orphan is handed to
    /// another parent, which getppid() shows. Polled, not PR_SET_PDEATHSIG: that signal comes when
    /// the *thread* that started us ends, and test runners start children from short-lived threads.
    func watchParent() {
        let parent = getppid()
        guard parent > 1 else { return }
        Thread.detachNewThread { @Sendable [self] in
            while getppid() == parent { usleep(100_000) }
            fire("parent process \(parent) exited")
        }
    }

    /// Fires when process `pid` exits (polled: it need not be our parent).
    func watch(pid: pid_t) {
        Thread.detachNewThread { @Sendable [self] in
            while kill(pid, 0) == 0 || errno == EPERM { usleep(100_000) }
            fire("process \(pid) exited")
        }
    }
}
