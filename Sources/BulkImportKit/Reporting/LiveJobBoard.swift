/// The model behind the live terminal display of a run: one row per active job (name, state,
/// percent, imported/total rows, elapsed), a status line, log lines for what must stay on screen,
/// and the summary table at the end. Pure: time is passed in, and the terminal code only draws.
public struct LiveJobBoard: Sendable {
    /// Where a job is.
    public enum Phase: Sendable, Hashable {
        case waitingForSlot
        case submitting
        case retrying
        case running
        case submitted
        /// Found on the target and recorded, not created again.
        case adopted
        case skipped
        case completed
        case failed
        case unknown
        case importFailed
        case cleanedUp
        case stillRunning
        /// Never sent by this run (Ctrl-C, a target that refused the credentials, not in the state).
        case notSubmitted

        var isActive: Bool {
            switch self {
            case .waitingForSlot, .submitting, .retrying, .running: true
            default: false
            }
        }

        var label: String {
            switch self {
            case .waitingForSlot: "waiting"
            case .submitting: "submitting"
            case .retrying: "retrying"
            case .running: "running"
            case .submitted: "submitted"
            case .adopted: "adopted"
            case .skipped: "skipped"
            case .completed: "completed"
            case .failed: "failed"
            case .unknown: "unknown"
            case .importFailed: "failed"
            case .cleanedUp: "cleaned up"
            case .stillRunning: "running"
            case .notSubmitted: "not submitted"
            }
        }
    }

    struct Row: Sendable {
        var name: String
        var phase: Phase
        var jobIDs: [String] = []
        var progress: JobProgress?
        var started: Double
        var ended: Double?
        /// Why a job was not submitted.
        var reason: String?
        /// When the job's current stall began (board time), while it has not moved since.
        var stalledSince: Double?
    }

    private var rows: [String: Row] = [:]
    private var order: [String] = []
    /// Events are redacted once, on the way in: the rows and the lines hold masked values only.
    private let redactor: Redactor
    private let formatter = RunEventFormatter()
    /// Jobs selected for the run.
    public var total: Int
    private let start: Double
    /// With --wait a submitted job stays on the board, running, until it ends.
    private let following: Bool

    /// `redactor` holds the run's secrets (``ValidationResult/redactor``).
    public init(total: Int, start: Double, following: Bool, redactor: Redactor = Redactor()) {
        self.total = total
        self.start = start
        self.following = following
        self.redactor = redactor
    }

    /// Takes in what is known of a job beside the events: its recorded ids, when it was submitted
    /// (the state's first record; `wallClock` is the wall-clock time that `time` is), and whether
    /// this run never sent it.
    public mutating func take(_ standing: JobStanding, at time: Double, wallClock: Double) {
        let standing = JobStanding(
            job: redactor.redact(standing.job), status: standing.status, jobIDs: standing.jobIDs.map { redactor.redact($0) },
            submittedAt: standing.submittedAt, endedAt: standing.endedAt, note: standing.note.map { redactor.redact($0) })
        if rows[standing.job] == nil {
            rows[standing.job] = Row(name: standing.job, phase: .submitting, started: time)
            order.append(standing.job)
        }
        var row = rows[standing.job]!
        if !standing.jobIDs.isEmpty { row.jobIDs = standing.jobIDs }
        if let submitted = standing.submittedAt { row.started = time - max(0, wallClock - submitted) }
        if let ended = standing.endedAt { row.ended = time - max(0, wallClock - ended) }
        if let note = standing.note { row.reason = note }
        switch standing.status {
        case .notSubmitted(let reason):
            row.phase = .notSubmitted
            row.reason = redactor.redact(reason)
            row.ended = time
            row.started = time
        case .submitted: row.phase = following ? .running : .submitted
        case .completed: row.phase = .completed
        case .failed: row.phase = .failed
        case .unknown: row.phase = .unknown
        case .cleanedUp: row.phase = .cleanedUp
        }
        rows[standing.job] = row
    }

