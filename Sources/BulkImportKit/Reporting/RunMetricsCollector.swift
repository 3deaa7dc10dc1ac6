import NIOConcurrencyHelpers

/// Watches a run's events for what its metrics need and the summary does not hold per job: the
/// state each job was last seen in, its retries, the rows it imported, whether it was adopted.
///
/// Observers are called from many tasks at once; it keeps its tallies under a lock.
public final class RunMetricsCollector: RunObserver {
    /// What the events said about one job.
    public struct JobTally: Sendable, Hashable {
        /// The state the latest event put the job in, if any did.
        public var state: MetricsReport.JobState?
        public var retries = 0
        /// The imported rows of the latest progress seen.
        public var rowsImported: Int?
        public var adopted = false
        public var unknownOutcome = false

        public init() {}
    }

    private let tallies = NIOLockedValueBox<[String: JobTally]>([:])

    public init() {}

    /// What the events said, by job name.
    public var jobs: [String: JobTally] { tallies.withLockedValue { $0 } }

    public func handle(_ event: RunEvent) {
        switch event {
        case .submitted(let job, _): update(job) { $0.state = .submitted }
        case .adopted(let job, _, _):
            update(job) {
                $0.state = .submitted
                $0.adopted = true
            }
        case .retrying(let job, _, _, _, _): update(job) { $0.retries += 1 }
        case .failed(let job, _): update(job) { $0.state = .failed }
        case .unknown(let job, _, _):
            update(job) {
                $0.state = .unknown
                $0.unknownOutcome = true
            }
        case .progress(let job, let progress), .stillRunning(let job, let progress?):
            update(job) {
                $0.state = .submitted
                $0.rowsImported = progress.importedRows ?? $0.rowsImported
            }
        case .completed(let job, let progress):
            update(job) {
                $0.state = .completed
                // Zilliz Cloud reports only the total of a finished job: a completed job imported all of it.
                // A backup import reports 0 of 0 at the end (it is not counted): the rows seen before stay.
                if (progress.importedRows ?? 0) > 0 || (progress.totalRows ?? 0) > 0 || $0.rowsImported == nil {
                    $0.rowsImported = progress.importedRows ?? progress.totalRows ?? $0.rowsImported
                }
            }
        case .importFailed(let job, let progress):
            update(job) {
                $0.state = .failed
                // Milvus answers a failed job with zeros: they do not replace the rows seen before.
                if !progress.isZeroed { $0.rowsImported = progress.importedRows ?? $0.rowsImported }
            }
        case .cleanedUp(let job, _): update(job) { $0.state = .cleanedUp }
        case .stillRunning(let job, nil): update(job) { $0.state = .submitted }
        case .skipped, .changed, .started, .waitingForSlot, .claimedElsewhere, .note, .pollFailed, .stalled, .interrupted: break
        }
    }

    private func update(_ job: String, _ change: (inout JobTally) -> Void) {
        tallies.withLockedValue { change(&$0[job, default: JobTally()]) }
    }
}
