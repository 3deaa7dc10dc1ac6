import Foundation

/// Runs blocking work (waiting for a child process) on a thread of its own, so the test's task does
/// not hold one of the few threads of Swift's cooperative pool (two on a 2-core machine): a test
/// that blocks there for seconds stalls every other async test, and their timing margins with it.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// ``offThePool(_:)`` for work that cannot throw.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
