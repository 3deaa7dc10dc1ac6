import ServiceLifecycle

/// Submits jobs concurrently, records every step in the ledger before and after it happens, retries
/// only what cannot import twice, and follows the jobs to the end.
///
/// It wires a ``Submitter`` (the creates) to a ``Follower`` (the polls) through a ``FollowQueue``
/// and an ``UnfinishedJobGate``. Stopping has two stages, as in swift-service-lifecycle: a graceful
/// shutdown (the `interrupt` flag set, e.g. on Ctrl-C, or the service group's graceful shutdown
/// when run inside one) stops new submissions and ends waiting; cancelling the task running
/// ``run(_:)`` or ``status(_:)`` does that too and also ends every wait and retry at once. Creates
/// already in flight finish either way, and are recorded.
public struct ImportExecutor: Sendable {
    public let service: any ImportService
    /// Where every step is recorded: the file ledger, or a shared state.
    public let ledger: any StateStore
    public let builder: RequestBuilder
    public let options: RunOptions
    public let observer: any RunObserver
    public let interrupt: InterruptFlag
    /// Masks the secrets of the run in what the ledger records.
    public let redactor: Redactor
    private let limiter: RateLimiter
    private let collectionChecks = CollectionChecks()
    /// Targets that refused the credentials or cannot be reached, shared by submitting and following.
    private let blocked = BlockedTargets()

    public init(
        service: any ImportService, ledger: any StateStore, builder: RequestBuilder = RequestBuilder(), options: RunOptions = RunOptions(),
        observer: any RunObserver, interrupt: InterruptFlag = InterruptFlag(), redactor: Redactor = Redactor()
    ) {
        self.service = service
        self.ledger = ledger
        self.builder = builder
        self.options = options
        self.observer = observer
        self.interrupt = interrupt
        self.redactor = redactor
        limiter = RateLimiter(requestsPerSecond: options.zillizRequestsPerSecond)
    }

    private var recorder: JobRecorder { JobRecorder(ledger: ledger, redactor: redactor) }

    private var follower: Follower {
        Follower(
            service: service, ledger: recorder, options: options, observer: observer, interrupt: interrupt, limiter: limiter,
            blocked: blocked)
    }

    /// Runs `jobs`: submits them (at most `concurrency` at once) and, with `wait`, follows them while
    /// later ones are still being submitted, keeping each Milvus cluster under the unfinished-job cap.
    public func run(_ jobs: [ImportJob]) async -> RunSummary {
        await stoppable {
            var summary = RunSummary()
            summary.selected = jobs.count
            let queue = FollowQueue()
            let gate = UnfinishedJobGate(limit: options.wait ? options.unfinishedJobLimit : 0)
            let submitter = Submitter(
                service: service, ledger: recorder, builder: builder, options: options, observer: observer, interrupt: interrupt,
                limiter: limiter, collectionChecks: collectionChecks, reconciler: options.reconcile ? Reconciler(service: service) : nil,
                gate: gate, queue: queue, blocked: blocked)
            let follower = follower
            // Atomic groups run on their own, after the other jobs are sent (AtomicGroupRunner).
            let (jobs, groups) = AtomicGroupRunner.partition(jobs)

            async let followed = options.wait ? follower.follow(queue, gate: gate) : Follower.Tally()
            await submitter.submitAll(jobs, into: &summary)
            await runAtomic(groups, into: &summary)
            await queue.finish()
            await followed.add(to: &summary)
            await follower.leftOver(queue).add(to: &summary)
            if interrupt.isSet && !summary.interrupted {
                summary.interrupted = true
                observer.handle(.interrupted)
            }
            return summary
        }
    }

    /// Runs each atomic group to its end, one after the other.
    private func runAtomic(_ groups: [(name: String, jobs: [ImportJob])], into summary: inout RunSummary) async {
        guard !groups.isEmpty else { return }
        guard let service = service as? any TwoPhaseImportService else {
            for job in groups.flatMap(\.jobs) {
                observer.handle(.failed(job: job.name, error: "not sent: this service has no commit or abort"))
            }
            summary.failed += groups.reduce(0) { $0 + $1.jobs.count }
            return
        }
        let runner = AtomicGroupRunner(
            service: service, ledger: recorder, builder: builder, options: options, observer: observer, interrupt: interrupt)
        for group in groups {
            if interrupt.isSet || Task.isCancelled { break }
            await runner.run(group.name, group.jobs, into: &summary)
        }
    }

    /// Polls the jobs the ledger says were submitted (once, or until the end with `wait`).
    ///
    /// - Throws: the state's error when it cannot be read.
    public func status(_ jobs: [ImportJob]) async throws -> RunSummary {
        // One read of the whole state: a shared one answers it in one query.
        let entries = Dictionary(try await ledger.entries().map { ($0.job, $0) }, uniquingKeysWith: { $1 })
        return await stoppable {
            // Every selected job is counted, also those the state does not hold (never submitted,
            // or changed since): the summary and the display count the same jobs.
            var summary = RunSummary()
            summary.selected = jobs.count
            var toFollow: [FollowQueue.Item] = []
            for job in jobs {
                let digest = JobDigest.digest(of: job)
                guard let entry = entries[job.name], entry.digest == digest else {
                    summary.notSubmitted += 1
                    let reason =
                        entries[job.name] == nil ? "not in the state: never submitted" : "changed since it was submitted: not submitted"
                    observer.standing(JobStanding(job: job.name, status: .notSubmitted(reason: reason)))
                    continue
                }
                observer.standing(JobStanding(entry))
                switch entry.status {
                case .submitted:
                    toFollow.append(FollowQueue.Item(job: job, digest: digest, ids: entry.jobIDs, slots: 0, lastProgress: entry.progress))
                case .completed:
                    summary.completed += 1
                    observer.handle(.note(job: job.name, message: "completed as job \(entry.jobIDs.joined(separator: ", "))"))
                case .failed:
                    summary.failed += 1
                    // A failure the server answered with zeros was recorded at the progress last seen.
                    let seen = (entry.progress ?? 0) > 0 ? " (at \(entry.progress!)% when last seen)" : ""
                    observer.handle(.failed(job: job.name, error: (entry.lastError ?? "failed") + seen))
                case .intent, .unknown:
                    summary.unknown += 1
                    observer.handle(
                        .unknown(
                            job: job.name, error: entry.lastError ?? "no job id was recorded",
                            advice: "see `bulk-import run --retry-unknown`"))
                case .cleanedUp: summary.cleanedUp += 1
                }
            }
            if !toFollow.isEmpty {
                let queue = FollowQueue(toFollow, finished: true)
                await follower.follow(queue, gate: UnfinishedJobGate(limit: 0)).add(to: &summary)
                await follower.leftOver(queue).add(to: &summary)
            }
            return summary
        }
    }

    /// Runs `body` with both stages of stopping mapped onto the interrupt flag: a graceful shutdown
    /// of the service group it runs in (if any), and cancellation of the current task.
    private func stoppable(_ body: () async -> RunSummary) async -> RunSummary {
        let interrupt = interrupt
        return await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await body()
            } onGracefulShutdown: {
                interrupt.set()
            }
        } onCancel: {
            interrupt.set()
        }
    }
}
