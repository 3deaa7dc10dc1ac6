#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `run` behaves.
public struct RunOptions: Sendable {
    /// Submissions in flight at once.
    public var concurrency = 8
    /// Stop submitting after the first failure.
    public var failFast = false
    /// Send again, with the same Idempotency-Key, creates whose outcome is unknown.
    public var retryUnknown = false
    /// Import again jobs the ledger says were already submitted.
    public var resubmit = false
    /// Follow the jobs until they complete or fail.
    public var wait = false
    public var pollInterval: Duration = .seconds(3)
    public var waitTimeout: Duration?
    public var retry = RetryPolicy()
    /// Requests a second to one Zilliz Cloud endpoint.
    public var zillizRequestsPerSecond = 20.0
    /// With `wait`: unfinished jobs (tasks, on Milvus 2.2/2.3) this run keeps on one Milvus cluster
    /// at once, under the server's limit of 1024; 0 for no cap.
    public var unfinishedJobLimit = 768

    public init() {}
}

/// Submits jobs concurrently, records every step in the ledger before and after it happens, retries
/// only what cannot import twice, and follows the jobs to the end.
public struct ImportExecutor: Sendable {
    public let service: any ImportService
    public let ledger: Ledger
    public let builder: RequestBuilder
    public let options: RunOptions
    public let observer: any RunObserver
    public let interrupt: InterruptFlag
    private let limiter: RateLimiter
    private let collectionChecks = CollectionChecks()

    public init(service: any ImportService, ledger: Ledger, builder: RequestBuilder = RequestBuilder(), options: RunOptions = RunOptions(),
                observer: any RunObserver, interrupt: InterruptFlag = InterruptFlag()) {
        self.service = service
        self.ledger = ledger
        self.builder = builder
        self.options = options
        self.observer = observer
        self.interrupt = interrupt
        limiter = RateLimiter(requestsPerSecond: options.zillizRequestsPerSecond)
    }

    enum Outcome: Sendable {
        case submitted(ImportJob, [String])
        case skipped(ImportJob, [String], followable: Bool)
        case failed(ImportJob)
        case unknown(ImportJob)
        /// The ledger could not record a step; `created` when the server made the job anyway.
        case ledgerFailed(ImportJob, created: Bool)
        /// Never sent: the run stopped (Ctrl-C, the wait timed out) while the job waited for a slot.
        case notSent(ImportJob)
    }

    /// Runs `jobs`: submits them (at most `concurrency` at once) and, with `wait`, follows them while
    /// later ones are still being submitted, keeping each Milvus cluster under the unfinished-job cap.
    public func run(_ jobs: [ImportJob]) async -> RunSummary {
        var summary = RunSummary()
        summary.selected = jobs.count
        let queue = FollowQueue()
        let gate = UnfinishedJobGate(limit: options.wait ? options.unfinishedJobLimit : 0)
        var started = 0
        var stop = false

        async let followed = options.wait ? follow(queue, gate: gate) : FollowTally()
        await withTaskGroup(of: Outcome.self) { group in
            var iterator = jobs.makeIterator()
            func addNext() -> Bool {
                guard !stop, !interrupt.isSet, let job = iterator.next() else { return false }
                started += 1
                group.addTask { await submit(job, gate: gate, queue: queue) }
                return true
            }
            for _ in 0..<max(1, options.concurrency) where !addNext() { break }
            while let outcome = await group.next() {
                switch outcome {
                case .submitted: summary.submitted += 1
                case .skipped: summary.skipped += 1
                case .failed:
                    summary.failed += 1
                    if options.failFast { stop = true }
                case .unknown:
                    summary.unknown += 1
                    if options.failFast { stop = true }
                case .ledgerFailed(_, let created):
                    // A job that cannot be recorded must not be sent: stop submitting.
                    if created { summary.unknown += 1 } else { summary.failed += 1 }
                    stop = true
                case .notSent:
                    started -= 1
                }
                _ = addNext()
            }
        }
        summary.notSubmitted = jobs.count - started
        await queue.finish()
        let tally = await followed
        tally.add(to: &summary)
        if interrupt.isSet && !summary.interrupted {
            summary.interrupted = true
            observer.handle(.interrupted)
        }
        return summary
    }

    // MARK: Submitting

