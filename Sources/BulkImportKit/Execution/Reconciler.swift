/// Asks a target whether it already has a job the state holds no id for, before that job is
/// created: the jobs the target keeps on the job's collection, and the files of each.
///
/// One list per target, database and collection per run, and one progress read per job id,
/// both cached: concurrent calls for the same collection wait on the same request. What each API
/// can tell is its client's (``ImportAPICapabilities/jobFiles`` and the client's `fileGroups(of:)`);
/// the matching is ``ReconciliationMatcher``'s.
public actor Reconciler {
    private let service: any ImportService
    private let maxListPages: Int
    private var listings: [ListKey: Task<Result<JobListing, ImportError>, Never>] = [:]
    private var progresses: [ProgressKey: Task<Result<JobProgress, ImportError>, Never>] = [:]

    /// `maxListPages` bounds the pages read of a paged list (Zilliz Cloud: 100 jobs a page); a
    /// list with more is incomplete, and its answer is ``Reconciliation/cannotTell(why:)``.
    public init(service: any ImportService, maxListPages: Int = 100) {
        self.service = service
        self.maxListPages = maxListPages
    }

    /// What the target says about `job`: see ``Reconciliation``. Never creates anything; the
    /// words of its notes come from the server and should be masked before they are printed.
    public func reconcile(_ job: ImportJob) async -> Reconciliation {
        let client = job.target.api.client
        let capabilities = client.capabilities
        let place = "collection '\(job.collectionName)' of target '\(job.target.displayName)'"
        if case .notAtAll(let why) = capabilities.jobFiles {
            return .cannotTell(why: "cannot tell whether \(place) already has job '\(job.name)': \(why)")
        }
        let listing: JobListing
        switch await listingTask(for: job).value {
        case .failure(let error):
            return .cannotTell(why: "could not list the import jobs on \(place) to look for job '\(job.name)': \(error)")
        case .success(let value): listing = value
        }
        if let incomplete = listing.incomplete {
            return .cannotTell(
                why: "the list of import jobs on \(place) is incomplete (\(incomplete)), so job '\(job.name)' may be among those left out")
        }
        let partition = job.partitionName ?? "_default"
        var candidates: [ReconciliationMatcher.Candidate] = []
        var unreadable: [String] = []
        for (order, listed) in listing.jobs.enumerated() {
            if let c = listed.collectionName, c != job.collectionName { continue }
            if let p = listed.partitionName, p != partition { continue }
            var candidate = ReconciliationMatcher.Candidate(
                jobID: listed.jobID, state: listed.state, createdAt: listed.createdAt, order: order, groups: client.fileGroups(of: listed),
                reason: listed.reason)
            if candidate.groups == nil, capabilities.jobFiles == .progress {
                switch await progressTask(of: listed.jobID, for: job).value {
                case .success(let progress):
                    candidate.groups = client.fileGroups(of: progress)
                    candidate.state = progress.state
                    candidate.reason = progress.reason ?? candidate.reason
                    if candidate.groups == nil { unreadable.append("job \(listed.jobID)'s progress names no files yet") }
                case .failure(let error):
                    unreadable.append("the progress of job \(listed.jobID) could not be read: \(error)")
                }
            } else if candidate.groups == nil {
                unreadable.append("the list names no files for job \(listed.jobID)")
            }
            if candidate.groups != nil { candidates.append(candidate) }
        }
        let matcher = ReconciliationMatcher(job: job, place: place, listed: listing.jobs.count, unreadable: unreadable)
        return capabilities.createsOneTaskPerFileGroup ? matcher.perGroup(candidates) : matcher.wholeJob(candidates)
    }

    /// The target, database and collection a list is of.
    private struct ListKey: Hashable {
        var target: ImportTarget
        var collection: String
    }

    private struct ProgressKey: Hashable {
        var target: ImportTarget
        var jobID: String
    }

    /// The job's target as the job addresses it: with the job's own database.
    private static func scope(_ job: ImportJob) -> ImportTarget {
        var target = job.target
        target.dbName = job.dbName
        return target
    }

    /// The cached (or first) list of the job's collection.
    private func listingTask(for job: ImportJob) -> Task<Result<JobListing, ImportError>, Never> {
        let key = ListKey(target: Self.scope(job), collection: job.collectionName)
        if let task = listings[key] { return task }
        let (service, pages) = (service, maxListPages)
        let task = Task<Result<JobListing, ImportError>, Never> {
            do throws(ImportError) {
                return .success(try await service.listAll(key.target, collectionName: key.collection, maxPages: pages))
            } catch {
                return .failure(error)
            }
        }
        listings[key] = task
        return task
    }

    /// The cached (or first) progress of one job id on the job's target.
    private func progressTask(of jobID: String, for job: ImportJob) -> Task<Result<JobProgress, ImportError>, Never> {
        let key = ProgressKey(target: Self.scope(job), jobID: jobID)
        if let task = progresses[key] { return task }
        let service = service
        let task = Task<Result<JobProgress, ImportError>, Never> {
            do throws(ImportError) {
                return .success(try await service.progress(of: job, jobID: jobID))
            } catch {
                return .failure(error)
            }
        }
        progresses[key] = task
        return task
    }
}
