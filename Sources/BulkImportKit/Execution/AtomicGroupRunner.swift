/// Runs the jobs of one atomic group (`atomic: true`): all visible, or none.
///
/// Every job is created with `auto_commit: "false"` (its digest stays its own), followed until all
/// are `Uncommitted`, then all are committed; if any create or import fails, all are aborted and
/// nothing becomes visible. Each phase is in the state before it acts:
/// - `intent`/`submitted` for each create, `progress` when a job reaches `Uncommitted`;
/// - `commit-decided` for every job in one append, before the first commit: from then on the
///   group commits, whatever happens (a later run commits what is left);
/// - `committed` per job once the server took its commit, then `completed`;
/// - `abort-decided` for every job, before the first abort, then `aborted` per job.
///
/// A run that finds the group part-way resumes it: a commit decided is carried out; a group left
/// before its decision (a crash, Ctrl-C, a wait that timed out) is aborted, and then sent afresh
/// under new Idempotency-Keys. A create whose id was never recorded may have left a job on the
/// server: it is never committed, so it never becomes visible (said in a note).
struct AtomicGroupRunner: Sendable {
    let service: any TwoPhaseImportService
    let ledger: JobRecorder
    let builder: RequestBuilder
    let options: RunOptions
    let observer: any RunObserver
    let interrupt: InterruptFlag

    /// One job of the group, as the runner tracks it.
    private struct Member: Sendable {
        let job: ImportJob
        let digest: String
        var entry: LedgerEntry?
        /// The ids of its latest create (an earlier, aborted sending's are not this one's).
        var ids: [String] { entry?.currentJobIDs ?? [] }
    }

    /// The jobs without a group, and each group's jobs in manifest order (groups in first-seen order).
    /// A manifest without atomic groups gets its own array back, not a copy: at 100,000 jobs the copy
    /// was a third of `run`'s peak heap (52 MB).
    static func partition(_ jobs: [ImportJob]) -> (plain: [ImportJob], groups: [(name: String, jobs: [ImportJob])]) {
        guard jobs.contains(where: { $0.atomicGroup != nil }) else { return (jobs, []) }
        var plain: [ImportJob] = []
        var groups: [(name: String, jobs: [ImportJob])] = []
        for job in jobs {
            guard let name = job.atomicGroup else {
                plain.append(job)
                continue
            }
            if let index = groups.firstIndex(where: { $0.name == name }) {
                groups[index].jobs.append(job)
            } else {
                groups.append((name, [job]))
            }
        }
        return (plain, groups)
    }

    /// Runs one group to its end (or until the run is stopped), counting into `summary`.
    func run(_ group: String, _ jobs: [ImportJob], into summary: inout RunSummary) async {
        var members = jobs.map { Member(job: $0, digest: JobDigest.digest(of: $0)) }
        do {
            let entries = try await ledger.entries(for: jobs.map(\.name))
            for i in members.indices {
                members[i].entry = entries[members[i].job.name].flatMap { $0.digest == members[i].digest ? $0 : nil }
            }
        } catch {
            fail(members, "not sent: the state could not be read: \(error)", into: &summary)
            return
        }
        let label = "atomic group \(group.clipped())"
        if members.allSatisfy({ $0.entry?.status == .completed }) {
            for member in members {
                observer.handle(
                    .skipped(
                        job: member.job.name, reason: "already committed with its atomic group as job \(member.ids.joined(separator: ", "))"
                    ))
            }
            summary.skipped += members.count
            return
        }
        let marks = members.compactMap { $0.entry?.twoPhase }
        if marks.contains(where: \.commits) {
            note(members, "\(label): resuming its decided commit")
            await commit(&members, label: label, into: &summary)
            return
        }
        let leftOver = members.filter { member in
            guard let entry = member.entry, entry.twoPhase != .aborted else { return false }
            return entry.status == .submitted || entry.status == .intent || entry.status == .unknown
        }
        if !leftOver.isEmpty {
            note(
                members,
                "\(label): an earlier run stopped before its commit was decided; aborting what it created, then sending the group afresh")
            guard await abort(&members, label: label, reason: "an earlier run stopped before the group's commit was decided") else {
                fail(members, "\(label): the earlier attempt could not be aborted; nothing is sent again", into: &summary)
                return
            }
        }
        await fresh(&members, label: label, into: &summary)
    }

    // MARK: Phases

