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
            let files = p.files.filter { $0.reason != nil }
            // The job's reason is often the files' reasons joined: say each once.
            if let reason = p.reason, !files.allSatisfy({ reason.contains($0.reason!) }) || files.isEmpty {
                line += ": \(reason)"
            } else if files.isEmpty {
                line += ": no reason given"
            }
            for file in files.prefix(Self.listedFiles) {
                line += "\n             \(Self.paths(of: file).joined(separator: ", ")): \(file.reason!)"
            }
            if files.count > Self.listedFiles { line += "\n             and \(Plural.count(files.count - Self.listedFiles, "more file"))" }
            return line
        case .cleanedUp(let job, let id):
            return
                "cleaned-up \(job): the server no longer knows job \(id) (finished jobs are cleaned up after some hours); this says nothing about the data"
        case .stillRunning(let job, let p):
            return
                "running    \(job): still \(p.map(describe) ?? "running") when waiting stopped; `bulk-import status --wait` follows it to the end"
        case .note(let job, let message): return "note       \(job): \(message)"
        case .pollFailed(let job, let error): return "unreadable \(job): its progress could not be read (\(error)); trying again"
        case .interrupted: return "interrupted: no new submissions; every submitted job is in the ledger"
        }
    }

    private func describe(_ p: JobProgress) -> String {
        var text = "\(p.state) \(p.progress)%"
        // Grouped as the tables group them: one number format.
        if let rows = p.importedRows {
            text += ", \(LiveJobBoard.grouped(rows))\(p.totalRows.map { "/" + LiveJobBoard.grouped($0) } ?? "") rows"
        }
        if p.state == .importing && p.progress == 80 { text += " (building indexes; a pause here is normal)" }
        return text
    }

    /// One JSON object.
    public func json(_ event: RunEvent) -> String {
        var pairs: [(String, JSONValue)]
        func progress(_ p: JobProgress) -> [(String, JSONValue)] {
            var out: [(String, JSONValue)] = [("state", .string(p.state.description)), ("progress", .int(p.progress))]
            if let r = p.importedRows { out.append(("importedRows", .int(r))) }
            if let t = p.totalRows { out.append(("totalRows", .int(t))) }
            if let reason = p.reason { out.append(("reason", .string(reason))) }
            let failed = p.files.filter { $0.reason != nil }
            if !failed.isEmpty {
                out.append(
                    (
                        "files",
                        .array(
                            failed.prefix(Self.listedFiles).map {
                                .object([("file", .array(Self.paths(of: $0).map(JSONValue.string))), ("reason", .string($0.reason!))])
                            })
                    ))
                if failed.count > Self.listedFiles { out.append(("filesNotListed", .int(failed.count - Self.listedFiles))) }
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
        case .stillRunning(let job, let p): pairs = [("event", "running"), ("job", .string(job))] + (p.map(progress) ?? [])
        case .note(let job, let message): pairs = [("event", "note"), ("job", .string(job)), ("message", .string(message))]
        case .pollFailed(let job, let error): pairs = [("event", "poll-failed"), ("job", .string(job)), ("error", .string(error))]
        case .interrupted: pairs = [("event", "interrupted")]
        }
        pairs.insert(("time", .string(Self.timestamp(now()))), at: 1)
        return JSONWriter.write(.object(pairs))
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
