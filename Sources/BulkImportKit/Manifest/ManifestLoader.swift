import LibYAML

/// What loading one manifest file gave: the manifest (nil when the file could not be read as one)
/// and every problem found on the way.
public struct LoadedManifest: Sendable {
    public var manifest: Manifest?
    public var diagnostics: [Diagnostic]
}

/// Reads manifest files with the system libyaml.
///
/// The `jobs` list is composed and decoded one job at a time, so the memory a large manifest needs
/// is that of its decoded jobs, not of a node tree of the whole document.
public struct ManifestLoader: Sendable {
    public var limits: YAMLLimits
    /// Whether plain jobs are decoded straight from libyaml's events (``PlainJob``) instead of
    /// from a composed node; false only to compare the two in tests.
    public var decodesPlainJobsFromEvents = true
    /// The file size from which events are parsed ahead on a thread of their own
    /// (``YAMLParser/readAheadThreshold``): 0 in tests that compare both ways, `Int.max` never.
    public var readAheadFrom = YAMLParser.defaultReadAheadThreshold

    public init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    /// Loads the manifest at `path`.
    public func load(file path: String) -> LoadedManifest {
        var diagnostics = DiagnosticBag()
        let manifest = load(file: path, into: &diagnostics)
        return LoadedManifest(manifest: manifest, diagnostics: diagnostics.diagnostics)
    }

    /// Loads the manifest at `path`, emitting every problem into `diagnostics`.
    public func load(file path: String, into diagnostics: inout DiagnosticBag) -> Manifest? {
        var stream: ValidationRun?
        return load(file: path, into: &diagnostics, stream: &stream)
    }

    /// Loads the manifest at `path`, handing each job to `stream` as it is decoded (when its
    /// targets and defaults are read before its jobs) instead of keeping it in `jobs`.
    func load(file path: String, into diagnostics: inout DiagnosticBag, stream: inout ValidationRun?) -> Manifest? {
        let parser: YAMLParser
        do {
            parser = try YAMLParser(contentsOfFile: path, limits: limits)
        } catch {
            switch error {
            case .cannotOpen(_, let reason), .cannotRead(_, let reason):
                diagnostics.emit(.cannotRead(path, reason: reason))
            case .tooLarge(_, let size, let limit):
                diagnostics.emit(.fileTooLarge(path, size: size, limit: limit))
            }
            return nil
        }
        return load(parser: parser, file: path, into: &diagnostics, stream: &stream)
    }

    /// Loads a manifest from text, naming it `file` in diagnostics.
    public func load(string: String, file: String) -> LoadedManifest {
        load(bytes: Array(string.utf8), file: file)
    }

    /// Loads a manifest from bytes, naming it `file` in diagnostics.
    public func load(bytes: [UInt8], file: String) -> LoadedManifest {
        var diagnostics = DiagnosticBag()
        var manifest: Manifest?
        var stream: ValidationRun?
        do {
            manifest = load(parser: try YAMLParser(bytes: bytes, limits: limits), file: file, into: &diagnostics, stream: &stream)
        } catch {
            diagnostics.emit(.inputTooLarge(file, message: error.message))
        }
        return LoadedManifest(manifest: manifest, diagnostics: diagnostics.diagnostics)
    }

    private func load(parser: YAMLParser, file: String, into diagnostics: inout DiagnosticBag, stream: inout ValidationRun?)
        -> Manifest?
    {
        parser.readAheadThreshold = readAheadFrom
        let composer = YAMLComposer(parser: parser, limits: limits)
        // The decoder reports into the caller's bag: swapped in and out, not copied.
        var decoder = ManifestDecoder(file: file)
        swap(&decoder.diagnostics, &diagnostics)
        defer { swap(&decoder.diagnostics, &diagnostics) }
        var manifest: Manifest?
        do {
            manifest = try loadDocument(composer, &decoder, &stream)
        } catch {
            decoder.diagnostics.emit(.loading(error, file: file))
            manifest = nil
        }
        for issue in composer.issues {
            decoder.diagnostics.emit(.composing(issue, file: file))
        }
        return manifest
    }

