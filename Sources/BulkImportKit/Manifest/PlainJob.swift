import LibYAML

/// A job of `jobs` read straight from libyaml's events, without composing a node tree, when it is
/// plain: a mapping of job keys, each written once, whose values have the shape the field wants
/// (scalars; `files` a list of paths or lists of paths; `options` a mapping of scalars), and no
/// anchor, alias, tag or `<<` merge anywhere in it. A plain key that is no field at all (a
/// misspelling, or 100,000 of them) with a scalar value is kept by name, to be reported.
///
/// Anything else (an inline target, a quoted key, a field of ``JobFields`` this reader does not
/// read, such as one added later, a wrong shape, a duplicate key) makes ``read(_:start:buffer:)``
/// return nil; the loader then hands the events read so far back to the composer and decodes the job from
/// its node as before, so every diagnostic stays that of the one decoder.
struct PlainJob {
    /// A scalar as the event gave it.
    struct Scalar {
        var scalar: YAMLScalar
        var span: YAMLSpan

        var node: YAMLNode { YAMLNode(.scalar(scalar), span: span) }
    }

    /// One item of `files`: a path, or a list of paths.
    enum FileItem {
        case path(Scalar)
        case group([Scalar], span: YAMLSpan)
    }

    enum Value {
        case scalar(Scalar)
        case files([FileItem], span: YAMLSpan)
        case options([(key: Scalar, value: Scalar)], span: YAMLSpan)
    }

    /// A plain key that is no field of a job, with a scalar value (never read, but kept to be
    /// handed back to the composer if the job turns out not to be plain).
    struct UnknownKey {
        var name: String
        var keySpan: YAMLSpan
        var value: Scalar
    }

    /// The job's keys, by their place in ``keys``.
    enum Key: Int, CaseIterable {
        case name, target, collectionName, partitionName, dbName, files, objectURL, accessKey, secretKey, token, options
    }

    /// The keys, as written, in the order of ``Key``.
    static let keys = [
        "name", "target", "collection_name", "partition_name", "db_name", "files", "object_url", "access_key", "secret_key",
        "token", "options",
    ]

    /// Each key as a set of one, in the order of ``Key``: added to a job's written keys without
    /// looking the name up again.
    static let keySets: [FieldNameSet] = keys.map { [$0] }

    var span: YAMLSpan
    /// The pairs of the job's keys in document order, each with how many unknown keys were read
    /// before it.
    var pairs: [(key: Key, value: Value, keySpan: YAMLSpan, unknownBefore: Int)] = []
    /// The keys that are no field, in document order: kept apart, small, and out of the replay
    /// buffer (100,000 of them were 200,000 events copied for nothing, in pairs twice their size).
    var unknownKeys: [UnknownKey] = []
    /// Each run of unknown keys read one after another: its first key and where in the replay
    /// buffer its events go back (a run's events would all have been there, between two pairs).
    private var unknownRuns: [(first: Int, replayAt: Int)] = []
    /// The nodes read: what composing them would have counted.
    var nodes = 0

    /// Reads the job whose `mappingStart` event was `start` (already in `buffer`); nil as soon as
    /// the job is not plain, with every event read since `start` appended to `buffer`, in order.
    static func read(_ composer: YAMLComposer, start: YAMLEvent, buffer: inout [YAMLEvent]) throws(YAMLError) -> PlainJob? {
        guard case .mappingStart(nil, nil, let startSpan) = start else { return nil }
        var job = PlainJob(span: startSpan)
        if try job.read(composer, buffer: &buffer) { return job }
        job.restoreUnknownKeys(into: &buffer)
        return nil
    }

    /// Puts the events of the unknown keys read back into `buffer`, each pair where it was read.
    private func restoreUnknownKeys(into buffer: inout [YAMLEvent]) {
        guard !unknownRuns.isEmpty else { return }
        var restored: [YAMLEvent] = []
        restored.reserveCapacity(buffer.count + 2 * unknownKeys.count)
        var next = 0
        for (r, run) in unknownRuns.enumerated() {
            restored.append(contentsOf: buffer[next..<run.replayAt])
            next = run.replayAt
            let end = r + 1 < unknownRuns.count ? unknownRuns[r + 1].first : unknownKeys.count
            for key in unknownKeys[run.first..<end] {
                // A plain key, no tag nor anchor: what the reader took it for.
                restored.append(.scalar(YAMLScalar(key.name, style: .plain), tag: nil, anchor: nil, span: key.keySpan))
                restored.append(.scalar(key.value.scalar, tag: nil, anchor: nil, span: key.value.span))
            }
        }
        restored.append(contentsOf: buffer[next...])
        buffer = restored
    }

    /// The key of a job named `name` that this reader reads.
    private static func key(named name: String) -> Key? {
        // A few short ASCII names: lengths first, then bytes, beats hashing and eleven compares.
        let length = name.utf8.count
        for i in keyLengths.indices where keyLengths[i] == length && keys[i] == name { return Key(rawValue: i) }
        return nil
    }
    private static let keyLengths = keys.map(\.utf8.count)