    /// Takes in one event; returns the lines to print above the live area (what must stay in the
    /// scrollback: submissions without --wait, completions, failures, retries, changes).
    public mutating func apply(_ event: RunEvent, at time: Double) -> [String] {
        let event = redactor.redact(event)
        func update(_ job: String, _ change: (inout Row) -> Void) {
            if rows[job] == nil {
                rows[job] = Row(name: job, phase: .submitting, started: time)
                order.append(job)
            }
            change(&rows[job]!)
        }
        func end(_ job: String, _ phase: Phase, progress: JobProgress? = nil) {
            update(job) {
                $0.phase = phase
                $0.ended = time
                $0.stalledSince = nil
                if let progress { $0.progress = progress }
            }
        }
        switch event {
        case .started(let job):
            update(job) {
                $0.phase = .submitting
                $0.started = time
            }
        case .waitingForSlot(let job, _, _): update(job) { $0.phase = .waitingForSlot }
        case .retrying(let job, _, _, _, _): update(job) { $0.phase = .retrying }
        case .submitted(let job, let ids):
            update(job) {
                $0.jobIDs = ids
                $0.phase = following ? .running : .submitted
                $0.ended = following ? nil : time
            }
            return [formatter.text(event)].compactMap { $0 }
        case .progress(let job, let p):
            update(job) {
                $0.phase = .running
                $0.progress = p
                $0.ended = nil
                // It moved: the stall, if any, is over.
                $0.stalledSince = nil
            }
        case .stalled(let job, let p, let seconds):
            update(job) {
                $0.progress = p
                $0.stalledSince = time - seconds
            }
        case .adopted(let job, let ids, _):
            update(job) {
                $0.jobIDs = ids
                $0.phase = following ? .running : .adopted
                $0.ended = following ? nil : time
            }
            return [formatter.text(event)].compactMap { $0 }
        case .skipped(let job, _), .claimedElsewhere(let job, _, _):
            // A skipped job keeps the times the state recorded for it.
            update(job) {
                $0.phase = .skipped
                if $0.ended == nil { $0.ended = time }
            }
        case .completed(let job, let p): end(job, .completed, progress: p)
        case .failed(let job, _): end(job, .failed)
        case .unknown(let job, _, _): end(job, .unknown)
        case .importFailed(let job, let p): end(job, .importFailed, progress: p)
        case .cleanedUp(let job, _): end(job, .cleanedUp)
        case .stillRunning(let job, let p): end(job, .stillRunning, progress: p)
        case .changed, .interrupted, .note, .pollFailed: break
        }
        switch event {
        case .started, .waitingForSlot, .progress, .skipped, .submitted: return []
        default: return [formatter.text(event)].compactMap { $0 }
        }
    }

    /// The live area: one line per active job (the oldest first, at most `height - 1`), then a status
    /// line. Every line fits in `width` columns, so the terminal never wraps one.
    public func frame(now: Double, width: Int, height: Int) -> [String] {
        let active = order.compactMap { rows[$0] }.filter { $0.phase.isActive }
        let room = max(1, height - 2)
        let shown = active.prefix(active.count > room ? room - 1 : room)
        let nameWidth = min(32, max(8, shown.map { $0.name.count }.max() ?? 8))
        var lines = shown.map { line(for: $0, now: now, nameWidth: nameWidth) }
        if active.count > shown.count { lines.append("  … and \(active.count - shown.count) more") }
        lines.append(statusLine(now: now))
        return lines.map { Self.fit($0, width: width) }
    }

    func line(for row: Row, now: Double, nameWidth: Int) -> String {
        var state = row.phase.label
        var percent = ""
        var rowsText = ""
        if row.phase == .running, let p = row.progress {
            state = p.state.description.clipped(to: 11)
            percent = "\(p.progress)%"
            if let rows = Self.rowCount(imported: p.importedRows, total: p.totalRows) { rowsText = rows + " rows" }
        }
        var line =
            "  " + Self.pad(Self.truncate(row.name.clipped(to: nameWidth), nameWidth), nameWidth) + "  " + Self.pad(state, 11) + " "
            + Self.padLeft(percent, 4) + "  " + Self.pad(rowsText, 26) + Self.padLeft(Self.duration(now - row.started), 7)
        // The stall warning itself scrolled above; the row keeps a marker until the job moves.
        if let since = row.stalledSince, row.phase.isActive { line += "  stalled " + Self.duration(now - since) }
        return line
    }

    func statusLine(now: Double) -> String {
        var counts: [Phase: Int] = [:]
        for row in rows.values { counts[row.phase, default: 0] += 1 }
        let active = (counts[.running] ?? 0) + (counts[.submitting] ?? 0) + (counts[.retrying] ?? 0)
        let finished = rows.count - active - (counts[.waitingForSlot] ?? 0)
        var parts: [String] = []
        if active > 0 { parts.append("\(active) active") }
        let stalled = rows.values.count { $0.stalledSince != nil && $0.phase.isActive }
        if stalled > 0 { parts.append("\(stalled) stalled") }
        for (phase, name) in [
            (Phase.waitingForSlot, "waiting for a slot"), (.submitted, "submitted"), (.adopted, "adopted"), (.completed, "completed"),
            (.skipped, "skipped"), (.failed, "failed"), (.importFailed, "failed on the server"),
            (.unknown, "unknown"), (.cleanedUp, "cleaned up"), (.stillRunning, "still running"), (.notSubmitted, "not submitted"),
        ] {
            if let n = counts[phase], n > 0 { parts.append("\(n) \(name)") }
        }
        return "[\(finished)/\(total) done] " + (parts.isEmpty ? "starting" : parts.joined(separator: " · "))
            + "  " + Self.duration(now - start)
    }

