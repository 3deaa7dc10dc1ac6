/// Keeps the number of unfinished import jobs on one Milvus cluster under a cap while a run follows
/// them: a submission takes a slot before its create is sent and gives it back when the job ends.
///
/// Milvus refuses new imports once a cluster has 1024 unfinished jobs (across all collections), and
/// other clients may have jobs there too, so the default cap, 768, leaves room (milvus-backup uses
/// the same figure). Waiters are served first come, first served.
public actor UnfinishedJobGate {
    /// Slots per cluster; 0 means no cap.
    public nonisolated let limit: Int
    private struct Waiter {
        var id: Int
        var slots: Int
        var continuation: CheckedContinuation<Bool, Never>
    }
    private var counts: [String: Int] = [:]
    private var waiters: [String: [Waiter]] = [:]
    private var nextWaiter = 0
    private var closed = false

    public init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// The slots a job of `tasks` tasks takes (a job larger than the cap takes all of it).
    public nonisolated func slots(forTasks tasks: Int) -> Int {
        limit == 0 ? 0 : min(max(1, tasks), limit)
    }

    /// Whether `slots` more would fit on `cluster` right now, without waiting.
    public func wouldWait(_ cluster: String, slots: Int) -> Bool {
        guard limit > 0, slots > 0 else { return false }
        return counts[cluster, default: 0] + slots > limit || !(waiters[cluster]?.isEmpty ?? true)
    }

    /// Waits until `slots` fit on `cluster` and takes them. False when the gate was closed (Ctrl-C,
    /// the wait timed out) or the task was cancelled: the job must not be submitted.
    public func acquire(_ cluster: String, slots: Int) async -> Bool {
        if closed || Task.isCancelled { return false }
        guard limit > 0, slots > 0 else { return true }
        if !wouldWait(cluster, slots: slots) {
            counts[cluster, default: 0] += slots
            return true
        }
        nextWaiter += 1
        let id = nextWaiter
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[cluster, default: []].append(Waiter(id: id, slots: slots, continuation: continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id, on: cluster) }
        }
    }

    /// Gives back slots taken by ``acquire(_:slots:)`` once the job ended (or was never created).
    public func release(_ cluster: String, slots: Int) {
        guard limit > 0, slots > 0 else { return }
        counts[cluster] = max(0, counts[cluster, default: 0] - slots)
        serveWaiters(on: cluster)
    }

    /// Refuses every waiting and future acquire.
    public func close() {
        closed = true
        let all = waiters.values.flatMap { $0 }
        waiters = [:]
        for waiter in all { waiter.continuation.resume(returning: false) }
    }

    /// Slots taken on `cluster` now.
    public func inUse(_ cluster: String) -> Int { counts[cluster, default: 0] }

    /// Acquires waiting on `cluster` now.
    public func waiting(_ cluster: String) -> Int { waiters[cluster]?.count ?? 0 }

    /// Hands slots to the waiters at the head of `cluster`'s queue while they fit, in order.
    private func serveWaiters(on cluster: String) {
        var queue = waiters[cluster] ?? []
        while let first = queue.first, counts[cluster, default: 0] + first.slots <= limit {
            queue.removeFirst()
            counts[cluster, default: 0] += first.slots
            first.continuation.resume(returning: true)
        }
        waiters[cluster] = queue.isEmpty ? nil : queue
    }

    /// A cancelled waiter leaves the queue refused; those behind it may now fit.
    private func cancelWaiter(_ id: Int, on cluster: String) {
        guard let index = waiters[cluster]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters[cluster]!.remove(at: index)
        waiter.continuation.resume(returning: false)
        serveWaiters(on: cluster)
    }
}
