/// The one place diagnostics are collected: every layer (paths, loader, decoder, value resolver,
/// validator) emits into a bag, which keeps them in order, drops repeats, counts errors and
/// warnings, folds the uses of one unset variable into one diagnostic, and decides, under
/// `--strict`, whether the whole counts as failed.
public struct DiagnosticBag: DiagnosticCollector, Sendable {
    /// Every diagnostic kept, in the order emitted.
    public private(set) var diagnostics: [Diagnostic] = []
    /// Warnings fail the check too (`--strict`); they are still printed as warnings.
    public var strict: Bool
    /// Every error emitted, counting the repeats that were dropped or folded into an earlier
    /// diagnostic. A job's values inherited from `defaults` are checked once per job but reported
    /// once, so "did this job have errors" is "did this count grow", not "did `diagnostics` grow".
    public private(set) var errorsEmitted = 0

    /// What makes two diagnostics the same report: one problem at one place. Not the path: an
    /// aliased value is reached through several paths, and is still written at one place.
    ///
    /// The file and message are kept as a 64-bit digest by a `Hasher` seeded at random for each
    /// process: no strings are kept for a flood of 100,000 reports (most of them only counted),
    /// and two different messages of one code at one place would have to collide by chance
    /// (2^-64; no manifest can be written to make them).
    private struct Key: Hashable {
        var line: Int
        var column: Int
        var code: DiagnosticCode
        var digest: Int

        init(_ diagnostic: Diagnostic) {
            line = diagnostic.location.line
            column = diagnostic.location.column
            code = diagnostic.code
            var hasher = Hasher()
            hasher.combine(diagnostic.location.file)
            hasher.combine(diagnostic.message)
            digest = hasher.finalize()
        }
    }
    private var seen: Set<Key> = []

    /// A diagnostic that stands for several places, and what to note about the others.
    private struct Group: Sendable {
        var index: Int
        var more: Int
        var note: @Sendable (Int) -> DiagnosticNote
    }
    private var groups: [String: Group] = [:]

    /// The most diagnostics of one code kept for one job (or, outside jobs, one file): a hostile
    /// mapping of 100,000 unknown keys is 50 reports and a note, not 100,000 lines. The rest are
    /// still counted.
    public static let maxPerCode = 50
    /// What ``maxPerCode`` counts by: a file, a code and a job ("" outside jobs).
    private struct CodeKey: Hashable {
        var file: String
        var code: DiagnosticCode
        var job: String

        init(file: String, code: DiagnosticCode, job: String?) {
            self.file = file
            self.code = code
            self.job = job ?? ""
        }

        // Files are few: hashed by code and job, compared whole.
        func hash(into hasher: inout Hasher) {
            hasher.combine(code)
            hasher.combine(job)
        }
    }
    /// Per file, code and job: how many were kept, the index of the last one (it gets the note),
    /// the diagnostics past the limit, not kept, and how many of those a note already tells.
    private struct Tally {
        var kept = 0
        var last = 0
        var hiddenErrors = 0
        var hiddenWarnings = 0
        var hiddenNotes = 0
        var noted = 0
        var hidden: Int { hiddenErrors + hiddenWarnings + hiddenNotes }

        /// Counts one more diagnostic of `severity`, kept at `index` while under the limit; says
        /// whether it is kept.
        mutating func add(_ severity: Severity, at index: Int) -> Bool {
            guard kept >= DiagnosticBag.maxPerCode else {
                kept += 1
                last = index
                return true
            }
            hide(count: 1, of: severity)
            return false
        }

        /// Counts `count` more of `severity` past the limit.
        mutating func hide(count: Int, of severity: Severity) {
            switch severity {
            case .error: hiddenErrors += count
            case .warning: hiddenWarnings += count
            case .note: hiddenNotes += count
            }
        }
    }
    /// Looked up once per diagnostic and changed in place: a flood of 100,000 reports of one code
    /// hashed its key four times each.
    private var perCode: [CodeKey: Tally] = [:]
    /// Errors and warnings past ``maxPerCode``, not kept but counted.
    public var hiddenErrors: Int { perCode.values.reduce(0) { $0 + $1.hiddenErrors } }
    public var hiddenWarnings: Int { perCode.values.reduce(0) { $0 + $1.hiddenWarnings } }

    public init(strict: Bool = false) {
        self.strict = strict
    }

    /// Keeps `diagnostic`, unless the same problem was already reported at the same place.
    public mutating func emit(_ diagnostic: Diagnostic) {
        keep(diagnostic)
    }

