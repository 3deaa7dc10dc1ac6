/// Jobs handed from the submitting tasks to the follower while both run: the follower takes what
/// arrived since its last round, and waits only when it has nothing left to poll.
actor FollowQueue {
    struct Item: Sendable {
        var job: ImportJob
        /// ``JobDigest`` of the job, computed once: every record about it carries it.
        var digest: String
        var ids: [String]
        /// Slots held in the ``UnfinishedJobGate`` until the job ends.
        var slots: Int
        /// The progress the state last recorded for the job (`status`), so a failure that the
        /// server answers with zeros can still say how far the job got.
        var lastProgress: Int? = nil
    }

    private var items: [Item] = []
    private var finished = false
    private var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
    private var nextWaiter = 0

    init(_ items: [Item] = [], finished: Bool = false) {
        self.items = items
        self.finished = finished
    }

    func add(_ item: Item) {
        items.append(item)
        wake()
    }

    /// No more items will come.
    func finish() {
        finished = true
        wake()
    }

    /// What arrived since the last call, and whether nothing more will come. With `waitIfEmpty`,
    /// waits for an item or the end first, or until the task is cancelled (the caller then sees
    /// neither and must not ask again: it would return at once every time).
    func take(waitIfEmpty: Bool) async -> (items: [Item], finished: Bool) {
        if waitIfEmpty && items.isEmpty && !finished && !Task.isCancelled {
            nextWaiter += 1
            let id = nextWaiter
            await withTaskCancellationHandler {
                await withCheckedContinuation { waiter = (id, $0) }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
        }
        let taken = items
        items = []
        return (taken, finished)
    }

    private func wake() {
        waiter?.continuation.resume()
        waiter = nil
    }

    private func cancelWaiter(_ id: Int) {
        if waiter?.id == id { wake() }
    }
}