    /// The fields of a job this reader leaves to the decoder (one added later).
    private static let unreadFields = JobFields.fieldNames.filter { !keys.contains($0) }

    /// Reads the rest of the job into `self`; false as soon as it is not plain.
    private mutating func read(_ composer: YAMLComposer, buffer: inout [YAMLEvent]) throws(YAMLError) -> Bool {
        var job = self
        defer { self = job }
        job.pairs.reserveCapacity(Key.allCases.count)  // one allocation, not one per growth
        var seen = 0
        // The unknown keys so far, by seeded hash, for repeats (a chance collision only hands the
        // job to the composer, which compares names).
        var unknown: Set<SeededHash> = []
        job.nodes = 1
        let limit = composer.limits.maxNodesPerValue
        func next() throws(YAMLError) -> YAMLEvent {
            let event = try composer.nextEvent()
            buffer.append(event)
            return event
        }
        /// A scalar with no tag or anchor, counted; nil past the node limit too (composing reports it).
        func scalar(_ event: YAMLEvent) -> Scalar? {
            guard case .scalar(let s, nil, nil, let span) = event, job.nodes < limit else { return nil }
            job.nodes += 1
            return Scalar(scalar: s, span: span)
        }
        while true {
            let keyEvent = try next()
            if case .mappingEnd(let end) = keyEvent {
                job.span.end = end.end
                return job.nodes <= limit
            }
            guard let keyScalar = scalar(keyEvent), keyScalar.scalar.style == .plain else { return false }
            let name = keyScalar.scalar.value
            guard let key = Self.key(named: name) else {
                // No field of a job, nor one this reader leaves to the decoder: reported by name.
                guard !Self.unreadFields.contains(name), name != "<<" else { return false }
                let valueEvent = try composer.nextEvent()
                guard let value = scalar(valueEvent), unknown.insert(SeededHash(name.hashValue)).inserted else {
                    buffer.append(valueEvent)
                    return false
                }
                buffer.removeLast()  // the key's event: put back from `unknownKeys`
                if job.unknownRuns.last?.replayAt != buffer.count {
                    job.unknownRuns.append((job.unknownKeys.count, buffer.count))
                }
                job.unknownKeys.append(UnknownKey(name: name, keySpan: keyScalar.span, value: value))
                if job.nodes > limit { return false }
                continue
            }
            let index = key.rawValue
            guard seen & (1 << index) == 0 else { return false }
            seen |= 1 << index
            let valueEvent = try next()
            let value: Value
            switch key {
            case .files:
                guard case .sequenceStart(nil, nil, let listStart) = valueEvent else { return false }
                job.nodes += 1
                var items: [FileItem] = []
                items.reserveCapacity(4)
                while true {
                    let item = try next()
                    if case .sequenceEnd(let end) = item {
                        value = .files(items, span: YAMLSpan(start: listStart.start, end: end.end))
                        break
                    }
                    if let path = scalar(item) {
                        items.append(.path(path))
                        continue
                    }
                    guard case .sequenceStart(nil, nil, let groupStart) = item else { return false }
                    job.nodes += 1
                    var paths: [Scalar] = []
                    while true {
                        let event = try next()
                        if case .sequenceEnd(let end) = event {
                            items.append(.group(paths, span: YAMLSpan(start: groupStart.start, end: end.end)))
                            break
                        }
                        guard let path = scalar(event) else { return false }
                        paths.append(path)
                    }
                    if job.nodes > limit { return false }
                }
            case .options:
                guard case .mappingStart(nil, nil, let mapStart) = valueEvent else { return false }
                job.nodes += 1
                var options: [(key: Scalar, value: Scalar)] = []
                while true {
                    let event = try next()
                    if case .mappingEnd(let end) = event {
                        value = .options(options, span: YAMLSpan(start: mapStart.start, end: end.end))
                        break
                    }
                    guard let optionKey = scalar(event), !(optionKey.scalar.style == .plain && optionKey.scalar.value == "<<"),
                        !options.contains(where: { $0.key.scalar.value == optionKey.scalar.value }),
                        let optionValue = scalar(try next())
                    else { return false }
                    options.append((optionKey, optionValue))
                    if job.nodes > limit { return false }
                }
            default:
                guard let s = scalar(valueEvent) else { return false }
                value = .scalar(s)
            }
            job.pairs.append((key, value, keyScalar.span, job.unknownKeys.count))
        }
    }
}

/// A value's hash, already seeded (`hashValue`), kept in a set as it is: a `Set<Int>` hashed each
/// one again (100,000 unknown keys hashed twice).
private struct SeededHash: Hashable {
    var value: Int

    init(_ value: Int) {
        self.value = value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }

    func _rawHashValue(seed: Int) -> Int {
        value
    }
}