    /// The table printed when the run ends: every job when there are at most `limit`, otherwise the
    /// ones that need attention and a count of the rest; jobs never submitted are named up to
    /// `limit`, then counted. Cells are clipped (``ClippedValue``) and the columns aligned.
    public func summaryTable(now: Double, limit: Int = 40) -> [String] {
        let all = order.compactMap { rows[$0] }
        guard !all.isEmpty else { return [] }
        let fine: Set<Phase> = [.completed, .submitted, .adopted, .skipped]
        let notSubmitted = all.filter { $0.phase == .notSubmitted }
        let others = all.filter { $0.phase != .notSubmitted }
        let listedOthers = others.count <= limit ? others : others.filter { !fine.contains($0.phase) }
        let listed = listedOthers + notSubmitted.prefix(limit)
        let showNote = listed.contains { $0.reason != nil }
        var cells = [["JOB", "RESULT", "ROWS", "TIME", "JOB ID"] + (showNote ? ["NOTE"] : [])]
        for row in listed {
            var result = row.phase.label
            if row.phase == .stillRunning || row.phase.isActive, let p = row.progress {
                result = "\(p.state.description.clipped(to: 20)) \(p.progress)%"
            }
            var rowsText = row.progress.flatMap { Self.rowCount(imported: $0.importedRows, total: $0.totalRows) } ?? ""
            if row.phase == .importFailed {
                result = "failed on the server"
                // Milvus answers a failed job with zeros: the table shows how far it had got.
                if let seen = row.progress?.lastSeen {
                    result += " at \(seen.progress)%"
                    rowsText = Self.rowCount(imported: seen.importedRows, total: seen.totalRows) ?? ""
                }
            }
            let time = row.phase == .notSubmitted ? "" : Self.duration((row.ended ?? now) - row.started)
            var line = [row.name.clipped(to: 60), result, rowsText, time, row.jobIDs.joined(separator: ", ").clipped(to: 80)]
            if showNote { line.append((row.reason ?? "").clipped()) }
            cells.append(line)
        }
        var widths = Array(repeating: 0, count: cells[0].count)
        for line in cells { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var lines = cells.map { line in
            var out = ""
            for (i, cell) in line.enumerated() {
                // TIME is right-aligned; the last column is not padded.
                if i == line.count - 1 {
                    out += cell
                } else if i == 3 {
                    out += Self.padLeft(cell, widths[i]) + "  "
                } else {
                    out += Self.pad(cell, widths[i]) + "  "
                }
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        if listedOthers.count < others.count {
            var rest: [Phase: Int] = [:]
            for row in others where fine.contains(row.phase) { rest[row.phase, default: 0] += 1 }
            let text = [Phase.completed, .submitted, .adopted, .skipped].compactMap { p in rest[p].map { "\($0) \(p.label)" } }.joined(
                separator: ", ")
            lines.append("… and \(others.count - listedOthers.count) more: \(text)")
        }
        if notSubmitted.count > limit { lines.append("… and \(notSubmitted.count - limit) more not submitted") }
        return lines
    }

    // MARK: Text helpers

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Rows for a cell: `1,000/2,000`, or `1,000` when the server gave no total or 0 (a backup
    /// import is not counted, `totalRows` 0); nil when there is nothing to say (no rows yet, or
    /// the zeros of an early stage or a failed job).
    static func rowCount(imported: Int?, total: Int?) -> String? {
        guard let imported else { return nil }
        guard let total, total > 0 else { return imported > 0 ? grouped(imported) : nil }
        return grouped(imported) + "/" + grouped(total)
    }

    /// "0.4s", "12s", "3m05s", "1h02m".
    static func duration(_ seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 10 { return String(Int(s * 10) / 10) + "." + String(Int(s * 10) % 10) + "s" }
        let whole = Int(s)
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m" + two(whole % 60) + "s" }
        return "\(whole / 3600)h" + two(whole / 60 % 60) + "m"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Cuts a line to the terminal's width and drops trailing spaces.
    static func fit(_ line: String, width: Int) -> String {
        var out = line.count > width ? truncate(line, max(1, width)) : line
        while out.last == " " { out.removeLast() }
        return out
    }
}
