/// The values output is built from, masked before any format encodes them: every string that came
/// from a manifest or a server (names, urls, paths, ids, messages, reasons) goes through
/// ``Redactor/redact(_:)-(String)``, so reporters and renderers never see a secret to escape.
extension Redactor {
    /// `diagnostic` with every secret value masked in all its text, for a reporter to encode.
    public func redact(_ diagnostic: Diagnostic) -> Diagnostic {
        guard !isEmpty else { return diagnostic }
        var d = diagnostic
        d.message = redact(d.message)
        d.location = redact(d.location)
        d.job = d.job.map(redact)
        d.path = d.path.map(redact)
        d.fix = d.fix.map(redact)
        d.notes = d.notes.map { note in
            var note = note
            note.message = redact(note.message)
            note.location = note.location.map(redact)
            return note
        }
        return d
    }

    /// `location` with its file name masked.
    public func redact(_ location: ManifestLocation) -> ManifestLocation {
        guard !isEmpty else { return location }
        var location = location
        location.file = redact(location.file)
        return location
    }

    /// `value` with every string in it masked, object keys included.
    public func redact(_ value: JSONValue) -> JSONValue {
        guard !isEmpty else { return value }
        switch value {
        case .null, .bool, .int, .double: return value
        case .string(let text): return .string(redact(text))
        case .array(let items): return .array(items.map(redact))
        case .object(let members): return .object(members.map { (redact($0.0), redact($0.1)) })
        }
    }

    /// `event` with every string in it masked: job and target names, ids, the server's words.
    public func redact(_ event: RunEvent) -> RunEvent {
        guard !isEmpty else { return event }
        switch event {
        case .skipped(let job, let reason): return .skipped(job: redact(job), reason: redact(reason))
        case .changed(let job, let previous): return .changed(job: redact(job), previousDigest: redact(previous))
        case .started(let job): return .started(job: redact(job))
        case .waitingForSlot(let job, let target, let limit):
            return .waitingForSlot(job: redact(job), target: redact(target), limit: limit)
        case .submitted(let job, let ids): return .submitted(job: redact(job), jobIDs: ids.map(redact))
        case .adopted(let job, let ids, let note): return .adopted(job: redact(job), jobIDs: ids.map(redact), note: redact(note))
        case .claimedElsewhere(let job, let runner, let left):
            return .claimedElsewhere(job: redact(job), runner: redact(runner), secondsLeft: left)
        case .retrying(let job, let attempt, let delay, let error, let clamped):
            return .retrying(job: redact(job), attempt: attempt, delaySeconds: delay, error: redact(error), clamped: clamped)
        case .failed(let job, let error): return .failed(job: redact(job), error: redact(error))
        case .unknown(let job, let error, let advice):
            return .unknown(job: redact(job), error: redact(error), advice: redact(advice))
        case .progress(let job, let p): return .progress(job: redact(job), progress: redact(p))
        case .completed(let job, let p): return .completed(job: redact(job), progress: redact(p))
        case .importFailed(let job, let p): return .importFailed(job: redact(job), progress: redact(p))
        case .cleanedUp(let job, let id): return .cleanedUp(job: redact(job), jobID: redact(id))
        case .stillRunning(let job, let p): return .stillRunning(job: redact(job), progress: p.map(redact))
        case .note(let job, let message): return .note(job: redact(job), message: redact(message))
        case .pollFailed(let job, let error): return .pollFailed(job: redact(job), error: redact(error))
        case .stalled(let job, let progress, let seconds): return .stalled(job: redact(job), progress: redact(progress), seconds: seconds)
        case .interrupted: return .interrupted
        }
    }

    /// `progress` with the server's words masked: reasons, file names, a state it spelled itself.
    public func redact(_ progress: JobProgress) -> JobProgress {
        guard !isEmpty else { return progress }
        var p = progress
        p.state = redact(p.state)
        p.reason = p.reason.map(redact)
        p.files = p.files.map { file in
            var file = file
            file.file = redact(file.file)
            file.state = redact(file.state)
            file.reason = file.reason.map(redact)
            file.completeTime = file.completeTime.map(redact)
            file.paths = file.paths.map(redact)
            return file
        }
        return p
    }

    /// `job`, a line of a server's job list, with its strings masked.
    public func redact(_ job: ListedJob) -> ListedJob {
        guard !isEmpty else { return job }
        var j = job
        j.jobID = redact(j.jobID)
        j.collectionName = j.collectionName.map(redact)
        j.state = redact(j.state)
        j.files = j.files.map { $0.map(redact) }
        j.partitionName = j.partitionName.map(redact)
        j.reason = j.reason.map(redact)
        return j
    }

    private func redact(_ state: JobState) -> JobState {
        if case .other(let name) = state { return .other(redact(name)) }
        return state
    }

    private func redact(_ state: FileState) -> FileState {
        if case .other(let name) = state { return .other(redact(name)) }
        return state
    }
}