    /// Creates every job uncommitted, follows them to `Uncommitted`, decides, and commits or aborts.
    private func fresh(_ members: inout [Member], label: String, into summary: inout RunSummary) async {
        // A server without two-phase imports refuses the group before anything is sent to it.
        var asked: [String: TwoPhaseVerdict] = [:]
        for member in members where asked[member.job.target.clusterKey] == nil {
            asked[member.job.target.clusterKey] = await service.twoPhaseSupport(of: member.job.target)
        }
        for member in members {
            switch asked[member.job.target.clusterKey] {
            case .unsupported(let why)?, .cannotTell(let why)?:
                fail(
                    members,
                    "\(label) not sent: \(member.job.target.displayName.clipped()) cannot be used for an atomic import: \(why). Nothing was created",
                    into: &summary)
                return
            default: break
            }
        }
        for i in members.indices {
            if interrupt.isSet || Task.isCancelled { break }
            let generation = (members[i].entry?.generation ?? 0) + 1
            guard await create(&members[i], generation: generation) else {
                _ = await abort(&members, label: label, reason: "job \(quoted: members[i].job.name) could not be created")
                count(members, failed: true, into: &summary)
                return
            }
            summary.submitted += 1
        }
        if interrupt.isSet || Task.isCancelled {
            stopped(members, label: label, into: &summary)
            return
        }
        switch await follow(members, until: .uncommitted) {
        case .reached:
            break
        case .failed(let name, let why):
            _ = await abort(&members, label: label, reason: "job \(quoted: name) failed on the server (\(why))")
            count(members, failed: true, into: &summary)
            return
        case .stopped:
            stopped(members, label: label, into: &summary)
            return
        }
        // The decision, for every job in one append: from here the group commits.
        do {
            try await ledger.ledger.append(
                members.map { record($0, .commitDecided, note: "\(label): every job is Uncommitted; committing") })
        } catch {
            _ = await abort(&members, label: label, reason: "the commit decision could not be recorded: \(error)")
            count(members, failed: true, into: &summary)
            return
        }
        await commit(&members, label: label, into: &summary)
    }

