/// Asks once per collection whether it exists, for the APIs that can tell before a create
/// (``ImportService/missingCollection(for:)``), and shares the answer between the jobs of a run.
actor CollectionChecks {
    private var answers: [String: Task<String?, Never>] = [:]

    /// Why the job's collection is missing, or nil.
    func missing(_ job: ImportJob, service: any ImportService) async -> String? {
        let key = job.target.clusterKey + "\u{0}" + (job.dbName ?? job.target.dbName ?? "") + "\u{0}" + job.collectionName
        if let answer = answers[key] { return await answer.value }
        let answer = Task { await service.missingCollection(for: job) }
        answers[key] = answer
        return await answer.value
    }
}
