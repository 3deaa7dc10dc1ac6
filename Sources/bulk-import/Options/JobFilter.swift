import ArgumentParser
import BulkImportKit

/// The jobs `--job` and `--shard` select. A `--job` pattern that names no job is an error, so a
/// typo in a pipeline fails instead of running nothing and passing.
enum JobFilter {
    /// The jobs of `jobs` that match any of `patterns` (all without patterns) and fall in `shard`.
    /// Throws after printing the error (exit 64) when a pattern matches none of `jobs`.
    static func select(_ jobs: [ImportJob], patterns: [String], shard: (index: Int, count: Int)?) throws -> [ImportJob] {
        if patterns.isEmpty && shard == nil { return jobs }
        let names = jobs.map(\.name)
        for pattern in patterns where !names.contains(where: { JobSelection(patterns: [pattern]).includes($0) }) {
            Terminal.write("error: \(unmatched(pattern, names: names))\n", to: .stderr)
            throw ExitCode.validationFailure
        }
        let selection = JobSelection(patterns: patterns, shard: shard)
        return jobs.filter { selection.includes($0.name) }
    }

    /// "--job 'artcles' matches no job of the manifests; did you mean 'articles'?"
    static func unmatched(_ pattern: String, names: [String]) -> String {
        var message = "--job \(quoted: pattern) matches no job of the manifests"
        if names.isEmpty { return message + " (they have no valid job)" }
        let close = closest(to: pattern, in: names)
        if !close.isEmpty {
            message += "; did you mean " + close.map { "\(quoted: $0)" }.joined(separator: " or ") + "?"
        } else {
            let shown = names.prefix(5).map { "\(quoted: $0)" }.joined(separator: ", ")
            message += "; the jobs are \(shown)" + (names.count > 5 ? " and \(names.count - 5) more" : "")
        }
        return message + " (a pattern is a glob: * any characters, ? one)"
    }

    /// Up to three names nearest to `pattern` (its glob characters left out) by edit distance,
    /// near enough to be a typo.
    static func closest(to pattern: String, in names: [String]) -> [String] {
        let word = String(pattern.lowercased().filter { !"*?[]".contains($0) }.prefix(200))
        let limit = max(2, word.count / 3)
        var scored: [(Int, String)] = []
        for name in names.prefix(10_000) {
            let d = Spelling.distance(word, String(name.lowercased().prefix(200)))
            if d <= limit { scored.append((d, name)) }
        }
        return scored.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(3).map(\.1)
    }
}