    private func loadDocument(_ composer: YAMLComposer, _ decoder: inout ManifestDecoder, _ stream: inout ValidationRun?)
        throws(YAMLError) -> Manifest?
    {
        var event = try composer.nextEvent()
        if case .streamStart = event { event = try composer.nextEvent() }
        guard case .documentStart = event else {
            decoder.diagnostics.emit(.emptyManifest(at: decoder.location(YAMLSpan(at: YAMLMark(line: 1, column: 1)))))
            return nil
        }
        let rootEvent = try composer.nextEvent()
        guard case .mappingStart(_, _, let rootSpan) = rootEvent else {
            let node = try composer.compose(startingWith: rootEvent)
            if node.isNull {
                decoder.diagnostics.emit(.emptyDocument(at: decoder.location(node.span)))
            } else {
                decoder.diagnostics.emit(.manifestNotAMapping(found: node.kindDescription, at: decoder.location(node.span)))
            }
            try finishStream(composer, &decoder)
            return nil
        }

        var manifest = Manifest(file: decoder.file)
        var seen: [String: YAMLSpan] = [:]
        var version: Int?
        var sawJobs = false
        // `defaults:` left empty, and the job fields after it at the top level: indented one level
        // short. Decided at the end, when it is known whether any such field follows.
        var emptyDefaults: YAMLPair?
        var fallenDefaults: [YAMLPair] = []
        // Whether the jobs were handed to `stream` as they were decoded.
        var streamed = false
        while true {
            let keyEvent = try composer.nextEvent()
            if case .mappingEnd = keyEvent { break }
            let keyNode = try composer.compose(startingWith: keyEvent)
            let key = keyNode.scalar?.value ?? ""
            if keyNode.scalar == nil {
                decoder.diagnostics.emit(.topLevelKeyNotAString(found: keyNode.kindDescription, at: decoder.location(keyNode.span)))
            } else if let first = seen[key] {
                decoder.diagnostics.emit(.duplicateTopLevelKey(key, at: decoder.location(keyNode.span), first: decoder.location(first)))
                _ = try composer.compose(startingWith: try composer.nextEvent())
                continue
            } else {
                seen[key] = keyNode.span
            }

            if streamed
                && (key == "targets" || key == "defaults" || key == "atomic"
                    || (emptyDefaults != nil && JobFields.fieldNames.contains(key)))
            {
                // Read after the jobs, it changes how they are checked: the file is read again
                // with its jobs kept (see `ValidationRun.needsReload`).
                stream?.needsReload = true
            }
            let valueEvent = try composer.nextEvent()
            if key == "jobs", case .sequenceStart(_, nil, _) = valueEvent {
                sawJobs = true
                // Streamed only once what the jobs are checked against is read whole.
                if stream != nil && emptyDefaults == nil {
                    stream!.begin(manifest, diagnostics: &decoder.diagnostics)
                    streamed = true
                    try streamJobs(composer, &decoder, into: &manifest, start: valueEvent.span, stream: &stream)
                } else {
                    var kept: ValidationRun? = nil
                    try streamJobs(composer, &decoder, into: &manifest, start: valueEvent.span, stream: &kept)
                }
                continue
            }
            let issuesBefore = composer.issues.count
            let value = try composer.compose(startingWith: valueEvent)
            // A `<<` merge of something that is not a mapping (reported) leaves fields out.
            let brokenMerge = composer.issues[issuesBefore...].contains { $0.kind == .invalidMerge }
            switch key {
            case "version":
                version = decodeVersion(value, &decoder)
            case "state":
                manifest.state = decoder.template(value, path: "state", job: nil)
            case "atomic":
                manifest.atomic = decoder.atomicFlag(value)
            case "targets":
                decodeTargets(value, &decoder, into: &manifest)
                if brokenMerge { manifest.targetsUnreadable = true }
            case "defaults" where value.isNull && !brokenMerge:
                emptyDefaults = YAMLPair(key: keyNode, value: value)
                manifest.defaultsIncomplete = true
            case "defaults":
                manifest.defaultsSpan = value.span
                if let pairs = decoder.mapping(
                    value, path: "defaults", job: nil, expected: "a mapping of job fields",
                    shape: "`defaults: {target: local}`")
                {
                    manifest.defaults = decoder.jobFields(pairs, path: "defaults", job: nil, isDefaults: true)
                }
                // Fields the defaults were meant to give are not reported missing in every job.
                if value.mapping == nil || brokenMerge { manifest.defaultsIncomplete = true }
            case "jobs":
                sawJobs = true
                if let items = value.sequence {
                    if items.isEmpty { reportNoJobs(value.span, &decoder) }
                    for (i, item) in items.enumerated() {
                        if var job = decoder.job(item, index: i) {
                            job.incomplete = brokenMerge
                            manifest.jobs.append(job)
                        }
                    }
                    manifest.declaredJobs = items.count
                } else {
                    decoder.diagnostics.emit(
                        .wrongType(
                            "jobs", expected: "a list of jobs", found: value.kindDescription, job: nil,
                            fix: "write `jobs:` and below it one `- name: ...` item per job", at: decoder.location(value.span)))
                }
            case "<<":
                decoder.diagnostics.emit(.topLevelMerge(at: decoder.location(keyNode.span)))
            case _ where key.hasPrefix(Manifest.extensionPrefix) && keyNode.scalar != nil:
                break  // `x-...`: ignored, a place for anchors
            case _ where emptyDefaults != nil && JobFields.fieldNames.contains(key):
                fallenDefaults.append(YAMLPair(key: keyNode, value: value))
            default:
                if keyNode.scalar != nil {
                    decoder.unknownField(
                        key, at: keyNode.span, in: "the manifest", known: Manifest.fieldNames, level: .manifest, job: nil)
                }
            }
        }
        if let emptyDefaults {
            if fallenDefaults.isEmpty {
                _ = decoder.mapping(
                    emptyDefaults.value, path: "defaults", job: nil, expected: "a mapping of job fields",
                    shape: "`defaults: {target: local}`")
            } else {
                decoder.diagnostics.emit(
                    .fieldsFellOut(
                        "defaults", container: "defaults", fallen: fallenDefaults.compactMap { $0.key.scalar?.value }, job: nil,
                        at: decoder.location(emptyDefaults.key.span)))
                manifest.defaults = decoder.jobFields(fallenDefaults, path: "defaults", job: nil, isDefaults: true)
                manifest.defaultsIncomplete = false
            }
        }
        if version == nil && seen["version"] == nil {
            decoder.diagnostics.emit(.noVersion(at: decoder.location(rootSpan)))
        }
        if !sawJobs {
            decoder.diagnostics.emit(.noJobs(at: decoder.location(rootSpan)))
        }
        manifest.version = version ?? 1
        try finishStream(composer, &decoder)
        return manifest
    }

