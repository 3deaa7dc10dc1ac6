import Platform

/// Sends the creates of a run: decides each job from the ledger (``SubmitDecision``), takes its
/// slots in the ``UnfinishedJobGate``, records every step in the ledger before and after it
/// happens, retries only what cannot import twice, and hands what was submitted to the follower.
struct Submitter: Sendable {
    let service: any ImportService
    let ledger: JobRecorder
    let builder: RequestBuilder
    let options: RunOptions
    let observer: any RunObserver
    let interrupt: InterruptFlag
    let limiter: RateLimiter
    let collectionChecks: CollectionChecks
    /// Asks the target about jobs the state holds no id for; nil with `--no-reconcile`.
    let reconciler: Reconciler?
    let gate: UnfinishedJobGate
    /// Where submitted jobs go to be followed (with `wait`).
    let queue: FollowQueue
    /// Targets that refused the credentials or cannot be reached: their jobs are not sent.
    var blocked = BlockedTargets()

    enum Outcome: Sendable {
        case submitted(ImportJob, [String])
        case skipped(ImportJob, [String], followable: Bool)
        case failed(ImportJob)
        case unknown(ImportJob)
        /// The ledger could not record a step; `created` when the server made the job anyway,
        /// `recorded` when its id was recorded later, once the state came back.
        case ledgerFailed(ImportJob, created: Bool, recorded: Bool = false)
        /// Never sent: the run stopped (Ctrl-C, the wait timed out) while the job waited for a slot.
        case notSent(ImportJob)
        /// The target already had it: recorded with the target's ids instead of created.
        case adopted(ImportJob, [String])
        /// Another runner sharing the state holds it: its name, and what is left of its claim.
        case claimedElsewhere(ImportJob, runner: String, secondsLeft: Double)
        /// Created, its id not yet durable: `finish` waits for the record and gives the outcome.
        /// Only ``Submitter/submit(_:known:recordingApart:)`` with `recordingApart` returns it.
        case recording(ImportJob, Finish)

        /// The rest of a job whose create was answered: see ``recording(_:_:)``.
        struct Finish: Sendable {
            let run: @Sendable () async -> Outcome
        }

        /// Adds the outcome to the run's counts (``notSent`` counts nowhere: the job was not started).
        func count(into summary: inout RunSummary) {
            switch self {
            case .submitted, .ledgerFailed(_, _, recorded: true): summary.submitted += 1
            case .skipped: summary.skipped += 1
            case .adopted: summary.adopted += 1
            case .claimedElsewhere: summary.claimedElsewhere += 1
            case .failed, .ledgerFailed(_, created: false, _): summary.failed += 1
            case .unknown, .ledgerFailed: summary.unknown += 1
            case .notSent, .recording: break
            }
        }

        /// Whether no further job should be started after this one.
        func stopsSubmitting(failFast: Bool) -> Bool {
            switch self {
            case .ledgerFailed: true
            case .failed, .unknown: failFast
            default: false
            }
        }
    }

