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
    /// Before creating a job the state holds no id for, ask the target whether it already has it
    /// (`--no-reconcile` turns it off).
    public var reconcile = true
    /// How long after an unknown create the target's "no such job" is believed: a create still in
    /// the server's hands is not listed yet. The request timeout and a margin.
    public var unknownCreateSettles: Duration = .seconds(65)
    /// How long a created job's id is offered again to a state that failed to record it (a
    /// database restarting), before it is left to the next run's reconciliation.
    public var recordRetryWindow: Duration = .seconds(120)
    /// Follow the jobs until they complete or fail.
    public var wait = false
    public var pollInterval: Duration = .seconds(3)
    public var waitTimeout: Duration?
    /// While following: a job whose progress has not changed for this long gets one `stalled`
    /// event per stall (``RunEvent/stalled(job:progress:seconds:)``); nil: never.
    public var stallAfter: Duration? = RunOptions.defaultStallAfter
    public var retry = RetryPolicy()
    /// Requests a second to one Zilliz Cloud endpoint.
    public var zillizRequestsPerSecond = 20.0
    /// With `wait`: unfinished jobs (tasks, on Milvus 2.2/2.3) this run keeps on one Milvus cluster
    /// at once, under the server's limit of 1024; 0 for no cap.
    public var unfinishedJobLimit = 768

    public init() {}
}