extension ManifestDecoder {
    /// Decodes a plain job exactly as ``job(_:index:)`` decodes its node: the same checks, in the
    /// same order, with the same diagnostics.
    mutating func job(_ plain: PlainJob, index: Int) -> JobSpec? {
        func path() -> String { "jobs[\(index)]" }
        var jobName: Located<String>?
        if let namePair = plain.pairs.first(where: { $0.key == .name }), case .scalar(let value) = namePair.value {
            jobName = name(value.node, path: "\(path()).name", job: nil, what: "job name")
        } else {
            diagnostics.emit(.jobWithoutName(path(), at: location(plain.span)))
        }
        let here = path()
        let job = jobName?.value
        var fields = JobFields()
        // The unknown keys, each where it was read among the pairs. Those past the bag's cap are
        // only counted: no alias reaches into a plain job, so none can be reported again at its place.
        var unknownReported = 0
        var unknownPastCap = 0
        func reportUnknownKeys(upTo end: Int) {
            while unknownReported < end {
                defer { unknownReported += 1 }
                if unknownPastCap > 0 || diagnostics.isFull(.unknownField, file: file, job: job) {
                    unknownPastCap += 1
                    continue
                }
                let key = plain.unknownKeys[unknownReported]
                unknownField(key.name, at: key.keySpan, in: here, known: Self.jobKeys, level: .job, job: job)
            }
        }
        for pair in plain.pairs {
            reportUnknownKeys(upTo: pair.unknownBefore)
            let (field, value) = (pair.key, pair.value)
            let key = PlainJob.keys[field.rawValue]
            fields.present.formUnion(PlainJob.keySets[field.rawValue])
            switch (field, value) {
            case (.name, _): continue
            case (.target, .scalar(let value)):
                if let name = text(value.node, path: "\(here).\(key)", job: job) { fields.target = .named(name) }
            case (.collectionName, .scalar(let value)): fields.collectionName = template(value.node, path: "\(here).\(key)", job: job)
            case (.partitionName, .scalar(let value)): fields.partitionName = template(value.node, path: "\(here).\(key)", job: job)
            case (.dbName, .scalar(let value)): fields.dbName = template(value.node, path: "\(here).\(key)", job: job)
            case (.objectURL, .scalar(let value)): fields.objectURL = template(value.node, path: "\(here).\(key)", job: job)
            case (.accessKey, .scalar(let value)):
                fields.accessKey = template(value.node, path: "\(here).\(key)", job: job, typed: false)
            case (.secretKey, .scalar(let value)):
                fields.secretKey = template(value.node, path: "\(here).\(key)", job: job, typed: false)
            case (.token, .scalar(let value)): fields.token = template(value.node, path: "\(here).\(key)", job: job, typed: false)
            case (.files, .files(let items, let span)): fields.files = files(items, span: span, path: "\(here).\(key)", job: job)
            case (.options, .options(let pairs, let span)):
                fields.options = options(pairs, span: span, path: "\(here).\(key)", job: job)
            default:
                preconditionFailure("PlainJob.read gives each key the shape it decodes")
            }
        }
        reportUnknownKeys(upTo: plain.unknownKeys.count)
        if unknownPastCap > 0 {
            diagnostics.countPastCap(unknownPastCap, of: .unknownField, severity: .error, file: file, job: job)
        }
        guard let jobName else { return nil }
        return JobSpec(name: jobName, fields: fields, span: plain.span, index: index)
    }

    /// As `files(_:path:job:)` for a list of paths and lists of paths.
    private mutating func files(
        _ items: [PlainJob.FileItem], span: YAMLSpan, path: @autoclosure () -> String, job: String?
    ) -> Located<[FileGroupSpec]> {
        var groups: [FileGroupSpec] = []
        groups.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            switch item {
            case .path(let file):
                if let file = template(file.node, path: "\(path())[\(i)]", job: job) {
                    groups.append(FileGroupSpec(paths: [file], span: file.span))
                }
            case .group(let paths, let groupSpan):
                var located: [Located<StringTemplate>] = []
                for (j, p) in paths.enumerated() {
                    if let t = template(p.node, path: "\(path())[\(i)][\(j)]", job: job) { located.append(t) }
                }
                groups.append(FileGroupSpec(paths: located, span: groupSpan))
            }
        }
        return Located(groups, at: span)
    }

    /// As `options(_:path:job:)` for a mapping of scalars.
    private mutating func options(
        _ pairs: [(key: PlainJob.Scalar, value: PlainJob.Scalar)], span: YAMLSpan, path: @autoclosure () -> String, job: String?
    ) -> Located<[OptionSpec]> {
        var options: [OptionSpec] = []
        for pair in pairs {
            let key = pair.key.scalar.value
            if let value = template(pair.value.node, path: "\(path()).\(key.clipped())", job: job, allowEmpty: true, typed: false) {
                options.append(OptionSpec(key: Located(key, at: pair.key.span, path: value.path), value: value))
            }
        }
        return Located(options, at: span)
    }
}
