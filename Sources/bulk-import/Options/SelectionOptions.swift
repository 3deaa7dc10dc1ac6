import ArgumentParser
import BulkImportKit

/// `--job` and `--shard`: which of the manifests' jobs a command takes (`run`, `plan`).
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("job"), help: "Only jobs whose name matches this glob (repeatable).")
    var jobPatterns: [String] = []

    @Option(help: "Take a stable share K/N of the jobs (by name), to spread one manifest over N machines.")
    var shard: String?

    func validate() throws {
        if let shard, JobSelection.parseShard(shard) == nil { throw ValidationError("--shard takes K/N with 1 <= K <= N, e.g. 2/4") }
    }

    /// Whether the command takes every job.
    var takesAll: Bool { jobPatterns.isEmpty && shard == nil }

    /// The jobs of `jobs` the options select (all of them, without a copy, when none is given).
    /// A `--job` pattern that matches no job is a usage error (see ``JobFilter``); an empty shard
    /// is only a note, as with more machines than jobs some shards are empty.
    func select(_ jobs: [ImportJob], redactor: Redactor) throws -> [ImportJob] {
        if takesAll { return jobs }
        let selected = try JobFilter.select(jobs, patterns: jobPatterns, shard: shard.flatMap(JobSelection.parseShard))
        if selected.isEmpty && !jobs.isEmpty, let shard {
            Terminal.write("note: shard \(shard) holds none of the selected jobs; nothing to do\n", to: .stderr, redactor: redactor)
        }
        return selected
    }
}
