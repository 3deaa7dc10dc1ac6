import LibYAML

/// Paths from the manifest's root, for every diagnostic, in one place: the checks name a field of
/// the job or target they look at (`secret_key`, `files[0]`), and here that becomes where the
/// value is written (`defaults.secret_key`, `jobs[2].files[0]`, `targets.cloud.zilliz.api_key`).
/// A value written in `defaults:` or a target belongs to no one job, so such a diagnostic names
/// none.
extension Diagnostic {
    /// `diagnostics` with full paths, each looked up in the manifest of its file.
    static func withFullPaths(_ diagnostics: [Diagnostic], in manifests: [Manifest]) -> [Diagnostic] {
        guard !diagnostics.isEmpty else { return diagnostics }
        let byFile = Dictionary(manifests.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        var places: [String: [JobPlace]] = [:]
        return diagnostics.map { d in
            guard let manifest = byFile[d.location.file] else { return d }
            if places[manifest.file] == nil { places[manifest.file] = manifest.places }
            return d.withFullPath(in: manifest, places: places[manifest.file]!)
        }
    }

    /// The diagnostic with its path from the root of `manifest` (a path that already starts at the
    /// root is kept), and no job when its value is written in `defaults:` or a target.
    func withFullPath(in manifest: Manifest) -> Diagnostic {
        withFullPath(in: manifest, places: manifest.places)
    }

    /// ``withFullPath(in:)`` with the manifest's ``Manifest/places`` already made.
    func withFullPath(in manifest: Manifest, places: [JobPlace]) -> Diagnostic {
        guard let path, !Self.startsAtTheRoot(path) else { return self }
        let mark = YAMLMark(line: location.line, column: location.column)
        var d = self
        if let job = Self.job(at: mark, in: places) {
            d.path = "jobs[\(job.index)].\(path)"
        } else if let target = manifest.targets.first(where: { $0.spec.span.start <= mark && mark < $0.spec.span.end }) {
            d.path = "targets.\(target.name.value).\(target.spec.kind.rawValue).\(path)"
            d.job = nil
        } else if let defaults = manifest.defaultsSpan, defaults.start <= mark && mark < defaults.end {
            d.path = "defaults.\(path)"
            d.job = nil
        }
        return d
    }

    private static func startsAtTheRoot(_ path: String) -> Bool {
        Manifest.fieldNames.contains { name in
            path.hasPrefix(name) && (path.count == name.count || [".", "["].contains(path.dropFirst(name.count).first))
        }
    }

    /// The job whose mapping holds `mark`: the last to start at or before it (jobs are in document
    /// order), found by bisection, as 10,000 jobs may each have a diagnostic.
    private static func job(at mark: YAMLMark, in jobs: [JobPlace]) -> JobPlace? {
        var low = 0
        var high = jobs.count
        while low < high {
            let middle = (low + high) / 2
            if jobs[middle].span.start <= mark { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let job = jobs[low - 1]
        return mark < job.span.end || (job.span.start == job.span.end && mark == job.span.start) ? job : nil
    }
}