    /// Commits every job not yet committed, then follows them to `Completed`.
    private func commit(_ members: inout [Member], label: String, into summary: inout RunSummary) async {
        var problems: [String] = []
        for member in members where member.entry?.twoPhase != .committed && member.entry?.status != .completed {
            for id in member.ids {
                var attempt = 0
                while true {
                    attempt += 1
                    do {
                        try await service.commit(member.job, jobID: id)
                        try? await ledger.ledger.append([record(member, .committed)])
                        break
                    } catch {
                        if error.readRetryClass == .retryable && attempt < options.retry.maxAttempts && !Task.isCancelled {
                            try? await Task.sleep(for: options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter).delay)
                            continue
                        }
                        problems.append("job \(quoted: member.job.name) (\(id)): \(error.description)")
                        break
                    }
                }
            }
        }
        if !problems.isEmpty {
            for member in members {
                observer.handle(
                    .unknown(
                        job: member.job.name,
                        error: "\(label) decided to commit, but the server refused: " + problems.joined(separator: "; "),
                        advice: "run again: the decided commit is carried out (the state keeps the decision)"))
            }
            summary.unknown += members.count
            return
        }
        switch await follow(members, until: .completed) {
        case .reached:
            summary.completed += members.count
        case .failed(let name, let why):
            for member in members {
                observer.handle(
                    .failed(job: member.job.name, error: "\(label) was committed, but job \(quoted: name) failed while committing: \(why)"))
            }
            summary.importFailed += members.count
        case .stopped:
            for member in members { observer.handle(.stillRunning(job: member.job.name, progress: nil)) }
            summary.stillRunning += members.count
        }
    }

    /// Decides to abort (recorded for every job with an id), then aborts each. Whether every job
    /// that was created is aborted (or had ended Failed).
    private func abort(_ members: inout [Member], label: String, reason: String) async -> Bool {
        let created = members.filter { !$0.ids.isEmpty && $0.entry?.twoPhase != .aborted && $0.entry?.status != .failed }
        let unsure = members.filter { $0.ids.isEmpty && ($0.entry?.status == .intent || $0.entry?.status == .unknown) }
        if !unsure.isEmpty {
            note(
                unsure,
                "its create may have reached the server without an id being recorded; such a job is never committed, so it never becomes visible"
            )
        }
        guard !created.isEmpty else { return true }
        try? await ledger.ledger.append(created.map { record($0, .abortDecided, error: reason, note: "\(label): aborting: \(reason)") })
        var all = true
        for member in created {
            var done = true
            for id in member.ids {
                do {
                    try await service.abort(member.job, jobID: id)
                } catch {
                    // A job that failed on its own has nothing to abort.
                    if let progress = try? await service.progress(of: member.job, jobID: id), progress.state == .failed { continue }
                    if error.isJobNotFound { continue }
                    done = false
                    observer.handle(.note(job: member.job.name, message: "its abort was refused: \(error.description)"))
                }
            }
            if done {
                try? await ledger.ledger.append([record(member, .aborted, error: "\(label) aborted: \(reason)")])
            }
            all = all && done
        }
        return all
    }

    // MARK: Steps

    /// Records the intent, sends the uncommitted create (retried only when it certainly made
    /// nothing), and records the ids. Whether the job was created.
    private func create(_ member: inout Member, generation: Int) async -> Bool {
        let job = member.job
        let key = JobDigest.idempotencyKey(for: member.digest, generation: generation)
        guard let request = builder.createRequests(for: job.uncommitted, idempotencyKey: key).first else { return false }
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await ledger.record(job, member.digest, .intent, attempt: attempt, key: key, generation: generation)
            } catch {
                observer.handle(.failed(job: job.name, error: "not sent: the state could not record it: \(error)"))
                return false
            }
            do {
                observer.handle(.started(job: job.name))
                let ids = try await service.create(request, api: job.target.api)
                try await ledger.record(job, member.digest, .submitted, ids: ids, attempt: attempt, key: key, generation: generation)
                member.entry = try await ledger.entry(for: job.name)
                observer.handle(.submitted(job: job.name, jobIDs: ids))
                return true
            } catch let error as ImportError {
                if error.createRetryClass == .retryable && attempt < options.retry.maxAttempts && !Task.isCancelled {
                    try? await Task.sleep(for: options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter).delay)
                    continue
                }
                let event: LedgerRecord.Event = error.createRetryClass == .ambiguous ? .unknown : .failed
                try? await ledger.record(
                    job, member.digest, event, attempt: attempt, error: error.description, key: key, generation: generation)
                member.entry = try? await ledger.entry(for: job.name)
                observer.handle(.failed(job: job.name, error: error.description))
                return false
            } catch {
                observer.handle(.failed(job: job.name, error: "the state could not record the create: \(error)"))
                member.entry = try? await ledger.entry(for: job.name)
                return false
            }
        }
    }

    private enum FollowResult {
        case reached
        case failed(String, String)
        case stopped
    }

    /// Polls every job until all reach `state` (`Uncommitted`, or `Completed`), one fails, or the
    /// run is stopped (Ctrl-C, cancellation, `--wait-timeout`).
    private func follow(_ members: [Member], until state: JobState) async -> FollowResult {
        let deadline = options.waitTimeout.map { ContinuousClock.now + $0 }
        var last: [String: JobState] = [:]
        var done = Set<String>()
        while true {
            for member in members where !done.contains(member.job.name) {
                for id in member.ids {
                    guard let progress = try? await service.progress(of: member.job, jobID: id) else { continue }
                    if last[member.job.name] != progress.state {
                        last[member.job.name] = progress.state
                        let event: LedgerRecord.Event = progress.state == .completed ? .completed : .progress
                        try? await ledger.record(member.job, member.digest, event, ids: member.ids, progress: progress)
                        if progress.state == .completed {
                            observer.handle(.completed(job: member.job.name, progress: progress))
                        } else {
                            observer.handle(.progress(job: member.job.name, progress: progress))
                        }
                    }
                    if progress.state == .failed { return .failed(member.job.name, progress.reason ?? "no reason given") }
                    if progress.state == state || (state == .uncommitted && progress.state == .completed) { done.insert(member.job.name) }
                }
            }
            if done.count == members.count { return .reached }
            if interrupt.isSet || Task.isCancelled { return .stopped }
            if let deadline, ContinuousClock.now >= deadline { return .stopped }
            let interval = RetryPolicy.seconds(options.pollInterval)
            await interrupt.sleep(for: .milliseconds(Int64(interval * Double.random(in: 0.8...1.2) * 1000)))
        }
    }

    // MARK: Saying it

    private func record(_ member: Member, _ event: LedgerRecord.Event, error: String? = nil, note: String? = nil) -> LedgerRecord {
        LedgerRecord(
            event: event, job: member.job.name, digest: member.digest, target: member.job.target.displayName,
            api: member.job.target.api.rawValue, jobIDs: member.ids, error: error.map(ledger.redactor.redact),
            generation: member.entry?.generation, note: note.map(ledger.redactor.redact))
    }

    private func note(_ members: [Member], _ message: String) {
        for member in members { observer.handle(.note(job: member.job.name, message: message)) }
    }

    private func fail(_ members: [Member], _ message: String, into summary: inout RunSummary) {
        for member in members { observer.handle(.failed(job: member.job.name, error: message)) }
        summary.failed += members.count
    }

    private func count(_ members: [Member], failed: Bool, into summary: inout RunSummary) {
        for member in members where member.ids.isEmpty == false {
            observer.handle(.note(job: member.job.name, message: "aborted with its atomic group: nothing of it becomes visible"))
        }
        summary.failed += members.count
    }

    private func stopped(_ members: [Member], label: String, into summary: inout RunSummary) {
        for member in members {
            observer.handle(
                .stillRunning(job: member.job.name, progress: nil))
        }
        note(members, "\(label) stopped before its commit was decided: nothing is visible; the next run aborts it and sends it afresh")
        summary.stillRunning += members.count
    }
}