    private func streamJobs(
        _ composer: YAMLComposer, _ decoder: inout ManifestDecoder, into manifest: inout Manifest, start: YAMLSpan,
        stream: inout ValidationRun?
    ) throws(YAMLError) {
        func keep(_ job: consuming JobSpec) {
            if stream != nil {
                let place = JobPlace(job)
                stream!.take(job, place: manifest.jobPlaces.count, diagnostics: &decoder.diagnostics)
                manifest.jobPlaces.append(place)
            } else {
                manifest.jobs.append(job)
            }
        }
        var index = 0
        var buffer: [YAMLEvent] = []
        while true {
            var event = try composer.nextEvent()
            if case .sequenceEnd = event { break }
            if decodesPlainJobsFromEvents, case .mappingStart = event {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(event)
                if let plain = try PlainJob.read(composer, start: event, buffer: &buffer) {
                    composer.countWritten(nodes: plain.nodes)
                    if let job = decoder.job(plain, events: buffer, index: index) { keep(job) }
                    index += 1
                    continue
                }
                // Not plain: composed from its first event, as any other job.
                composer.replay(buffer)
                event = try composer.nextEvent()
            }
            let issuesBefore = composer.issues.count
            let node = try composer.compose(startingWith: event)
            if var job = decoder.job(node, index: index) {
                job.incomplete = composer.issues[issuesBefore...].contains { $0.kind == .invalidMerge }
                keep(job)
            }
            index += 1
        }
        manifest.declaredJobs = index
        if index == 0 { reportNoJobs(start, &decoder) }
    }

    private func reportNoJobs(_ span: YAMLSpan, _ decoder: inout ManifestDecoder) {
        decoder.diagnostics.emit(.emptyJobs(at: decoder.location(span)))
    }

    /// Reads to the end of the stream, reporting a second document.
    private func finishStream(_ composer: YAMLComposer, _ decoder: inout ManifestDecoder) throws(YAMLError) {
        while true {
            switch try composer.nextEvent() {
            case .documentEnd: continue
            case .documentStart(let span):
                decoder.diagnostics.emit(.secondDocument(at: decoder.location(span)))
                return
            default: return
            }
        }
    }

    private func decodeVersion(_ node: YAMLNode, _ decoder: inout ManifestDecoder) -> Int? {
        if let scalar = node.scalar, scalar.style == .plain, node.tag == nil, let v = Int(scalar.value) {
            if Manifest.supportedVersions.contains(v) { return v }
            decoder.diagnostics.emit(.unsupportedVersion(v, at: decoder.location(node.span)))
            return v
        }
        let what =
            node.scalar.map { $0.style == .plain && !node.isNull ? "\(quoted: $0.value)" : "the string \"\($0.value)\"" }
            ?? node.kindDescription
        decoder.diagnostics.emit(.versionNotANumber(found: what, at: decoder.location(node.span)))
        return nil
    }

    private func decodeTargets(_ node: YAMLNode, _ decoder: inout ManifestDecoder, into manifest: inout Manifest) {
        guard
            let pairs = decoder.mapping(
                node, path: "targets", job: nil, expected: "a mapping of target names to targets",
                shape: "`targets: {local: {milvus: {uri: http://localhost:19530}}}`, each level indented under the one before")
        else {
            manifest.targetsUnreadable = true
            return
        }
        for pair in pairs {
            guard let name = decoder.name(pair.key, path: "targets", job: nil, what: "target name", typed: false) else {
                // Reported; jobs that use the name are not also told it is undefined.
                if let raw = pair.key.scalar?.value { manifest.invalidTargetNames.insert(raw) }
                continue
            }
            var kind: TargetKind?
            if let spec = decoder.target(pair.value, path: "targets.\(name.value.clipped())", job: nil, kind: &kind) {
                manifest.targets.append((name, spec))
            } else {
                manifest.invalidTargetNames.insert(name.value)
                if let kind { manifest.invalidTargetKinds[name.value] = kind }
            }
        }
    }
}
