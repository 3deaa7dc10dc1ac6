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
    /// The events of the job, from its `mappingStart` to its `mappingEnd`, as read: the reader moves
    /// each into the caller's buffer and keeps only where the parts of the job are in it, so a
    /// scalar is neither copied nor kept twice, and a job that turns out not to be plain leaves
    /// its events where the composer takes them back, in order, as they are.
    typealias Events = [YAMLEvent]

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

    /// A key of the job and where its value's events are: one scalar (`value` only), or the
    /// `sequenceStart` or `mappingStart` at `value` up to its end event at `end`.
    struct Pair {
        var key: Key
        /// The key's scalar event.
        var keyAt: Int
        var value: Int
        var end: Int
    }

    var span: YAMLSpan
    /// The pairs of the job's keys, in document order.
    var pairs: [Pair] = []
    /// The plain keys that are no field (each a scalar event, its value the scalar after it), in
    /// document order.
    var unknownKeys: [Int] = []
    /// The nodes read: what composing them would have counted.
    var nodes = 0

    /// Reads the job whose `mappingStart` event was `start` (already in `buffer`, alone); nil as
    /// soon as the job is not plain. Either way every event read since `start` is appended to
    /// `buffer`, in order.
    static func read(_ composer: YAMLComposer, start: YAMLEvent, buffer: inout Events) throws(YAMLError) -> PlainJob? {
        guard case .mappingStart(nil, nil, let startSpan) = start else { return nil }
        var job = PlainJob(span: startSpan)
        return try job.read(composer, buffer: &buffer) ? job : nil
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

    /// Whether `event` is a scalar with no tag or anchor.
    private static func isScalar(_ event: YAMLEvent) -> Bool {
        if case .scalar(_, nil, nil, _) = event { return true }
        return false
    }

    /// Reads the rest of the job into `self`; false as soon as it is not plain.
    private mutating func read(_ composer: YAMLComposer, buffer: inout Events) throws(YAMLError) -> Bool {
        var job = self
        defer { self = job }
        job.pairs.reserveCapacity(Key.allCases.count)  // one allocation, not one per growth
        var seen = 0
        // The unknown keys so far, by seeded hash, for repeats (a chance collision only hands the
        // job to the composer, which compares names).
        var unknown: Set<SeededHash> = []
        job.nodes = 1
        let limit = composer.limits.maxNodesPerValue
        /// Moves the next event into `buffer`; its index.
        func next() throws(YAMLError) -> Int {
            buffer.append(try composer.nextEvent())
            return buffer.count - 1
        }
        /// Whether the event at `i` is a scalar with no tag or anchor, counted; false past the node
        /// limit too (composing reports it).
        func scalar(_ i: Int) -> Bool {
            guard Self.isScalar(buffer[i]), job.nodes < limit else { return false }
            job.nodes += 1
            return true
        }
        while true {
            let keyAt = try next()
            if case .mappingEnd(let end) = buffer[keyAt] {
                job.span.end = end.end
                return job.nodes <= limit
            }
            guard scalar(keyAt), case .scalar(let keyScalar, _, _, _) = buffer[keyAt], keyScalar.style == .plain else {
                return false
            }
            guard let key = Self.key(named: keyScalar.value) else {
                // No field of a job, nor one this reader leaves to the decoder: reported by name.
                guard !Self.unreadFields.contains(keyScalar.value), keyScalar.value != "<<" else { return false }
                let valueAt = try next()
                guard scalar(valueAt), unknown.insert(SeededHash(keyScalar.value.hashValue)).inserted else { return false }
                job.unknownKeys.append(keyAt)
                if job.nodes > limit { return false }
                continue
            }
            let index = key.rawValue
            guard seen & (1 << index) == 0 else { return false }
            seen |= 1 << index
            let valueAt = try next()
            var end = valueAt
            switch key {
            case .files:
                guard case .sequenceStart(nil, nil, _) = buffer[valueAt] else { return false }
                job.nodes += 1
                while true {
                    let item = try next()
                    if case .sequenceEnd = buffer[item] {
                        end = item
                        break
                    }
                    if scalar(item) { continue }
                    guard case .sequenceStart(nil, nil, _) = buffer[item] else { return false }
                    job.nodes += 1
                    while true {
                        let path = try next()
                        if case .sequenceEnd = buffer[path] { break }
                        guard scalar(path) else { return false }
                    }
                    if job.nodes > limit { return false }
                }
            case .options:
                guard case .mappingStart(nil, nil, _) = buffer[valueAt] else { return false }
                job.nodes += 1
                while true {
                    let optionAt = try next()
                    if case .mappingEnd = buffer[optionAt] {
                        end = optionAt
                        break
                    }
                    guard scalar(optionAt), case .scalar(let option, _, _, _) = buffer[optionAt],
                        !(option.style == .plain && option.value == "<<"),
                        !Self.options(in: buffer, from: valueAt + 1, to: optionAt).contains(where: { $0.key.value == option.value }),
                        scalar(try next())
                    else { return false }
                    if job.nodes > limit { return false }
                }
            default:
                guard scalar(valueAt) else { return false }
            }
            job.pairs.append(Pair(key: key, keyAt: keyAt, value: valueAt, end: end))
        }
    }

    /// The scalar of the event at `i` of `events`, and its span: one the reader took for a scalar.
    static func scalar(at i: Int, in events: Events) -> (scalar: YAMLScalar, span: YAMLSpan) {
        guard case .scalar(let scalar, _, _, let span) = events[i] else { preconditionFailure("not a scalar event") }
        return (scalar, span)
    }

    /// The scalar event at `i` of `events` as the node composing it would give.
    static func node(at i: Int, in events: Events) -> YAMLNode {
        let (scalar, span) = scalar(at: i, in: events)
        return YAMLNode(.scalar(scalar), span: span)
    }

    /// The scalar pairs of an `options` mapping whose key and value events run from `first` up to
    /// (not including) `end`.
    static func options(in events: Events, from first: Int, to end: Int) -> some Sequence<(key: YAMLScalar, keyAt: Int, valueAt: Int)> {
        stride(from: first, to: end, by: 2).lazy.map { i in (scalar(at: i, in: events).scalar, i, i + 1) }
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
    /// Decodes a plain job, whose events are `events`, exactly as ``job(_:index:)`` decodes its
    /// node: the same checks, in the same order, with the same diagnostics.
    mutating func job(_ plain: PlainJob, events: PlainJob.Events, index: Int) -> JobSpec? {
        func path() -> String { "jobs[\(index)]" }
        func node(_ i: Int) -> YAMLNode { PlainJob.node(at: i, in: events) }
        var jobName: Located<String>?
        if let namePair = plain.pairs.first(where: { $0.key == .name }) {
            jobName = name(node(namePair.value), path: "\(path()).name", job: nil, what: "job name")
        } else {
            diagnostics.emit(.jobWithoutName(path(), at: location(plain.span)))
        }
        let job = jobName?.value
        var fields = JobFields()
        // The unknown keys, each where it was read among the pairs. Those past the bag's cap are
        // only counted: no alias reaches into a plain job, so none can be reported again at its place.
        var unknownReported = 0
        var unknownPastCap = 0
        func reportUnknownKeys(before end: Int) {
            while unknownReported < plain.unknownKeys.count, plain.unknownKeys[unknownReported] < end {
                defer { unknownReported += 1 }
                if unknownPastCap > 0 || diagnostics.isFull(.unknownField, file: file, job: job) {
                    unknownPastCap += 1
                    continue
                }
                let (key, span) = PlainJob.scalar(at: plain.unknownKeys[unknownReported], in: events)
                unknownField(key.value, at: span, in: path(), known: Self.jobKeys, level: .job, job: job)
            }
        }
        for pair in plain.pairs {
            if unknownReported < plain.unknownKeys.count { reportUnknownKeys(before: pair.keyAt) }
            let field = pair.key
            let key = PlainJob.keys[field.rawValue]
            fields.present.formUnion(PlainJob.keySets[field.rawValue])
            switch field {
            case .name: continue
            case .target:
                if let name = text(node(pair.value), path: "\(path()).\(key)", job: job) { fields.target = .named(name) }
            case .collectionName: fields.collectionName = template(node(pair.value), path: "\(path()).\(key)", job: job)
            case .partitionName: fields.partitionName = template(node(pair.value), path: "\(path()).\(key)", job: job)
            case .dbName: fields.dbName = template(node(pair.value), path: "\(path()).\(key)", job: job)
            case .objectURL: fields.objectURL = template(node(pair.value), path: "\(path()).\(key)", job: job)
            case .accessKey: fields.accessKey = template(node(pair.value), path: "\(path()).\(key)", job: job, typed: false)
            case .secretKey: fields.secretKey = template(node(pair.value), path: "\(path()).\(key)", job: job, typed: false)
            case .token: fields.token = template(node(pair.value), path: "\(path()).\(key)", job: job, typed: false)
            case .files: fields.files = files(pair, events: events, path: "\(path()).\(key)", job: job)
            case .options: fields.options = options(pair, events: events, path: "\(path()).\(key)", job: job)
            }
        }
        reportUnknownKeys(before: events.count)
        if unknownPastCap > 0 {
            diagnostics.countPastCap(unknownPastCap, of: .unknownField, severity: .error, file: file, job: job)
        }
        guard let jobName else { return nil }
        return JobSpec(name: jobName, fields: fields, span: plain.span, index: index)
    }

    /// The span from the start of the collection event at `start` to the end of the one at `end`.
    private static func span(from start: Int, to end: Int, in events: PlainJob.Events) -> YAMLSpan {
        YAMLSpan(start: events[start].span.start, end: events[end].span.end)
    }

    /// As `files(_:path:job:)` for a list of paths and lists of paths.
    private mutating func files(
        _ pair: PlainJob.Pair, events: PlainJob.Events, path: @autoclosure () -> String, job: String?
    ) -> Located<[FileGroupSpec]> {
        var groups: [FileGroupSpec] = []
        var item = 0
        var i = pair.value + 1
        while i < pair.end {
            defer { item += 1 }
            guard case .sequenceStart = events[i] else {
                if let file = template(PlainJob.node(at: i, in: events), path: "\(path())[\(item)]", job: job) {
                    groups.append(FileGroupSpec(paths: [file], span: file.span))
                }
                i += 1
                continue
            }
            let groupStart = i
            var located: [Located<StringTemplate>] = []
            var j = 0
            i += 1
            while case .scalar = events[i] {
                if let t = template(PlainJob.node(at: i, in: events), path: "\(path())[\(item)][\(j)]", job: job) {
                    located.append(t)
                }
                i += 1
                j += 1
            }
            groups.append(FileGroupSpec(paths: located, span: Self.span(from: groupStart, to: i, in: events)))
            i += 1  // the group's end
        }
        return Located(groups, at: Self.span(from: pair.value, to: pair.end, in: events))
    }

    /// As `options(_:path:job:)` for a mapping of scalars.
    private mutating func options(
        _ pair: PlainJob.Pair, events: PlainJob.Events, path: @autoclosure () -> String, job: String?
    ) -> Located<[OptionSpec]> {
        var options: [OptionSpec] = []
        for (key, keyAt, valueAt) in PlainJob.options(in: events, from: pair.value + 1, to: pair.end) {
            if let value = template(
                PlainJob.node(at: valueAt, in: events), path: "\(path()).\(key.value.clipped())", job: job, allowEmpty: true,
                typed: false)
            {
                let keySpan = PlainJob.scalar(at: keyAt, in: events).span
                options.append(OptionSpec(key: Located(key.value, at: keySpan, path: value.path), value: value))
            }
        }
        return Located(options, at: Self.span(from: pair.value, to: pair.end, in: events))
    }
}