    private func record(_ job: ImportJob, _ digest: String, _ event: LedgerRecord.Event, ids: [String] = [], group: Int? = nil,
                        attempt: Int = 0, error: String? = nil, key: String? = nil, progress: JobProgress? = nil) async throws {
        try await ledger.append(LedgerRecord(
            time: Self.now(), event: event, job: job.name, digest: digest, target: job.target.displayName,
            api: job.target.api.rawValue, jobIDs: ids, group: group, attempt: attempt,
            state: progress.map { $0.state.description }, progress: progress?.progress, error: error, idempotencyKey: key))
    }

    private func submit(_ job: ImportJob, gate: UnfinishedJobGate, queue: FollowQueue) async -> Outcome {
        let digest = JobDigest.digest(of: job)
        let outcome = await submit(job, digest: digest, gate: gate)
        switch outcome {
        case .submitted(_, let ids), .skipped(_, let ids, followable: true):
            if options.wait {
                await queue.add(FollowQueue.Item(job: job, digest: digest, ids: ids, slots: slots(job, gate: gate)))
            }
        default:
            break
        }
        return outcome
    }

    /// The slots a job holds on its cluster while it runs: only Milvus clusters have the cap.
    /// On Milvus 2.2/2.3 each file group is a task of its own.
    private func slots(_ job: ImportJob, gate: UnfinishedJobGate) -> Int {
        guard job.target.api.capsUnfinishedJobs else { return 0 }
        return gate.slots(forTasks: job.target.api.taskCount(forFileGroups: job.files.count))
    }

    private func submit(_ job: ImportJob, digest: String, gate: UnfinishedJobGate) async -> Outcome {
        let key = JobDigest.idempotencyKey(for: digest)
        let entry = await ledger.entry(for: job.name)
        var doneGroups: [Int: String] = [:]
        if let entry, entry.digest == digest, !options.resubmit {
            switch entry.status {
            case .submitted, .completed:
                let ids = entry.jobIDs
                observer.handle(.skipped(job: job.name, reason: "already submitted as job \(ids.joined(separator: ", ")); use --resubmit to import again"))
                // A job still running from an earlier run counts against its cluster's cap too.
                if entry.status == .submitted && options.wait {
                    guard await gate.acquire(job.target.clusterKey, slots: slots(job, gate: gate)) else {
                        return .skipped(job, ids, followable: false)
                    }
                }
                return .skipped(job, ids, followable: entry.status == .submitted)
            case .cleanedUp:
                // It ran and the server has since forgotten it: sending it again could import twice.
                observer.handle(.skipped(job: job.name, reason: "already ran as job \(entry.jobIDs.joined(separator: ", ")) (since cleaned up on the server); use --resubmit to import again"))
                return .skipped(job, entry.jobIDs, followable: false)
            case .intent, .unknown, .failed:
                if !entry.groupStatus.isEmpty {
                    // One task per file group (Milvus 2.2/2.3): resume group by group, never sending
                    // again a group whose task exists and has not failed.
                    switch await resumeGroups(job, entry) {
                    case .unknown(let why):
                        observer.handle(.unknown(
                            job: job.name, error: why,
                            advice: "check the target's jobs (bulk-import list), then use --retry-unknown to send it again; this API has no Idempotency-Key, so only if no task has it"))
                        return .unknown(job)
                    case .resume(let keep, let notes):
                        doneGroups = keep
                        for note in notes { observer.handle(.note(job: job.name, message: note)) }
                    }
                } else if entry.status != .failed && !options.retryUnknown {
                    observer.handle(.unknown(
                        job: job.name, error: entry.lastError ?? "an earlier run may have sent the create, but no job id was recorded",
                        advice: "check the target's jobs (bulk-import list), then use --retry-unknown to send it again with the same Idempotency-Key"))
                    return .unknown(job)
                }
            }
        } else if let entry, entry.digest != digest {
            observer.handle(.changed(job: job.name, previousDigest: entry.digest))
        }

        if let missing = await collectionChecks.missing(job, service: service) {
            // Milvus 2.3 refuses such a create only after about 50 s of its own retries.
            try? await record(job, digest, .failed, error: missing)
            observer.handle(.failed(job: job.name, error: "\(missing) (asked the server before sending the import)"))
            return .failed(job)
        }
        let requests = builder.createRequests(for: job, idempotencyKey: job.target.api.acceptsIdempotencyKey ? key : nil)
        let cluster = job.target.clusterKey
        let held = slots(job, gate: gate)
        if held > 0 {
            if await gate.wouldWait(cluster, slots: held) {
                observer.handle(.waitingForSlot(job: job.name, target: job.target.displayName, limit: gate.limit))
            }
            guard await gate.acquire(cluster, slots: held) else { return .notSent(job) }
        }
        if interrupt.isSet {
            await gate.release(cluster, slots: held)
            return .notSent(job)
        }
        observer.handle(.started(job: job.name))
        var ids: [String] = []
        for (index, request) in requests.enumerated() {
            let group: Int? = requests.count > 1 || job.target.api.createsOneTaskPerFileGroup ? index : nil
            if let group, let id = doneGroups[group] {
                ids.append(id)
                continue
            }
            switch await create(job, request, digest: digest, key: key, group: group) {
            case .success(let created): ids += created
            case .failure(let box):
                await gate.release(cluster, slots: held)
                return box.outcome
            }
        }
        observer.handle(.submitted(job: job.name, jobIDs: ids))
        return .submitted(job, ids)
    }

