internal import Platform
import Synchronization

/// Parses ahead on a thread of its own: libyaml's scanning and the building of each ``YAMLEvent``
/// run beside the reader of the events instead of in front of it. The events come out in batches
/// through a short queue, in order, and a parse error comes out where it happened, after the
/// events before it.
///
/// The thread is the only user of the C parser once started; ``stop()`` ends it (waiting for it)
/// before the parser is freed.
final class EventReadAhead: @unchecked Sendable {
    /// Events read in one go, and how the batch ends: more to come, the stream's end, or an error.
    /// The events are moved in by the thread and out by the reader: no copy, no reference count.
    private final class Batch: @unchecked Sendable {
        private let events: UnsafeMutablePointer<YAMLEvent>
        let capacity: Int
        private(set) var count = 0
        private var taken = 0
        var failure: YAMLError?

        init(capacity: Int) {
            self.capacity = capacity
            events = .allocate(capacity: capacity)
        }

        var isFull: Bool { count == capacity }

        func append(_ event: consuming YAMLEvent) {
            (events + count).initialize(to: event)
            count += 1
        }

        /// The next event not taken yet, moved out.
        func take() -> YAMLEvent? {
            guard taken < count else { return nil }
            defer { taken += 1 }
            return (events + taken).move()
        }

        deinit {
            (events + taken).deinitialize(count: count - taken)
            events.deallocate()
        }
    }

    /// Events per batch: enough that taking the lock is rare, few enough to stay in cache. The
    /// first batches are smaller (from ``firstBatchSize``, doubling): a reader that stops early,
    /// at a nesting or syntax error near the top, does not wait for a whole batch.
    static let batchSize = 1024
    static let firstBatchSize = 16
    /// Batches parsed ahead of the reader at most: the memory this takes is bounded (8 took 2.0x
    /// the file beyond start-up at 10,000 jobs, 4 takes 1.8x and is as fast).
    static let maxQueued = 4

    // State shared by the two threads, under `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queued: [Batch] = []
    private var stopping = false
    private var returned = false
    /// ``stop()`` was called: read by the thread between events, without the lock, so it stops
    /// part way through a batch (a 3,000-level nesting is one batch the reader stopped at level 64).
    private let stopRequested = Atomic<Bool>(false)

    // The reader's own state.
    private var current = Batch(capacity: 0)
    private var ended = false
    private var thread: pthread_t?

    /// Starts parsing with `parse` (which throws at an error and returns `streamEnd` at the end)
    /// on a new thread; nil when no thread can be started (the caller then parses in line).
    init?(parse: @escaping () throws(YAMLError) -> YAMLEvent) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        let context = Unmanaged.passRetained(Context(readAhead: self, parse: parse)).toOpaque()
        var handle = pthread_t()
        guard pthread_create(&handle, nil, { Context.run($0) }, context) == 0 else {
            Unmanaged<Context>.fromOpaque(context).release()
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
            changed.deallocate()
            mutex.deallocate()
            return nil
        }
        thread = handle
    }

    deinit {
        stop()
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// What the thread runs with: the parse function and where to put what it parses.
    private final class Context {
        let readAhead: EventReadAhead
        let parse: () throws(YAMLError) -> YAMLEvent

        init(readAhead: EventReadAhead, parse: @escaping () throws(YAMLError) -> YAMLEvent) {
            self.readAhead = readAhead
            self.parse = parse
        }

        static func run(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
            let context = Unmanaged<Context>.fromOpaque(raw!).takeRetainedValue()
            context.readAhead.produce(with: context.parse)
            context.readAhead.locked { $0.returned = true }
            return nil
        }
    }

    private func locked<T>(_ body: (EventReadAhead) -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(self)
    }

    /// Why the parse failed, once ``nextIfParsed()`` answered nil.
    var failure: YAMLError? { current.failure }

    /// Whether ``stop()`` was called (for tests).
    var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }

    /// Whether the thread has returned (for tests).
    var threadReturned: Bool { locked { $0.returned } }

    /// The thread's loop: a batch at a time until the end, an error, or ``stop()``.
    private func produce(with parse: () throws(YAMLError) -> YAMLEvent) {
        var size = Self.firstBatchSize
        while true {
            let batch = Batch(capacity: size)
            size = min(size * 2, Self.batchSize)
            var last = false
            while !batch.isFull {
                if stopRequested.load(ordering: .relaxed) { return }
                do {
                    let event = try parse()
                    if case .streamEnd = event { last = true }
                    batch.append(event)
                    if last { break }
                } catch {
                    batch.failure = error
                    last = true
                    break
                }
            }
            pthread_mutex_lock(mutex)
            while queued.count >= Self.maxQueued && !stopping { pthread_cond_wait(changed, mutex) }
            if stopping {
                pthread_mutex_unlock(mutex)
                return
            }
            queued.append(batch)
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            if last { return }
        }
    }

    /// The next event, in order; the error where the parse failed (again on every later call).
    func next() throws(YAMLError) -> YAMLEvent {
        if let event = nextIfParsed() { return event }
        throw current.failure!
    }

    /// The next event, in order; nil where the parse failed (``failure`` says why), again on
    /// every later call. Not throwing, so that a caller holding this object unretained can call
    /// it from a closure that returns the event as it is.
    func nextIfParsed() -> YAMLEvent? {
        while true {
            if let event = current.take() {
                if case .streamEnd = event { ended = true }
                return event
            }
            if current.failure != nil { return nil }
            if ended { return .streamEnd }
            pthread_mutex_lock(mutex)
            while queued.isEmpty { pthread_cond_wait(changed, mutex) }
            current = queued.removeFirst()
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }
    }

    /// Ends the thread and waits for it; idempotent.
    func stop() {
        guard let handle = thread else { return }
        thread = nil
        stopRequested.store(true, ordering: .relaxed)
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        pthread_join(handle, nil)
    }
}
