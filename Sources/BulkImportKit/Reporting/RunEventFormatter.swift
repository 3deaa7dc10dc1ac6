import Platform

/// Turns run events into lines for a log (one line per state change) or JSON (one object per line).
/// Secret fields never reach an event (requests carry placeholders), and each event goes through
/// `redactor` before it is encoded, so a secret value a name, a url or the server's words repeat
/// is masked too, whatever characters it holds. Names and ids are then clipped like any value, and
/// the server's words cut at 1000 characters, so a hostile value cannot make a line huge.
public struct RunEventFormatter: Sendable {
    /// The run's secrets (``ValidationResult/redactor``).
    public var redactor: Redactor
    /// Seconds since the Unix epoch, for each JSON event's `time`.
    public var now: @Sendable () -> Double

    public init(redactor: Redactor = Redactor(), now: @escaping @Sendable () -> Double = WallClock.now) {
        self.redactor = redactor
        self.now = now
    }

    /// The most failed files a JSON event lists; the rest are counted in `filesNotListed`.
    static let listedFiles = 100

    /// A human line, or nil for events a log does not need.
    public func text(_ event: RunEvent) -> String? {
        switch Self.clipped(redactor.redact(event)) {
        case .skipped(let job, let reason): return "skipped    \(job): \(reason)"
        case .changed(let job, _): return "changed    \(job): differs from the earlier run's job of this name; submitting it"
        case .started: return nil
        case .waitingForSlot(let job, let target, let limit):
            return
                "waiting    \(job): \(limit) unfinished jobs on \(target), this run's cap (--max-unfinished); submitting it when one ends"
        case .submitted(let job, let ids): return "submitted  \(job): job \(ids.joined(separator: ", "))"
        case .adopted(let job, let ids, let note):
            return "adopted    \(job): job \(ids.joined(separator: ", ")), which the target already had (\(note)); not created again"
        case .claimedElsewhere(let job, let runner, let left):
            return
                "claimed    \(job): another runner (\(runner)) holds it, for \(Int(left.rounded(.up))) s more unless it renews; looked at again once this run's own jobs are done"
        case .retrying(let job, let attempt, let delay, let error, let clamped):
            let wait = String(Int(delay * 1000)) + " ms"
            return
                "retrying   \(job): attempt \(attempt) failed (\(error)); next in \(wait)\(clamped ? " (the server's Retry-After was clamped)" : "")"
        case .failed(let job, let error): return "failed     \(job): \(error)"
        case .unknown(let job, let error, let advice): return "unknown    \(job): \(error); \(advice)"
        case .progress(let job, let p): return "progress   \(job): \(describe(p))"
        case .completed(let job, let p): return "completed  \(job): \(describe(p))"
        case .importFailed(let job, let p):
            var line = "failed     \(job): the import failed on the server"
            if let seen = p.lastSeen {
                // Milvus answers a failed job with zeros: say how far it had got.
                line += " at \(seen.progress)%"
                if let rows = LiveJobBoard.rowCount(imported: seen.importedRows, total: seen.totalRows) { line += " (\(rows) rows)" }
                line += " when last seen"
            }
            let files = p.files.filter { $0.reason != nil }
            // The job's reason is often the files' reasons joined: say each once.
            if let reason = p.reason, !files.allSatisfy({ reason.contains($0.reason!) }) || files.isEmpty {
                line += ": \(reason)"
            } else if files.isEmpty {
                line += ": no reason given"
            }
            for file in files.prefix(Self.listedFiles) {
                // A group the server was still retrying is not a failed one: say which it was.
                let state = file.state == .failed ? "" : " (\(file.state))"
                line += "\n             \(Self.paths(of: file).joined(separator: ", "))\(state): \(file.reason!)"
            }
            if files.count > Self.listedFiles { line += "\n             and \(Plural.count(files.count - Self.listedFiles, "more file"))" }
            return line
        case .cleanedUp(let job, let id):
            return
                "cleaned-up \(job): the server no longer knows job \(id) (finished jobs are cleaned up after some hours); this says nothing about the data"
        case .stillRunning(let job, let p):
            if p?.state == .uncommitted {
                return "running    \(job): still \(describe(p!)) when waiting stopped; \(Self.stallAdvice(p!))"
            }
            return
                "running    \(job): still \(p.map(describe) ?? "running") when waiting stopped; `bulk-import status --wait` follows it to the end"
        case .note(let job, let message): return "note       \(job): \(message)"
        case .pollFailed(let job, let error): return "unreadable \(job): its progress could not be read (\(error)); trying again"
        case .stalled(let job, let p, let seconds):
            var line = "stalled    \(job): no progress for \(LiveJobBoard.duration(seconds)) (\(describe(p))); \(Self.stallAdvice(p))"
            if p.files.isEmpty {
                line += "\n             files: the server reported none"
            } else {
                line += "\n             files: " + Self.stateCounts(p.files)
                let open = p.files.filter { $0.state != .completed }
                for file in open.prefix(Self.listedFiles) {
                    line += "\n             \(Self.paths(of: file).joined(separator: ", ")): \(Self.describe(file))"
                }
                if open.count > Self.listedFiles {
                    line += "\n             and \(Plural.count(open.count - Self.listedFiles, "more file"))"
                }
            }
            return line
        case .interrupted: return "interrupted: no new submissions; every submitted job is in the ledger"
        }
    }

    private func describe(_ p: JobProgress) -> String {
        var text = "\(p.state) \(p.progress)%"
        // Grouped as the tables group them: one number format. No "0/0 rows": early stages and
        // backup imports (`totalRows` 0) have no count yet.
        if let rows = LiveJobBoard.rowCount(imported: p.importedRows, total: p.totalRows) { text += ", \(rows) rows" }
        let retrying = p.files.count { $0.state == .retry }
        if retrying > 0 && !p.state.isTerminal { text += ", \(Plural.count(retrying, "file group")) in Retry (the server tries again)" }
        return text
    }

    /// One file group's state: `InProgress 40%, 400/1,000 rows`, with its reason.
    static func describe(_ file: FileProgress) -> String {
        var text = "\(file.state) \(file.progress)%"
        if let rows = LiveJobBoard.rowCount(imported: file.importedRows, total: file.totalRows) { text += ", \(rows) rows" }
        if let reason = file.reason { text += ": \(reason)" }
        return text
    }

    /// `2 Completed, 1 Retry`: the file groups by state, in the order the states come.
    static func stateCounts(_ files: [FileProgress]) -> String {
        var order: [FileState] = []
        var counts: [FileState: Int] = [:]
        for file in files {
            if counts[file.state] == nil { order.append(file.state) }
            counts[file.state, default: 0] += 1
        }
        return order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
    }

    /// What a job that stopped moving in `p`'s state is usually waiting for.
    ///
    /// Milvus counts its stages into one percentage (`GetJobProgress` in
    /// `internal/datacoord/import_util.go`): the index build, which the job waits for while
    /// `dataCoord.import.waitForIndex` is on (the default), is 80-90 % in the weights of Milvus 2.4
    /// to 2.6 and 60-90 % in the newer import path (Import V3: 10/5/30/5/10/30). No percentage is
    /// taken to mean a stage here: the pause is explained by the state alone.
    static func stallAdvice(_ p: JobProgress) -> String {
        var advice: String
        switch p.state {
        case .pending:
            advice =
                "a job stays Pending while the server's import queue is full or no data node is free to take it; "
                + "without a `timeout` option the server never gives up on it"
        case .importing:
            advice =
                "a long pause while Importing is usually the index build: the server waits for the imported data's indexes "
                + "(dataCoord.import.waitForIndex, on by default), somewhere between 60% and 90% depending on the server version; "
                + "without a `timeout` option the server never gives up on it"
        case .uncommitted:
            advice =
                "a two-phase import (auto_commit false) waits at Uncommitted for a commit or an abort: nothing more happens until one is sent"
        case .committing: advice = "the server is applying the commit of a two-phase import"
        case .completed, .failed, .other: advice = "the server reports no change"
        }
        let retrying = p.files.count { $0.state == .retry }
        if retrying > 0 { advice += "; \(Plural.count(retrying, "file group")) in Retry: the server tries again, it is not a failure" }
        return advice
    }

    /// One JSON object.
    public func json(_ event: RunEvent) -> String {
        var pairs: [(String, JSONValue)]
        /// The progress fields; `files` lists every group with `allFiles`, else the ones that need
        /// a look (a reason, Failed, Retry).
        func progress(_ p: JobProgress, allFiles: Bool = false) -> [(String, JSONValue)] {
            var out: [(String, JSONValue)] = [("state", .string(p.state.description)), ("progress", .int(p.progress))]
            if let r = p.importedRows { out.append(("importedRows", .int(r))) }
            if let t = p.totalRows { out.append(("totalRows", .int(t))) }
            if let reason = p.reason { out.append(("reason", .string(reason))) }
            if let seen = p.lastSeen {
                var last: [(String, JSONValue)] = [("progress", .int(seen.progress))]
                if let r = seen.importedRows { last.append(("importedRows", .int(r))) }
                if let t = seen.totalRows { last.append(("totalRows", .int(t))) }
                out.append(("lastSeen", .object(last)))
            }
            let listed = allFiles ? p.files : p.files.filter { $0.reason != nil || $0.state == .failed || $0.state == .retry }
            if !listed.isEmpty {
                out.append(("files", .array(listed.prefix(Self.listedFiles).map(Self.json))))
                if listed.count > Self.listedFiles { out.append(("filesNotListed", .int(listed.count - Self.listedFiles))) }
            }
            return out
        }
        switch Self.clipped(redactor.redact(event)) {
        case .skipped(let job, let reason): pairs = [("event", "skipped"), ("job", .string(job)), ("reason", .string(reason))]
        case .changed(let job, let previous): pairs = [("event", "changed"), ("job", .string(job)), ("previousDigest", .string(previous))]
        case .started(let job): pairs = [("event", "started"), ("job", .string(job))]
        case .waitingForSlot(let job, let target, let limit):
            pairs = [("event", "waiting"), ("job", .string(job)), ("target", .string(target)), ("unfinishedLimit", .int(limit))]
        case .submitted(let job, let ids):
            pairs = [("event", "submitted"), ("job", .string(job)), ("jobIds", .array(ids.map(JSONValue.string)))]
        case .adopted(let job, let ids, let note):
            pairs = [("event", "adopted"), ("job", .string(job)), ("jobIds", .array(ids.map(JSONValue.string))), ("note", .string(note))]
        case .claimedElsewhere(let job, let runner, let left):
            pairs = [("event", "claimed-elsewhere"), ("job", .string(job)), ("runner", .string(runner)), ("secondsLeft", .double(left))]
        case .retrying(let job, let attempt, let delay, let error, let clamped):
            pairs = [
                ("event", "retrying"), ("job", .string(job)), ("attempt", .int(attempt)), ("delaySeconds", .double(delay)),
                ("error", .string(error)), ("retryAfterClamped", .bool(clamped)),
            ]
        case .failed(let job, let error): pairs = [("event", "failed"), ("job", .string(job)), ("error", .string(error))]
        case .unknown(let job, let error, let advice):
            pairs = [("event", "unknown"), ("job", .string(job)), ("error", .string(error)), ("advice", .string(advice))]
        case .progress(let job, let p): pairs = [("event", "progress"), ("job", .string(job))] + progress(p)
        case .completed(let job, let p): pairs = [("event", "completed"), ("job", .string(job))] + progress(p)
        case .importFailed(let job, let p): pairs = [("event", "failed"), ("job", .string(job)), ("onServer", .bool(true))] + progress(p)
        case .cleanedUp(let job, let id): pairs = [("event", "cleaned-up"), ("job", .string(job)), ("jobId", .string(id))]
        case .stillRunning(let job, let p): pairs = [("event", "running"), ("job", .string(job))] + (p.map { progress($0) } ?? [])
        case .note(let job, let message): pairs = [("event", "note"), ("job", .string(job)), ("message", .string(message))]
        case .pollFailed(let job, let error): pairs = [("event", "poll-failed"), ("job", .string(job)), ("error", .string(error))]
        case .stalled(let job, let p, let seconds):
            pairs =
                [("event", "stalled"), ("job", .string(job)), ("stalledSeconds", .double(seconds))] + progress(p, allFiles: true)
                + [("advice", .string(Self.stallAdvice(p)))]
        case .interrupted: pairs = [("event", "interrupted")]
        }
        pairs.insert(("time", .string(Self.timestamp(now()))), at: 1)
        return JSONWriter.write(.object(pairs))
    }

    /// One file group in a JSON event: its paths, state, progress, rows, reason.
    static func json(_ file: FileProgress) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("file", .array(paths(of: file).map(JSONValue.string))), ("state", .string(file.state.description)),
            ("progress", .int(file.progress)),
        ]
        if let r = file.importedRows { pairs.append(("importedRows", .int(r))) }
        if let t = file.totalRows { pairs.append(("totalRows", .int(t))) }
        if let c = file.completeTime { pairs.append(("completeTime", .string(c))) }
        if let reason = file.reason { pairs.append(("reason", .string(reason))) }
        return .object(pairs)
    }

    /// The paths of a file group: as the API's client read them out of the server's name for it
    /// (`[a/1.parquet]`, `[a, b]`, `id:1 paths:"a"`), or the name itself when it names none.
    static func paths(of file: FileProgress) -> [String] {
        file.paths.isEmpty ? [file.file] : file.paths
    }

    /// RFC 3339 in UTC with milliseconds, `2026-11-30T16:37:53.123Z`.
    public static func timestamp(_ secondsSinceEpoch: Double) -> String {
        let milliseconds = Int((secondsSinceEpoch * 1000).rounded(.down))
        let (seconds, ms) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (whole, fraction) = ms < 0 ? (seconds - 1, ms + 1000) : (seconds, ms)
        let digits = String(fraction)
        return JobListReport.utc(whole).dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// `event` with its names and ids clipped (``ClippedValue``) and the server's words cut at 1000
    /// characters.
    static func clipped(_ event: RunEvent) -> RunEvent {
        let name: (String) -> String = { $0.clipped() }
        let words: (String) -> String = Diagnostic.limited
        func ids(_ ids: [String]) -> [String] { ids.prefix(listedFiles).map(name) }
        func progress(_ p: JobProgress) -> JobProgress {
            var p = p
            if case .other(let state) = p.state { p.state = .other(state.clipped()) }
            p.reason = p.reason.map(words)
            p.files = p.files.map { file in
                var file = file
                file.file = name(file.file)
                if case .other(let state) = file.state { file.state = .other(state.clipped()) }
                file.completeTime = file.completeTime.map(name)
                file.reason = file.reason.map(words)
                file.paths = file.paths.prefix(listedFiles).map(name)
                return file
            }
            return p
        }
        switch event {
        case .skipped(let job, let reason): return .skipped(job: name(job), reason: words(reason))
        case .changed(let job, let previous): return .changed(job: name(job), previousDigest: name(previous))
        case .started(let job): return .started(job: name(job))
        case .waitingForSlot(let job, let target, let limit): return .waitingForSlot(job: name(job), target: name(target), limit: limit)
        case .submitted(let job, let jobIDs): return .submitted(job: name(job), jobIDs: ids(jobIDs))
        case .adopted(let job, let jobIDs, let note): return .adopted(job: name(job), jobIDs: ids(jobIDs), note: words(note))
        case .claimedElsewhere(let job, let runner, let left):
            return .claimedElsewhere(job: name(job), runner: name(runner), secondsLeft: left)
        case .retrying(let job, let attempt, let delay, let error, let clamped):
            return .retrying(job: name(job), attempt: attempt, delaySeconds: delay, error: words(error), clamped: clamped)
        case .failed(let job, let error): return .failed(job: name(job), error: words(error))
        case .unknown(let job, let error, let advice): return .unknown(job: name(job), error: words(error), advice: words(advice))
        case .progress(let job, let p): return .progress(job: name(job), progress: progress(p))
        case .completed(let job, let p): return .completed(job: name(job), progress: progress(p))
        case .importFailed(let job, let p): return .importFailed(job: name(job), progress: progress(p))
        case .cleanedUp(let job, let id): return .cleanedUp(job: name(job), jobID: name(id))
        case .stillRunning(let job, let p): return .stillRunning(job: name(job), progress: p.map(progress))
        case .note(let job, let message): return .note(job: name(job), message: words(message))
        case .pollFailed(let job, let error): return .pollFailed(job: name(job), error: words(error))
        case .stalled(let job, let p, let seconds): return .stalled(job: name(job), progress: progress(p), seconds: seconds)
        case .interrupted: return .interrupted
        }
    }

    /// The closing summary: the jobs selected, then only the counts that are not zero.
    public func summaryText(_ s: RunSummary) -> String {
        let counts = s.counts
        return "\(s.interrupted ? "interrupted" : "done"): \(Plural.count(s.selected, "job")) selected"
            + (counts.isEmpty ? "" : "; " + counts.joined(separator: ", "))
    }

    /// The closing summary as JSON; `exitCode` is the process's (``RunSummary/exitCode`` unless given).
    public func summaryJSON(_ s: RunSummary, exitCode: Int32? = nil) -> String {
        JSONWriter.write(
            .object([
                ("event", "summary"), ("time", .string(Self.timestamp(now()))), ("selected", .int(s.selected)),
                ("submitted", .int(s.submitted)), ("skipped", .int(s.skipped)),
                ("adopted", .int(s.adopted)), ("claimedElsewhere", .int(s.claimedElsewhere)),
                ("failed", .int(s.failed)), ("unknown", .int(s.unknown)), ("notSubmitted", .int(s.notSubmitted)),
                ("completed", .int(s.completed)), ("importFailed", .int(s.importFailed)), ("stillRunning", .int(s.stillRunning)),
                ("cleanedUp", .int(s.cleanedUp)), ("unreadable", .int(s.unreadable)), ("interrupted", .bool(s.interrupted)),
                ("exitCode", .int(Int(exitCode ?? s.exitCode))),
            ]))
    }
}