    private enum GroupResume {
        case unknown(String)
        case resume([Int: String], notes: [String])
    }

    /// Which groups of an earlier, unfinished per-group job keep their task: every group with a
    /// recorded task id unless the server says that task failed. A group whose create may have been
    /// sent without an id being recorded makes the job unknown (unless --retry-unknown).
    private func resumeGroups(_ job: ImportJob, _ entry: LedgerEntry) async -> GroupResume {
        var keep: [Int: String] = [:]
        var notes: [String] = []
        for group in 0..<job.files.count {
            if let id = entry.groupIDs[group] {
                do {
                    let progress = try await service.progress(of: job, jobID: id)
                    if progress.state == .failed {
                        notes.append("file group \(group): task \(id) failed (\(progress.reason ?? "no reason given")); sending that group again")
                    } else {
                        keep[group] = id
                        notes.append("file group \(group): keeping task \(id) (\(progress.state))")
                    }
                } catch {
                    if error.isJobNotFound {
                        keep[group] = id
                        notes.append("file group \(group): task \(id) is no longer known to the server; not sending it again")
                    } else {
                        return .unknown("file group \(group) has task \(id), whose state could not be read: \(error)")
                    }
                }
            } else if let status = entry.groupStatus[group], status == .intent || status == .unknown, !options.retryUnknown {
                return .unknown("file group \(group)'s create may have reached the server, but no task id was recorded")
            }
        }
        return .resume(keep, notes: notes)
    }