    /// Keeps `diagnostic` unless it repeats one, and says whether it was kept.
    @discardableResult
    private mutating func keep(_ diagnostic: Diagnostic) -> Bool {
        if diagnostic.severity == .error { errorsEmitted += 1 }
        guard seen.insert(Key(diagnostic)).inserted else { return false }
        // Per job: one problem in each of 3,000 jobs is shown for every job.
        let codeKey = CodeKey(file: diagnostic.location.file, code: diagnostic.code, job: diagnostic.job)
        guard perCode[codeKey, default: Tally()].add(diagnostic.severity, at: diagnostics.count) else { return false }
        diagnostics.append(diagnostic)
        return true
    }

    /// Whether one more diagnostic of `code` for `job` in `file` would only be counted, not kept
    /// (past ``maxPerCode``): its emitter may leave out what is never shown, such as a fix that
    /// costs a spelling search (a hostile mapping of 100,000 unknown keys).
    func isFull(_ code: DiagnosticCode, file: String, job: String?) -> Bool {
        (perCode[CodeKey(file: file, code: code, job: job)]?.kept ?? 0) >= Self.maxPerCode
    }

    /// Counts `count` more diagnostics of `code` and `severity` for `job` in `file`, past
    /// ``maxPerCode`` (``isFull(_:file:job:)`` said so), without building them: a mapping of
    /// 100,000 unknown keys costs a count, not 99,950 reports made to be dropped. Only for reports
    /// nothing can make again at the same place (the keys of a plain job, which no alias reaches),
    /// since these are not remembered as seen.
    mutating func countPastCap(_ count: Int, of code: DiagnosticCode, severity: Severity, file: String, job: String?) {
        let codeKey = CodeKey(file: file, code: code, job: job)
        precondition(perCode[codeKey]?.kept ?? 0 >= Self.maxPerCode, "countPastCap is for reports past the cap")
        if severity == .error { errorsEmitted += count }
        perCode[codeKey]!.hide(count: count, of: severity)
    }

    /// Counts one more use of `group` when a diagnostic already stands for it, and says so; a use
    /// at another place than the first adds to the note ``finish()`` writes. 10,000 jobs that share
    /// an unset `$<KEY>` say so once.
    mutating func fold(into group: String, severity: Severity, at location: ManifestLocation) -> Bool {
        guard var first = groups[group] else { return false }
        if severity == .error { errorsEmitted += 1 }
        let firstLocation = diagnostics[first.index].location
        if firstLocation.line != location.line || firstLocation.column != location.column {
            first.more += 1
            groups[group] = first
        }
        return true
    }

    /// Keeps `diagnostic` as the one that stands for every use of `group`; ``finish()`` adds
    /// `note(more)` to it when other places use it too.
    mutating func emit(
        _ diagnostic: Diagnostic, startingGroup group: String, note: @escaping @Sendable (Int) -> DiagnosticNote
    ) {
        let index = diagnostics.count
        if keep(diagnostic) { groups[group] = Group(index: index, more: 0, note: note) }
    }

    /// Adds the notes of the diagnostics that stand for several places, and of those past
    /// ``maxPerCode``. Call it once all is emitted.
    public mutating func finish() {
        for group in groups.values where group.more > 0 {
            diagnostics[group.index].notes.append(group.note(group.more))
        }
        groups = [:]
        // By index, changing each tally in place as it is read.
        var position = perCode.values.startIndex
        while position != perCode.values.endIndex {
            defer { perCode.values.formIndex(after: &position) }
            let tally = perCode.values[position]
            guard tally.hidden > tally.noted else { continue }
            perCode.values[position].noted = tally.hidden
            let (index, more) = (tally.last, tally.hidden - tally.noted)
            let code = diagnostics[index].code.rawValue
            let scope = diagnostics[index].job.map { "in job \(quoted: $0)" } ?? "in this file"
            diagnostics[index].notes.append(
                DiagnosticNote("\(more) more \(code) diagnostic\(more == 1 ? "" : "s") \(scope) \(more == 1 ? "is" : "are") not shown"))
        }
    }

    /// Keeps each of `diagnostics`, in order.
    public mutating func emit(contentsOf diagnostics: some Sequence<Diagnostic>) {
        for diagnostic in diagnostics { emit(diagnostic) }
    }

    /// The errors kept, and those past ``maxPerCode`` (repeats not counted).
    public var errorCount: Int { diagnostics.count { $0.severity == .error } + hiddenErrors }
    /// The warnings kept, and those past ``maxPerCode`` (repeats not counted).
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } + hiddenWarnings }

    /// Whether the check fails: any error, or any warning under `--strict`.
    public var failed: Bool { errorCount > 0 || (strict && warningCount > 0) }

    /// The diagnostics sorted by file (in the order of `files`), then position, then emission.
    public func sorted(files: [String]) -> [Diagnostic] {
        let order = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            let (fx, fy) = (order[x.file] ?? -1, order[y.file] ?? -1)
            if fx != fy { return fx < fy }
            if (x.line, x.column) != (y.line, y.column) { return (x.line, x.column) < (y.line, y.column) }
            return a.offset < b.offset
        }.map(\.element)
    }
}
