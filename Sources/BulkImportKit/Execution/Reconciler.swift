/// Asks a target whether it already has a job the state holds no id for, before that job is
/// created: the jobs the target keeps on the job's collection, and the files of each.
///
/// Per run, one list per target, database and collection (every page), and one progress read per
/// listed job whose files the list does not name (at most 8 at a time). Both are read once per
/// collection, by the first caller, and shared: concurrent callers for the same collection wait on
/// the same requests. What each API can tell is its client's (``ImportAPICapabilities/jobFiles``
/// and the client's `fileGroups(of:)`); the matching is ``ReconciliationMatcher``'s.
public actor Reconciler {
    private let service: any ImportService
    private let maxListPages: Int
    private let progressReads: Int
    private var collections: [CollectionKey: Task<CollectionJobs, Never>] = [:]

    /// `maxListPages` bounds the pages read of a paged list (Zilliz Cloud: 100 jobs a page); a
    /// list with more is incomplete, and its answer is ``Reconciliation/cannotTell(why:)``.
    /// `progressReads` is how many progress reads run at once.
    public init(service: any ImportService, maxListPages: Int = 100, progressReads: Int = 8) {
        self.service = service
        self.maxListPages = maxListPages
        self.progressReads = max(1, progressReads)
    }

    /// What the target says about `job`: see ``Reconciliation``. Never creates anything; the
    /// words of its notes come from the server and should be masked before they are printed.
    public func reconcile(_ job: ImportJob) async -> Reconciliation {
        let capabilities = job.target.api.capabilities
        let place = "collection '\(job.collectionName)' of target '\(job.target.displayName)'"
        if case .notAtAll(let why) = capabilities.jobFiles {
            return .cannotTell(why: "cannot tell whether \(place) already has job '\(job.name)': \(why)")
        }
        let known = await jobsTask(for: job).value
        if let error = known.listError {
            return .cannotTell(why: "could not list the import jobs on \(place) to look for job '\(job.name)': \(error)")
        }
        if let incomplete = known.incomplete {
            return .cannotTell(
                why: "the list of import jobs on \(place) is incomplete (\(incomplete)), so job '\(job.name)' may be among those left out")
        }
        let partition = job.partitionName ?? "_default"
        func here(_ p: String?) -> Bool { p == nil || p == partition }
        var unreadable = known.unreadable.filter { here($0.partition) }.map(\.why)
        var candidates: [ReconciliationMatcher.Candidate] = []
        var seen: Set<String> = []
        if capabilities.reportsFilesAsSent {
            // Only jobs with the same files can match: looked up, not scanned.
            let keys = capabilities.createsOneTaskPerFileGroup ? job.files.map { [$0] } : [job.files]
            for key in keys {
                for entry in known.byFiles[ReconciliationMatcher.normalized(key)] ?? [] where here(entry.partition) {
                    if seen.insert(entry.candidate.jobID).inserted { candidates.append(entry.candidate) }
                }
            }
            let matcher = ReconciliationMatcher(job: job, place: place, listed: known.listed, unreadable: unreadable)
            return capabilities.createsOneTaskPerFileGroup ? matcher.perGroup(candidates) : matcher.wholeJob(candidates)
        }
        // The client compares; only jobs that name a file of the same name can be the same or close
        // (a folder url is named by the files in it, so then every job is compared).
        let client = job.target.api.client
        let urls = job.files.flatMap { $0 }
        let entries: [CollectionJobs.Entry]
        if urls.contains(where: { $0.hasSuffix("/") }) {
            entries = known.all
        } else {
            var indexes: Set<Int> = []
            for url in urls { indexes.formUnion(known.byFileName[Self.lastComponent(url)] ?? []) }
            entries = indexes.sorted().map { known.all[$0] }
        }
        for entry in entries where here(entry.partition) {
            switch client.compareFiles(sent: job.files, reported: entry.candidate.groups ?? []) {
            case .same:
                if seen.insert(entry.candidate.jobID).inserted { candidates.append(entry.candidate) }
            case .unsure(let why): unreadable.append("job \(entry.candidate.jobID) may be this job: \(why)")
            case .different: break
            }
        }
        let matcher = ReconciliationMatcher(job: job, place: place, listed: known.listed, unreadable: unreadable)
        return matcher.wholeJob(candidates) { seen.contains($0.jobID) }
    }

    /// The last part of a path or url: what a server that shortens names still shows.
    static func lastComponent(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }

    /// The target, database and collection a list is of.
    private struct CollectionKey: Hashable {
        var target: ImportTarget
        var collection: String
    }

    /// What the target told about the jobs on one collection.
    private struct CollectionJobs: Sendable {
        struct Entry: Sendable {
            var candidate: ReconciliationMatcher.Candidate
            var partition: String?
        }
        var listError: ImportError?
        var incomplete: String?
        /// How many jobs the target listed on the collection.
        var listed = 0
        /// The jobs whose files are known.
        var all: [Entry] = []
        /// The same, by their normalized file groups (one group each on APIs with one task per group).
        var byFiles: [[[String]]: [Entry]] = [:]
        /// Indexes into ``all`` by the last part of each file name.
        var byFileName: [Substring: Set<Int>] = [:]
        /// Why the files of some jobs are not known, with their partition where listed.
        var unreadable: [(partition: String?, why: String)] = []
    }

    /// Why the target's jobs on `job`'s collection could not be listed, if they could not (read
    /// once per collection, as ``reconcile(_:)`` reads them).
    func listError(for job: ImportJob) async -> ImportError? {
        await jobsTask(for: job).value.listError
    }

    /// The cached (or first) reading of the job's collection.
    private func jobsTask(for job: ImportJob) -> Task<CollectionJobs, Never> {
        var target = job.target
        target.dbName = job.dbName  // the job's own database, as its create names it
        let key = CollectionKey(target: target, collection: job.collectionName)
        if let task = collections[key] { return task }
        let (service, pages, width) = (service, maxListPages, progressReads)
        let task = Task { await Self.read(key, job: job, service: service, maxPages: pages, width: width) }
        collections[key] = task
        return task
    }

    /// Lists the collection's jobs and reads the files of each.
    private static func read(_ key: CollectionKey, job: ImportJob, service: any ImportService, maxPages: Int, width: Int) async
        -> CollectionJobs
    {
        var result = CollectionJobs()
        let listing: JobListing
        do throws(ImportError) {
            listing = try await service.listAll(key.target, collectionName: key.collection, maxPages: maxPages)
        } catch {
            result.listError = error
            return result
        }
        result.incomplete = listing.incomplete
        let client = key.target.api.client
        let jobs = listing.jobs.filter { $0.collectionName == nil || $0.collectionName == key.collection }
        result.listed = jobs.count
        var needProgress: [(Int, ListedJob)] = []
        var candidates: [(ReconciliationMatcher.Candidate, String?)] = []
        for (order, listed) in jobs.enumerated() {
            let candidate = ReconciliationMatcher.Candidate(
                jobID: listed.jobID, state: listed.state, createdAt: listed.createdAt, order: order,
                groups: client.fileGroups(of: listed), reason: listed.reason)
            if candidate.groups != nil {
                candidates.append((candidate, listed.partitionName))
            } else if client.capabilities.jobFiles == .progress {
                needProgress.append((order, listed))
            } else {
                result.unreadable.append((listed.partitionName, "the list names no files for job \(listed.jobID)"))
            }
        }
        // Bounded: start `width` reads, then one more as each ends.
        await withTaskGroup(of: (Int, ListedJob, Result<JobProgress, ImportError>).self) { group in
            var next = needProgress.makeIterator()
            func start() {
                guard let (order, listed) = next.next() else { return }
                group.addTask {
                    do throws(ImportError) {
                        return (order, listed, .success(try await service.progress(of: job, jobID: listed.jobID)))
                    } catch {
                        return (order, listed, .failure(error))
                    }
                }
            }
            for _ in 0..<width { start() }
            while let (order, listed, outcome) = await group.next() {
                start()
                switch outcome {
                case .success(let progress):
                    guard let groups = client.fileGroups(of: progress) else {
                        result.unreadable.append((listed.partitionName, "job \(listed.jobID)'s progress names no files yet"))
                        continue
                    }
                    let candidate = ReconciliationMatcher.Candidate(
                        jobID: listed.jobID, state: progress.state, createdAt: listed.createdAt, order: order, groups: groups,
                        reason: progress.reason ?? listed.reason)
                    candidates.append((candidate, listed.partitionName))
                case .failure(let error):
                    result.unreadable.append((listed.partitionName, "the progress of job \(listed.jobID) could not be read: \(error)"))
                }
            }
        }
        for (candidate, partition) in candidates {
            let groups = candidate.groups ?? []
            for name in groups.joined() { result.byFileName[lastComponent(name), default: []].insert(result.all.count) }
            result.all.append(.init(candidate: candidate, partition: partition))
            let keys = client.capabilities.createsOneTaskPerFileGroup ? groups.map { [$0] } : [groups]
            for key in keys {
                result.byFiles[ReconciliationMatcher.normalized(key), default: []].append(.init(candidate: candidate, partition: partition))
            }
        }
        result.unreadable.sort { $0.why < $1.why }
        return result
    }
}
