/// Follows submitted jobs to their end: polls them in rounds, records what they become, and gives
/// back each job's cluster slots when it ends. Stops at Ctrl-C, cancellation or the wait timeout.
struct Follower: Sendable {
    let service: any ImportService
    let ledger: JobRecorder
    let options: RunOptions
    let observer: any RunObserver
    let interrupt: InterruptFlag
    let limiter: RateLimiter
    /// Targets that refused the credentials or cannot be reached: said once, then not polled.
    var blocked = BlockedTargets()

    /// What following the jobs found.
    struct Tally: Sendable {
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
    /// wait timeout, after which the gate refuses waiting submissions. When cancelled it returns
    /// without waiting for the queue to finish: ``leftOver(_:)`` then accounts for the rest.
    func follow(_ queue: FollowQueue, gate: UnfinishedJobGate) async -> Tally {
        var tally = Tally()
        let deadline = options.waitTimeout.map { ContinuousClock.now + $0 }
        var pending: [FollowQueue.Item] = []
        var last: [String: JobProgress] = [:]
        var stalls = StallWatch(threshold: options.stallAfter)
        // The progress last written to the state for each job: a later `status` says how far a
        // job had got from it when the server answers its failure with zeros.
        var recorded: [String: JobProgress] = [:]
        // Jobs whose latest poll failed, with the error last reported for each.
        var unreadable: [String: String] = [:]
        var stopped = false
        func stopWaiting(_ items: [FollowQueue.Item]) {
            for item in items {
                if let error = unreadable[item.job.name] {
                    tally.unreadable += 1
                    observer.handle(
                        .unknown(
                            job: item.job.name, error: "its progress could not be read: \(error)",
                            advice: "check that the target is reachable, then `bulk-import status`"))
                } else {
                    tally.stillRunning += 1
                    observer.handle(.stillRunning(job: item.job.name, progress: last[item.job.name]))
                }
            }
        }
        func end(_ item: FollowQueue.Item) async {
            stalls.forget(item.job.name)
            await gate.release(item.job.target.clusterKey, slots: item.slots)
            // Followed to the end: another runner sharing the state may look at it now.
            await ledger.release(item.job.name)
        }
        while true {
            let (arrived, finished) = await queue.take(waitIfEmpty: pending.isEmpty || stopped)
            // Once cancelled, `take` no longer waits: leave instead of asking again.
            if stopped {
                // Waiting ended: what still arrives (submissions already in flight) keeps running.
                for item in arrived {
                    tally.stillRunning += 1
                    observer.handle(.stillRunning(job: item.job.name, progress: nil))
                }
                if finished || Task.isCancelled { break } else { continue }
            }
            pending += arrived
            if pending.isEmpty {
                if finished || Task.isCancelled { break } else { continue }
            }
            if interrupt.isSet || Task.isCancelled {
                tally.interrupted = true
                observer.handle(.interrupted)
                await gate.close()
                stopped = true
                stopWaiting(pending)
                pending = []
                continue
            }
            let results = await pollRound(pending.map { ($0.job, $0.ids) })
            // Reads cut short by cancellation say nothing about the jobs.
            if Task.isCancelled { continue }
            // The round after which waiting stops (`status` without --wait has only this one):
            // a job still running is said once, by its "still running" line, not also as progress.
            let lastRound = deadline.map { ContinuousClock.now >= $0 } ?? false
            var next: [FollowQueue.Item] = []
            for (item, result) in zip(pending, results) {
                let job = item.job
                let ids = item.ids
                let digest = item.digest
                if case .unreadable(let error) = result {
                    if unreadable[job.name] != error { observer.handle(.pollFailed(job: job.name, error: error)) }
                    unreadable[job.name] = error
                    next.append(item)
                    continue
                }
                if case .refused(let error) = result {
                    // Every poll of the target fails alike: said once, and its jobs are not polled again.
                    tally.unreadable += 1
                    let target = job.target
                    let what = error.isAuthenticationFailure ? "refused the credentials" : "cannot be reached"
                    if await blocked.block(target, reason: "progress not read: \(target.described) \(what) (see that error above)") {
                        observer.handle(
                            .unknown(
                                job: job.name,
                                error: "its progress could not be read: "
                                    + Submitter.targetWideMessage(
                                        error, target: target, consequence: "Its other jobs are not polled"),
                                advice: "fix that, then `bulk-import status`"))
                    } else {
                        let note = await blocked.reason(for: target) ?? what
                        observer.standing(JobStanding(job: job.name, status: .unknown, jobIDs: ids, note: note))
                    }
                    await end(item)
                    continue
                }
                unreadable[job.name] = nil
                switch result {
                case .unreadable, .refused: break
                case .cleanedUp(let id):
                    tally.cleanedUp += 1
                    try? await ledger.record(job, digest, .cleanedUp, ids: ids)
                    observer.handle(.cleanedUp(job: job.name, jobID: id))
                    await end(item)
                case .progress(var p):
                    // A Failed answer carries zeros: keep how far the job got, as last seen by this
                    // run or recorded by an earlier one.
                    let earlier = [last[job.name]?.seen, item.lastProgress.map { JobProgress.SeenProgress(progress: $0) }].compactMap { $0 }
                    p = p.keepingLastSeen(earlier.first { $0.progress > 0 || ($0.importedRows ?? 0) > 0 })
                    if p.state == .completed {
                        tally.completed += 1
                        try? await ledger.record(job, digest, .completed, ids: ids, progress: p)
                        observer.handle(.completed(job: job.name, progress: p))
                        await end(item)
                    } else if p.state == .failed {
                        tally.importFailed += 1
                        // The state keeps the last progress seen, not the failure's 0.
                        var recorded = p
                        if let seen = p.lastSeen { recorded.progress = seen.progress }
                        try? await ledger.record(job, digest, .failed, ids: ids, error: p.reason, progress: recorded)
                        observer.handle(.importFailed(job: job.name, progress: p))
                        await end(item)
                    } else {
                        let moved = last[job.name] != p
                        let stall = stalls.observe(job.name, moved: moved, at: ContinuousClock.now)
                        // Written at each state change, every 20 points, and where a job stalls:
                        // a few records per job, not one per poll.
                        let before = recorded[job.name]
                        if before?.state != p.state || abs(p.progress - (before?.progress ?? 0)) >= 20 || (stall != nil && before != p) {
                            try? await ledger.record(job, digest, .progress, ids: ids, progress: p)
                            recorded[job.name] = p
                        }
                        if moved && !lastRound { observer.handle(.progress(job: job.name, progress: p)) }
                        last[job.name] = p
                        if let stall, !lastRound {
                            observer.handle(.stalled(job: job.name, progress: p, seconds: RetryPolicy.seconds(stall)))
                        }
                        next.append(item)
                    }
                }
            }
            pending = next
            if lastRound {
                stopWaiting(pending)
                pending = []
                stopped = true
                await gate.close()
                continue
            }
            if pending.isEmpty { continue }
            let interval = RetryPolicy.seconds(options.pollInterval)
            // Wakes at once on Ctrl-C or cancellation.
            await interrupt.sleep(for: .milliseconds(Int64(interval * Double.random(in: 0.8...1.2) * 1000)))
        }
        return tally
    }