    private func create(_ job: ImportJob, _ request: ImportRequest, digest: String, key: String, group: Int?) async -> Result<[String], OutcomeBox> {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await record(job, digest, .intent, group: group, attempt: attempt, key: key)
            } catch {
                observer.handle(.failed(job: job.name, error: "not sent: the ledger could not record it: \(error)"))
                return .failure(OutcomeBox(.ledgerFailed(job, created: false)))
            }
            if job.target.api.isRateLimitedPerEndpoint { await limiter.acquire(job.target.endpoint.host) }
            do {
                let ids = try await service.create(request, api: job.target.api)
                do {
                    try await record(job, digest, .submitted, ids: ids, group: group, attempt: attempt, key: key)
                } catch {
                    observer.handle(.unknown(job: job.name, error: "job \(ids.joined(separator: ", ")) was created, but the ledger could not record it: \(error)",
                                             advice: "note the job id; the next run will treat this job as unknown"))
                    return .failure(OutcomeBox(.ledgerFailed(job, created: true)))
                }
                return .success(ids)
            } catch {
                var retryClass = error.createRetryClass
                if retryClass == .ambiguous && options.retryUnknown { retryClass = .retryable }
                if retryClass == .retryable && attempt < options.retry.maxAttempts && !interrupt.isSet {
                    let (delay, clamped) = options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                    observer.handle(.retrying(job: job.name, attempt: attempt, delaySeconds: RetryPolicy.seconds(delay),
                                              error: error.description, clamped: clamped))
                    try? await Task.sleep(for: delay)
                    continue
                }
                if retryClass == .ambiguous {
                    try? await record(job, digest, .unknown, group: group, attempt: attempt, error: error.description, key: key)
                    observer.handle(.unknown(
                        job: job.name, error: error.description,
                        advice: "the create may have reached the server; check the target's jobs (bulk-import list) before re-running with --retry-unknown"))
                    return .failure(OutcomeBox(.unknown(job)))
                }
                try? await record(job, digest, .failed, group: group, attempt: attempt, error: error.description, key: key)
                observer.handle(.failed(job: job.name, error: error.description))
                return .failure(OutcomeBox(.failed(job)))
            }
        }
    }

    struct OutcomeBox: Error { let outcome: Outcome; init(_ o: Outcome) { outcome = o } }

    // MARK: Following

    /// What following the jobs found.
    struct FollowTally: Sendable {
        var completed = 0
        var importFailed = 0
        var stillRunning = 0
        var cleanedUp = 0
        var unreadable = 0
        var interrupted = false

        func add(to summary: inout RunSummary) {
            summary.unreadable += unreadable
            summary.completed += completed
            summary.importFailed += importFailed
            summary.stillRunning += stillRunning
            summary.cleanedUp += cleanedUp
            summary.interrupted = summary.interrupted || interrupted
        }
    }

    /// Polls the jobs in `queue` in rounds until each is Completed or Failed, taking new arrivals
    /// between rounds, and gives back each job's cluster slots when it ends. Stops at Ctrl-C or the
    /// wait timeout, after which the gate refuses waiting submissions.
    func follow(_ queue: FollowQueue, gate: UnfinishedJobGate) async -> FollowTally {
        var tally = FollowTally()
        let deadline = options.waitTimeout.map { ContinuousClock.now + $0 }
        var pending: [FollowQueue.Item] = []
        var last: [String: JobProgress] = [:]
        // Jobs whose latest poll failed, with the error last reported for each.
        var unreadable: [String: String] = [:]
        var stopped = false
        func stopWaiting(_ items: [FollowQueue.Item]) {
            for item in items {
                if let error = unreadable[item.job.name] {
                    tally.unreadable += 1
                    observer.handle(.unknown(job: item.job.name, error: "its progress could not be read: \(error)",
                                             advice: "check that the target is reachable, then `bulk-import status`"))
                } else {
                    tally.stillRunning += 1
                    observer.handle(.stillRunning(job: item.job.name, progress: last[item.job.name]))
                }
            }
        }
        func end(_ item: FollowQueue.Item) async {
            await gate.release(item.job.target.clusterKey, slots: item.slots)
        }
        while true {
            let (arrived, finished) = await queue.take(waitIfEmpty: pending.isEmpty || stopped)
            if stopped {
                // Waiting ended: what still arrives (submissions already in flight) keeps running.
                for item in arrived { tally.stillRunning += 1; observer.handle(.stillRunning(job: item.job.name, progress: nil)) }
                if finished { break } else { continue }
            }
            pending += arrived
            if pending.isEmpty {
                if finished { break } else { continue }
            }
            if interrupt.isSet {
                tally.interrupted = true
                observer.handle(.interrupted)
                await gate.close()
                stopped = true
                stopWaiting(pending)
                pending = []
                continue
            }
            let results = await pollRound(pending.map { ($0.job, $0.ids) })
            var next: [FollowQueue.Item] = []
            for (item, result) in zip(pending, results) {
                let job = item.job, ids = item.ids, digest = item.digest
                if case .unreadable(let error) = result {
                    if unreadable[job.name] != error { observer.handle(.pollFailed(job: job.name, error: error)) }
                    unreadable[job.name] = error
                    next.append(item)
                    continue
                }
                unreadable[job.name] = nil
                switch result {
                case .unreadable: break
                case .cleanedUp(let id):
                    tally.cleanedUp += 1
                    try? await record(job, digest, .cleanedUp, ids: ids)
                    observer.handle(.cleanedUp(job: job.name, jobID: id))
                    await end(item)
                case .progress(let p):
                    if p.state == .completed {
                        tally.completed += 1
                        try? await record(job, digest, .completed, ids: ids, progress: p)
                        observer.handle(.completed(job: job.name, progress: p))
                        await end(item)
                    } else if p.state == .failed {
                        tally.importFailed += 1
                        try? await record(job, digest, .failed, ids: ids, error: p.reason, progress: p)
                        observer.handle(.importFailed(job: job.name, progress: p))
                        await end(item)
                    } else {
                        if last[job.name] != p {
                            if last[job.name]?.state != p.state { try? await record(job, digest, .progress, ids: ids, progress: p) }
                            observer.handle(.progress(job: job.name, progress: p))
                        }
                        last[job.name] = p
                        next.append(item)
                    }
                }
            }
            pending = next
            if let deadline, ContinuousClock.now >= deadline {
                stopWaiting(pending)
                pending = []
                stopped = true
                await gate.close()
                continue
            }
            if pending.isEmpty { continue }
            let interval = RetryPolicy.seconds(options.pollInterval)
            await sleepUnlessInterrupted(.milliseconds(Int64(interval * Double.random(in: 0.8...1.2) * 1000)))
        }
        return tally
    }

    /// Sleeps, waking early (within 100 ms) when Ctrl-C sets the interrupt flag.
    private func sleepUnlessInterrupted(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !interrupt.isSet {
            let left = end - ContinuousClock.now
            if left <= .zero { return }
            try? await Task.sleep(for: min(left, .milliseconds(100)))
        }
    }

    private enum PollResult: Sendable {
        case progress(JobProgress)
        case cleanedUp(String)
        /// The progress could not be read, after retries.
        case unreadable(String)
    }

    /// Polls every pending job once, `concurrency` at a time.
    private func pollRound(_ jobs: [(ImportJob, [String])]) async -> [PollResult] {
        var results = [PollResult](repeating: .unreadable("not polled"), count: jobs.count)
        await withTaskGroup(of: (Int, PollResult).self) { group in
            var index = 0
            func addNext() {
                guard index < jobs.count else { return }
                let i = index
                index += 1
                group.addTask { (i, await poll(jobs[i].0, ids: jobs[i].1)) }
            }
            for _ in 0..<max(1, options.concurrency) { addNext() }
            while let (i, result) = await group.next() {
                results[i] = result
                addNext()
            }
        }
        return results
    }

    private func poll(_ job: ImportJob, ids: [String]) async -> PollResult {
        var parts: [JobProgress] = []
        for id in ids {
            var attempt = 0
            while true {
                attempt += 1
                if job.target.api.isRateLimitedPerEndpoint { await limiter.acquire(job.target.endpoint.host) }
                do {
                    parts.append(try await service.progress(of: job, jobID: id))
                    break
                } catch {
                    if error.isJobNotFound { return .cleanedUp(id) }
                    if error.readRetryClass == .retryable && attempt < options.retry.maxAttempts && !interrupt.isSet {
                        let (delay, _) = options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                        try? await Task.sleep(for: delay)
                        continue
                    }
                    return .unreadable(error.description)
                }
            }
        }
        return .progress(JobProgress.combining(parts))
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

extension ImportExecutor {
    /// Polls the jobs the ledger says were submitted (once, or until the end with `wait`).
    public func status(_ jobs: [ImportJob]) async -> RunSummary {
        var summary = RunSummary()
        var toFollow: [FollowQueue.Item] = []
        for job in jobs {
            let digest = JobDigest.digest(of: job)
            guard let entry = await ledger.entry(for: job.name), entry.digest == digest else { continue }
            summary.selected += 1
            switch entry.status {
            case .submitted: toFollow.append(FollowQueue.Item(job: job, digest: digest, ids: entry.jobIDs, slots: 0))
            case .completed: summary.completed += 1; observer.handle(.note(job: job.name, message: "completed as job \(entry.jobIDs.joined(separator: ", "))"))
            case .failed: summary.failed += 1; observer.handle(.failed(job: job.name, error: entry.lastError ?? "failed"))
            case .intent, .unknown:
                summary.unknown += 1
                observer.handle(.unknown(job: job.name, error: entry.lastError ?? "no job id was recorded", advice: "see `bulk-import run --retry-unknown`"))
            case .cleanedUp: summary.cleanedUp += 1
            }
        }
        if !toFollow.isEmpty {
            let tally = await follow(FollowQueue(toFollow, finished: true), gate: UnfinishedJobGate(limit: 0))
            tally.add(to: &summary)
        }
        return summary
    }
}
