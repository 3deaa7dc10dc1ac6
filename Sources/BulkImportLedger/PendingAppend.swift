/// Records a store has accepted but whose durability the caller waits for later, with
/// ``durable()``: see ``StateStore/appendLater(_:)``.
public struct PendingAppend: Sendable {
    private let wait: @Sendable () async throws -> Void

    /// An append that ``durable()`` waits for with `wait`.
    public init(wait: @escaping @Sendable () async throws -> Void) {
        self.wait = wait
    }

    /// An append already done (`error` nil) or already failed.
    public init(done error: (any Error)?) {
        wait = { if let error { throw error } }
    }

    /// Returns once the records are stored durably.
    ///
    /// - Throws: the store's error when they could not be.
    public func durable() async throws {
        try await wait()
    }
}