    /// What a cancelled ``follow(_:gate:)`` left in the finished `queue`: jobs that keep running.
    func leftOver(_ queue: FollowQueue) async -> Tally {
        var tally = Tally()
        for item in await queue.take(waitIfEmpty: false).items {
            tally.stillRunning += 1
            observer.handle(.stillRunning(job: item.job.name, progress: nil))
        }
        return tally
    }

    private enum PollResult: Sendable {
        case progress(JobProgress)
        case cleanedUp(String)
        /// The progress could not be read, after retries.
        case unreadable(String)
        /// The target refused the credentials or cannot be reached: no poll of it can succeed.
        case refused(ImportError)
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
                if job.target.api.capabilities.isRateLimitedPerEndpoint { await limiter.acquire(job.target.endpoint.host) }
                do {
                    parts.append(try await service.progress(of: job, jobID: id))
                    break
                } catch {
                    if error.isJobNotFound { return .cleanedUp(id) }
                    if error.readRetryClass == .retryable && attempt < options.retry.maxAttempts && !interrupt.isSet && !Task.isCancelled {
                        let (delay, _) = options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                        try? await Task.sleep(for: delay)
                        if !Task.isCancelled { continue }
                    }
                    if error.isAuthenticationFailure || error.isUnreachable { return .refused(error) }
                    return .unreadable(error.description)
                }
            }
        }
        return .progress(JobProgress.combining(parts))
    }
}