    /// Submits `jobs`, at most `concurrency` at once, counting the outcomes into `summary`. Stops
    /// starting new ones after Ctrl-C, cancellation, a ledger failure, or (with `failFast`) the
    /// first failure; the ones already started finish.
    func submitAll(_ jobs: [ImportJob], into summary: inout RunSummary) async {
        var started = 0
        var stop = false
        var held: [Held] = []
        // Runners sharing a state each take the jobs in an order of their own, so that two rarely
        // reach for the same job at once: a job another runner holds must be come back to, and
        // one it has done costs a read. (Taken in manifest order they would march in step, each
        // meeting every job the others are busy with.)
        let shared = ledger.ledger.isShared
        let order = shared ? jobs.shuffled() : jobs
        // With a shared state, what it says of the next jobs is read ahead, many at once: a job
        // another runner has done is then skipped without a round trip of its own.
        var ahead: [String: LedgerEntry?] = [:]
        var nextToRead = 0
        var iterator = order.makeIterator()
        // A submitting task ends when its create is answered (`slot`): the next job starts then,
        // while the job's id is recorded in a task of its own (`recorded`), whose write joins
        // the next jobs' intents in one write + fsync instead of holding the slot for another.
        enum Step: Sendable {
            case slot(Outcome)
            case recorded(Outcome)
        }
        await withTaskGroup(of: Step.self) { group in
            func addNext() async -> Bool {
                guard !stop, !interrupt.isSet, !Task.isCancelled, let job = iterator.next() else { return false }
                started += 1
                var known: LedgerEntry?? = nil
                if shared {
                    if ahead[job.name] == nil && nextToRead < order.count {
                        let names = order[nextToRead..<min(order.count, nextToRead + 256)].map(\.name)
                        nextToRead += names.count
                        if let read = try? await ledger.entries(for: names) {
                            for name in names { ahead[name] = .some(read[name]) }
                        }
                    }
                    known = ahead.removeValue(forKey: job.name)
                }
                group.addTask { .slot(await submit(job, known: known, recordingApart: true)) }
                return true
            }
            for _ in 0..<max(1, options.concurrency) where !(await addNext()) { break }
            while let step = await group.next() {
                let outcome: Outcome
                let freesSlot: Bool
                switch step {
                case .slot(.recording(_, let finish)):
                    group.addTask { .recorded(await finish.run()) }
                    _ = await addNext()
                    continue
                case .slot(let ended): (outcome, freesSlot) = (ended, true)
                case .recorded(let ended): (outcome, freesSlot) = (ended, false)
                }
                switch outcome {
                case .notSent: started -= 1
                case .claimedElsewhere(let job, let runner, let left): held.append(Held(job: job, runner: runner, secondsLeft: left))
                default: outcome.count(into: &summary)
                }
                // A job that cannot be recorded must not be sent: stop submitting.
                if outcome.stopsSubmitting(failFast: options.failFast) { stop = true }
                if freesSlot { _ = await addNext() }
            }
        }
        if !held.isEmpty && !stop {
            await revisit(held, interval: .milliseconds(500)) { outcome in
                if case .notSent = outcome { started -= 1 } else { outcome.count(into: &summary) }
            }
        } else {
            summary.claimedElsewhere += held.count
        }
        summary.notSubmitted = jobs.count - started
        // The jobs never started, for the final table (each with the reason).
        let reason =
            interrupt.isSet || Task.isCancelled
            ? "not sent: the run was interrupted"
            : "not sent: the run stopped submitting after a failure (--fail-fast, or the state failed)"
        while let job = iterator.next() { observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: reason))) }
    }

    /// Submits one job and, with `wait`, hands it to the follower once it runs. A job not handed
    /// on is released at once (a shared state's claim), for other runners waiting for it.
    ///
    /// `known` is what the state said of the job a moment ago, when it was read ahead (nil: not
    /// read); it only spares the first read of a job already done, never the read after the claim.
    /// With `recordingApart`, a job whose create was answered comes back at once as
    /// ``Outcome/recording(_:_:)``, whose `finish` waits for its id to be recorded and does the rest.
    func submit(_ job: ImportJob, known: LedgerEntry?? = nil, recordingApart: Bool = false) async -> Outcome {
        let digest = JobDigest.digest(of: job)
        let outcome = await submit(job, digest: digest, known: known)
        if case .recording(let job, let finish) = outcome {
            let settled = Outcome.Finish { await self.settle(await finish.run(), job: job, digest: digest) }
            return recordingApart ? .recording(job, settled) : await settled.run()
        }
        return await settle(outcome, job: job, digest: digest)
    }

    /// Hands a submitted job to the follower, or releases it.
    private func settle(_ outcome: Outcome, job: ImportJob, digest: String) async -> Outcome {
        switch outcome {
        case .submitted(_, let ids), .skipped(_, let ids, followable: true), .adopted(_, let ids):
            if options.wait {
                await queue.add(FollowQueue.Item(job: job, digest: digest, ids: ids, slots: slots(job)))
            } else {
                await ledger.release(job.name)
            }
        case .claimedElsewhere:
            break
        default:
            await ledger.release(job.name)
        }
        return outcome
    }

    /// A job another runner held when this run came to it.
    struct Held: Sendable {
        let job: ImportJob
        let runner: String
        /// What was left of the holder's claim when it was last seen.
        var secondsLeft: Double
    }

    /// Comes back to jobs other runners held, once this run's own are done: a holder that renews
    /// its claim is alive and keeps the job; one whose claim lapses (killed, cut off) or that lets
    /// go is done with it, and the job is decided afresh here (usually skipped: already submitted).
    /// Waits at most about one lease, checking every `interval`.
    func revisit(_ held: [Held], interval: Duration, into count: (Outcome) -> Void) async {
        var waiting = held
        while !waiting.isEmpty && !interrupt.isSet && !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if interrupt.isSet || Task.isCancelled { break }
            // One read of the waiting jobs per round: a job another runner has submitted meanwhile
            // is skipped without claiming it.
            let entries = (try? await ledger.entries(for: waiting.map(\.job.name))) ?? [:]
            var still: [Held] = []
            for item in waiting {
                let digest = JobDigest.digest(of: item.job)
                if let entry = entries[item.job.name], entry.digest == digest,
                    case .skip(let reason, let ids, _) = SubmitDecision.decide(entry: entry, digest: digest, options: options)
                {
                    observer.standing(JobStanding(entry))
                    observer.handle(.skipped(job: item.job.name, reason: "done by another runner: \(reason)"))
                    count(.skipped(item.job, ids, followable: false))
                    continue
                }
                let claim: ClaimResult
                do {
                    claim = try await ledger.claim(item.job.name)
                } catch {
                    still.append(item)
                    continue
                }
                switch claim {
                case .heldElsewhere(let runner, let left):
                    if runner != item.runner || left > item.secondsLeft + 0.5 {
                        // Renewed (or taken by another live runner): it is that runner's.
                        observer.handle(.note(job: item.job.name, message: "runner \(runner) is alive and keeps it; left to that runner"))
                        count(.claimedElsewhere(item.job, runner: runner, secondsLeft: left))
                    } else {
                        still.append(Held(job: item.job, runner: runner, secondsLeft: left))
                    }
                case .claimed:
                    count(await submit(item.job))
                }
            }
            waiting = still
        }
        for item in waiting { count(.claimedElsewhere(item.job, runner: item.runner, secondsLeft: item.secondsLeft)) }
    }

    /// The slots a job holds on its cluster while it runs: only Milvus clusters have the cap.
    /// On Milvus 2.2/2.3 each file group is a task of its own.
    private func slots(_ job: ImportJob) -> Int {
        guard job.target.api.capabilities.capsUnfinishedJobs else { return 0 }
        return gate.slots(forTasks: job.target.api.taskCount(forFileGroups: job.files.count))
    }

    private func submit(_ job: ImportJob, digest: String, known: LedgerEntry??) async -> Outcome {
        var entry: LedgerEntry?
        do {
            // A job the state already shows as done is skipped without a claim: a recorded id never
            // goes away. (Not one still running, with --wait: only its claimer follows it.)
            if let known {
                entry = known
            } else {
                entry = try await ledger.entry(for: job.name)
            }
            let done: Bool
            if let seen = entry, case .skip(_, _, let followable) = SubmitDecision.decide(entry: seen, digest: digest, options: options) {
                done = !(followable && options.wait)
            } else {
                done = false
            }
            if !done {
                // A shared state gives each job to one runner; the entry is read again after the
                // claim, so that what another runner recorded before it let go is seen.
                if case .heldElsewhere(let runner, let left) = try await ledger.claim(job.name) {
                    observer.handle(.claimedElsewhere(job: job.name, runner: runner, secondsLeft: left))
                    return .claimedElsewhere(job, runner: runner, secondsLeft: left)
                }
                // A state this process holds alone (the locked file) has nothing new to show.
                if ledger.ledger.isShared { entry = try await ledger.entry(for: job.name) }
            }
        } catch {
            observer.handle(.failed(job: job.name, error: "not sent: the state could not be read: \(error)"))
            return .ledgerFailed(job, created: false)
        }
        var doneGroups: [Int: String] = [:]
        var generation = 1
        var decision = SubmitDecision.decide(entry: entry, digest: digest, options: options)
        if case .skip = decision {
        } else if let refusal = await blocked.reason(for: job.target) {
            observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: refusal)))
            return .notSent(job)
        }
        // Before creating a job the state has no id for (no record, or a create whose outcome is
        // unknown), ask the target whether it already has it.
        let hasNoID = entry == nil || entry?.digest != digest || entry.map { $0.status == .intent || $0.status == .unknown } ?? false
        if let reconciler, hasNoID, !options.resubmit, entry.map({ $0.groupStatus.isEmpty }) ?? true {
            let outcomeUnknown: Bool
            switch decision {
            case .unknown: outcomeUnknown = true
            case .send: outcomeUnknown = entry?.digest == digest
            default: outcomeUnknown = false
            }
            switch await reconcile(job, digest: digest, entry: entry, with: reconciler, outcomeUnknown: outcomeUnknown) {
            case .done(let outcome): return outcome
            case .sendGroups(let groups):
                doneGroups = groups
                decision = .send(changedFrom: nil, generation: max(1, entry?.generation ?? 1))
            case .send:
                if case .unknown = decision { decision = .send(changedFrom: nil, generation: max(1, entry?.generation ?? 1)) }
            case .keepDecision:
                break
            }
        }
        switch decision {
        case .skip(let reason, let ids, let followable):
            if let entry { observer.standing(JobStanding(entry)) }
            observer.handle(.skipped(job: job.name, reason: reason))
            // A job still running from an earlier run counts against its cluster's cap too.
            if followable && options.wait {
                guard await gate.acquire(job.target.clusterKey, slots: slots(job)) else {
                    return .skipped(job, ids, followable: false)
                }
            }
            return .skipped(job, ids, followable: followable)
        case .unknown(let error, let advice):
            observer.handle(.unknown(job: job.name, error: error, advice: advice))
            return .unknown(job)
        case .resumeGroups:
            guard var entry else { break }
            generation = max(1, entry.generation)
            if let reconciler {
                do {
                    entry = try await reconcileGroups(job, digest: digest, entry: entry, with: reconciler, generation: generation)
                } catch {
                    observer.handle(.failed(job: job.name, error: "the state could not record what the target said: \(error)"))
                    return .ledgerFailed(job, created: true)
                }
            }
            switch await resumeGroups(job, entry) {
            case .unknown(let why):
                observer.handle(.unknown(job: job.name, error: why, advice: SubmitDecision.groupUnknownAdvice))
                return .unknown(job)
            case .resume(let keep, let notes):
                doneGroups = keep
                for note in notes { observer.handle(.note(job: job.name, message: note)) }
            }
        case .send(let changedFrom, let next):
            if let changedFrom { observer.handle(.changed(job: job.name, previousDigest: changedFrom)) }
            generation = next
        }
        let key = JobDigest.idempotencyKey(for: digest, generation: generation)

        if let missing = await collectionChecks.missing(job, service: service) {
            // Milvus 2.3 refuses such a create only after about 50 s of its own retries.
            try? await ledger.record(job, digest, .failed, error: missing)
            observer.handle(.failed(job: job.name, error: "\(missing) (asked the server before sending the import)"))
            return .failed(job)
        }
        let requests = builder.createRequests(for: job, idempotencyKey: key)
        let cluster = job.target.clusterKey
        let held = slots(job)
        if held > 0 {
            if await gate.wouldWait(cluster, slots: held) {
                observer.handle(.waitingForSlot(job: job.name, target: job.target.displayName, limit: gate.limit))
            }
            guard await gate.acquire(cluster, slots: held) else {
                observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: "not sent: waiting for a slot stopped")))
                return .notSent(job)
            }
        }
        if interrupt.isSet || Task.isCancelled {
            await gate.release(cluster, slots: held)
            observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: "not sent: the run was interrupted")))
            return .notSent(job)
        }
        if let refusal = await blocked.reason(for: job.target) {
            await gate.release(cluster, slots: held)
            observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: refusal)))
            return .notSent(job)
        }
        observer.handle(.started(job: job.name))
        var ids: [String] = []
        var unrecorded: Created?
        for (index, request) in requests.enumerated() {
            let group: Int? = requests.count > 1 || job.target.api.capabilities.createsOneTaskPerFileGroup ? index : nil
            if let group, let id = doneGroups[group] {
                ids.append(id)
                continue
            }
            // Only the last create's record is left to finish apart: each earlier one must be
            // durable before the next group's intent.
            let last = index == requests.count - 1
            switch await create(job, request, digest: digest, key: key, generation: generation, group: group, recordLater: last) {
            case .success(let created):
                ids += created.ids
                if created.pending != nil { unrecorded = created }
            case .failure(let stopped):
                await gate.release(cluster, slots: held)
                return stopped.outcome
            }
        }
        guard let unrecorded, let pending = unrecorded.pending else {
            observer.handle(.submitted(job: job.name, jobIDs: ids))
            return .submitted(job, ids)
        }
        let (all, sentGeneration) = (ids, generation)
        return .recording(
            job,
            Outcome.Finish {
                do {
                    try await pending.durable()
                } catch {
                    let stopped = await self.unrecordable(
                        job, digest, ids: unrecorded.ids, group: unrecorded.group, attempt: unrecorded.attempt, key: key,
                        generation: sentGeneration, error: error)
                    await gate.release(cluster, slots: held)
                    return stopped.outcome
                }
                observer.handle(.submitted(job: job.name, jobIDs: all))
                return .submitted(job, all)
            })
    }

    /// A create's answer: its ids, and, when its record was only accepted, the wait for it.
    private struct Created: Sendable {
        var ids: [String]
        var group: Int?
        var attempt: Int
        var pending: PendingAppend?
    }

    /// What reconciliation leaves to do.
    private enum AfterReconciling {
        /// Settled: adopted, or failed on the target.
        case done(Outcome)
        /// One task per file group: these groups' tasks exist; send the others.
        case sendGroups([Int: String])
        /// The target's answer is complete and has no such job: send it.
        case send
        /// The target could not tell: decide as without reconciliation.
        case keepDecision
    }

    /// Asks the target about `job` and records what it says: an adopted job with its ids, a failed
    /// one with its reason. `outcomeUnknown` when an earlier create may have reached the target.
    private func reconcile(
        _ job: ImportJob, digest: String, entry: LedgerEntry?, with reconciler: Reconciler, outcomeUnknown: Bool
    ) async -> AfterReconciling {
        let generation = max(1, entry?.digest == digest ? entry?.generation ?? 1 : 1)
        let key = JobDigest.idempotencyKey(for: digest, generation: generation)
        let perGroup = job.target.api.capabilities.createsOneTaskPerFileGroup
        do {
            switch await reconciler.reconcile(job) {
            case .adopt(let ids, let groupIDs, _, let note):
                if perGroup {
                    try await recordAdopted(job, digest, groupIDs: groupIDs, key: key, generation: generation, note: note)
                } else {
                    try await ledger.record(
                        job, digest, .submitted, ids: ids, key: key, generation: generation, note: "adopted from the target: \(note)")
                }
                observer.handle(.adopted(job: job.name, jobIDs: ids, note: note))
                return .done(.adopted(job, ids))
            case .partial(let groupIDs, let note):
                try await recordAdopted(job, digest, groupIDs: groupIDs, key: key, generation: generation, note: note)
                observer.handle(
                    .note(
                        job: job.name,
                        message: "adopted \(groupIDs.count) file group(s) the target already had (\(note)); sending the others"))
                return .sendGroups(groupIDs)
            case .failed(let ids, let reason, let note):
                try await ledger.record(
                    job, digest, .failed, ids: ids, error: reason, key: key, generation: generation, note: "found on the target: \(note)")
                observer.handle(
                    .failed(
                        job: job.name,
                        error:
                            "the target already had it as job \(ids.joined(separator: ", ")), which failed: \(reason); the next run sends it again under a new Idempotency-Key"
                    ))
                return .done(.failed(job))
            case .absent(let note):
                let age = WallClock.now() - (entry?.lastRecorded ?? 0)
                let settles = RetryPolicy.seconds(options.unknownCreateSettles)
                if outcomeUnknown && age < settles && !options.retryUnknown {
                    observer.handle(
                        .note(
                            job: job.name,
                            message:
                                "the target has no such job yet (\(note)), but the earlier create was sent \(Int(age)) s ago and may still be in the server's hands; run again in \(Int((settles - age).rounded(.up))) s"
                        ))
                    return .keepDecision
                }
                if outcomeUnknown {
                    observer.handle(
                        .note(
                            job: job.name, message: "the target has no such job (\(note)); sending it again with the same Idempotency-Key"))
                }
                return .send
            case .cannotTell(let why):
                // A target that refuses the credentials or cannot be reached refuses the create too:
                // said once for the target, and its jobs are not sent.
                if let error = await reconciler.listError(for: job), error.isAuthenticationFailure || error.isUnreachable {
                    let target = job.target
                    let what = error.isAuthenticationFailure ? "refused the credentials" : "cannot be reached"
                    if await blocked.block(target, reason: "not sent: \(target.described) \(what) (see that error above)") {
                        observer.handle(.failed(job: job.name, error: Self.targetWideMessage(error, target: target)))
                        return .done(.failed(job))
                    }
                    let reason = await blocked.reason(for: target) ?? what
                    observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: reason)))
                    return .done(.notSent(job))
                }
                if outcomeUnknown && !options.retryUnknown {
                    observer.handle(.note(job: job.name, message: "asked the target, which cannot tell: \(why)"))
                }
                return .keepDecision
            }
        } catch {
            observer.handle(.failed(job: job.name, error: "the state could not record what the target said: \(error)"))
            return .done(.ledgerFailed(job, created: true))
        }
    }

    /// Records the target's tasks of file groups as this job's, in group order.
    private func recordAdopted(
        _ job: ImportJob, _ digest: String, groupIDs: [Int: String], key: String, generation: Int, note: String
    ) async throws {
        for (group, id) in groupIDs.sorted(by: { $0.key < $1.key }) {
            try await ledger.record(
                job, digest, .submitted, ids: [id], group: group, key: key, generation: generation, note: "adopted from the target: \(note)"
            )
        }
    }

    /// One task per file group: the groups whose create may have reached the target without a
    /// task id being recorded are looked up there. A group the target has a task for is adopted
    /// (recorded with it); when the target's answer is complete and the create has settled, the
    /// others are known not to exist and may be sent. Returns the entry as the resume should see it.
    private func reconcileGroups(
        _ job: ImportJob, digest: String, entry: LedgerEntry, with reconciler: Reconciler, generation: Int
    ) async throws -> LedgerEntry {
        let unsure = entry.groupStatus.filter { group, status in
            entry.groupIDs[group] == nil && (status == .intent || status == .unknown)
        }.keys.sorted()
        guard !unsure.isEmpty else { return entry }
        let key = JobDigest.idempotencyKey(for: digest, generation: generation)
        var entry = entry
        var found: [Int: String] = [:]
        var complete = false
        var note = ""
        switch await reconciler.reconcile(job) {
        case .adopt(_, let groupIDs, _, let why):
            (found, complete, note) = (groupIDs, true, why)
        case .partial(let groupIDs, let why):
            (found, complete, note) = (groupIDs, true, why)
        case .absent(let why):
            (complete, note) = (true, why)
        case .failed, .cannotTell:
            return entry
        }
        let settled = WallClock.now() - entry.lastRecorded >= RetryPolicy.seconds(options.unknownCreateSettles)
        for group in unsure {
            if let id = found[group] {
                try await recordAdopted(job, digest, groupIDs: [group: id], key: key, generation: generation, note: note)
                observer.handle(.note(job: job.name, message: "file group \(group): the target already had task \(id); adopted"))
                entry.groupIDs[group] = id
                entry.groupStatus[group] = .submitted
            } else if complete && settled {
                // Not on the target, and no longer in its hands: the group may be sent again.
                observer.handle(.note(job: job.name, message: "file group \(group): the target has no such task; sending it again"))
                entry.groupStatus[group] = nil
            }
        }
        return entry
    }

    private enum GroupResume {
        case unknown(String)
        case resume([Int: String], notes: [String])
    }

    /// Asks the server about each recorded task of an earlier, unfinished per-group job, in group
    /// order, and folds ``SubmitDecision/resume(group:entry:retryUnknown:probe:)`` over the groups,
    /// stopping at the first that makes the job unknown.
    private func resumeGroups(_ job: ImportJob, _ entry: LedgerEntry) async -> GroupResume {
        var keep: [Int: String] = [:]
        var notes: [String] = []
        for group in 0..<job.files.count {
            var probe: SubmitDecision.GroupProbe?
            if let id = entry.groupIDs[group] {
                do {
                    probe = .state(try await service.progress(of: job, jobID: id))
                } catch {
                    probe = error.isJobNotFound ? .notFound : .unreadable("\(error)")
                }
            }
            switch SubmitDecision.resume(group: group, entry: entry, retryUnknown: options.retryUnknown, probe: probe) {
            case .keep(let id, let note):
                keep[group] = id
                notes.append(note)
            case .send(let note):
                if let note { notes.append(note) }
            case .unknown(let why):
                return .unknown(why)
            }
        }
        return .resume(keep, notes: notes)
    }

    /// A created job whose ids the state could not record: said, recorded late where the state
    /// comes back, and the run stops submitting.
    private func unrecordable(
        _ job: ImportJob, _ digest: String, ids: [String], group: Int?, attempt: Int, key: String, generation: Int, error: any Error
    ) async -> Stopped {
        let recovers = ledger.ledger.recoversFromFailures
        observer.handle(
            .unknown(
                job: job.name,
                error: "job \(ids.joined(separator: ", ")) was created, but the state could not record it: \(error)",
                advice: recovers
                    ? "recording the id as soon as the state is back"
                    : "note the job id; the next run looks it up on the target (or record it with bulk-import resolve)"))
        // A database that comes back takes the id late; the run still stops submitting.
        if recovers, await recordWhenBack(job, digest, ids: ids, group: group, attempt: attempt, key: key, generation: generation) {
            observer.handle(.note(job: job.name, message: "job \(ids.joined(separator: ", "))'s id was recorded once the state was back"))
            return Stopped(.ledgerFailed(job, created: true, recorded: true))
        }
        return Stopped(.ledgerFailed(job, created: true))
    }

    /// Tries to record a created job's ids until the state takes them (a database back after a
    /// restart), for at most ``RunOptions/recordRetryWindow``, or until the run is stopped.
    private func recordWhenBack(
        _ job: ImportJob, _ digest: String, ids: [String], group: Int?, attempt: Int, key: String, generation: Int
    ) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + options.recordRetryWindow
        var delay = Duration.milliseconds(250)
        while clock.now < end && !Task.isCancelled {
            try? await Task.sleep(for: min(delay, end - clock.now))
            do {
                try await ledger.record(job, digest, .submitted, ids: ids, group: group, attempt: attempt, key: key, generation: generation)
                return true
            } catch {
                delay = min(delay * 2, .seconds(5))
            }
        }
        return false
    }

    /// Why a create ended the job's submission, as the job's outcome.
    private struct Stopped: Error {
        let outcome: Outcome
        init(_ outcome: Outcome) { self.outcome = outcome }
    }

    /// Sends one create, its intent durable first, and records its ids: durably before it
    /// returns, or with `recordLater` only accepted (``Created/pending`` waits for it).
    private func create(
        _ job: ImportJob, _ request: ImportRequest, digest: String, key: String, generation: Int, group: Int?, recordLater: Bool = false
    ) async -> Result<Created, Stopped> {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await ledger.record(job, digest, .intent, group: group, attempt: attempt, key: key, generation: generation)
            } catch {
                observer.handle(.failed(job: job.name, error: "not sent: the state could not record it: \(error)"))
                return .failure(Stopped(.ledgerFailed(job, created: false)))
            }
            if job.target.api.capabilities.isRateLimitedPerEndpoint { await limiter.acquire(job.target.endpoint.host) }
            if Task.isCancelled {
                // Cancelled before it was sent: record that, so that the next run sends it again.
                let reason = "not sent: the run was cancelled"
                try? await ledger.record(
                    job, digest, .failed, group: group, attempt: attempt, error: reason, key: key, generation: generation)
                observer.handle(.failed(job: job.name, error: reason))
                return .failure(Stopped(.failed(job)))
            }
            do {
                // A create, once it is to be sent, runs in a task of its own that the run's
                // cancellation does not reach: a create cancelled in flight may or may not have
                // made the job, an unknown outcome the next run could only report, never resolve.
                // Its answer is recorded instead, and the run stops after it.
                let sent = Task { () async -> Result<[String], ImportError> in
                    do throws(ImportError) { return .success(try await service.create(request, api: job.target.api)) } catch {
                        return .failure(error)
                    }
                }
                let ids = try await sent.value.get()
                if recordLater {
                    let pending = await ledger.recordLater(
                        job, digest, .submitted, ids: ids, group: group, attempt: attempt, key: key, generation: generation)
                    return .success(Created(ids: ids, group: group, attempt: attempt, pending: pending))
                }
                do {
                    try await ledger.record(
                        job, digest, .submitted, ids: ids, group: group, attempt: attempt, key: key, generation: generation)
                } catch {
                    return .failure(
                        await unrecordable(
                            job, digest, ids: ids, group: group, attempt: attempt, key: key, generation: generation, error: error))
                }
                return .success(Created(ids: ids, group: group, attempt: attempt))
            } catch {
                // --retry-unknown sends an ambiguous create again, but what is recorded when it stops
                // is still what the error says: a create that may have made the job is unknown,
                // never failed, or the next run would send it again without being asked to.
                let outcomeClass = error.createRetryClass
                let retries = outcomeClass == .retryable || (outcomeClass == .ambiguous && options.retryUnknown)
                if retries && attempt < options.retry.maxAttempts && !interrupt.isSet && !Task.isCancelled {
                    let (delay, clamped) = options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                    observer.handle(
                        .retrying(
                            job: job.name, attempt: attempt, delaySeconds: RetryPolicy.seconds(delay),
                            error: error.description, clamped: clamped))
                    // Ends early when the run is cancelled: then the create is not sent again.
                    try? await Task.sleep(for: delay)
                    if !Task.isCancelled { continue }
                }
                if outcomeClass == .ambiguous {
                    try? await ledger.record(
                        job, digest, .unknown, group: group, attempt: attempt, error: error.description, key: key, generation: generation)
                    observer.handle(
                        .unknown(
                            job: job.name, error: error.description,
                            advice:
                                "the create may have reached the server; check the target's jobs (bulk-import list) before re-running with --retry-unknown"
                        ))
                    return .failure(Stopped(.unknown(job)))
                }
                try? await ledger.record(
                    job, digest, .failed, group: group, attempt: attempt, error: error.description, key: key, generation: generation)
                if error.isTargetWide {
                    // Every job of the target would fail alike: said once, and the others are not sent.
                    let target = job.target
                    let what = error.isAuthenticationFailure ? "refused the credentials" : "cannot be reached"
                    if await blocked.block(target, reason: "not sent: \(target.described) \(what) (see that error above)") {
                        observer.handle(.failed(job: job.name, error: Self.targetWideMessage(error, target: target)))
                        return .failure(Stopped(.failed(job)))
                    }
                    let reason = await blocked.reason(for: target) ?? what
                    observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: reason)))
                    return .failure(Stopped(.notSent(job)))
                }
                observer.handle(.failed(job: job.name, error: error.description))
                return .failure(Stopped(.failed(job)))
            }
        }
    }

    /// The one line that reports a failure every job of `target` would meet; `consequence` says
    /// what the run does about the target's other jobs.
    static func targetWideMessage(
        _ error: ImportError, target: ImportTarget, consequence: String = "No other job is sent to this target"
    ) -> String {
        if error.isAuthenticationFailure {
            return "\(target.described) refused the credentials (\(error.description)): \(target.credentialAdvice). \(consequence)"
        }
        if error.isUnreachable { return "\(target.described): \(error.message). \(consequence)" }
        return "\(target.described) cannot be reached after retries: \(error.description). \(consequence)"
    }
}
