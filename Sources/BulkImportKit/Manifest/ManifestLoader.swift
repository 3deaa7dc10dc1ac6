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

    public init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    /// Loads the manifest at `path`.
    public func load(file path: String) -> LoadedManifest {
        let parser: YAMLParser
        do {
            parser = try YAMLParser(contentsOfFile: path, limits: limits)
        } catch {
            let location = SourceLocation(file: path)
            switch error {
            case .cannotOpen(_, let reason), .cannotRead(_, let reason):
                return LoadedManifest(manifest: nil, diagnostics: [
                    Diagnostic(.error, .ioError, "cannot read the manifest: \(reason)", at: location)
                ])
            case .tooLarge(_, let size, let limit):
                return LoadedManifest(manifest: nil, diagnostics: [
                    Diagnostic(.error, .fileTooLarge,
                               "the manifest is \(size) bytes, over the limit of \(limit) bytes", at: location,
                               fix: "split it into several manifests")
                ])
            }
        }
        return load(parser: parser, file: path)
    }

    /// Loads a manifest from text, naming it `file` in diagnostics.
    public func load(string: String, file: String) -> LoadedManifest {
        load(bytes: Array(string.utf8), file: file)
    }

    /// Loads a manifest from bytes, naming it `file` in diagnostics.
    public func load(bytes: [UInt8], file: String) -> LoadedManifest {
        do {
            return load(parser: try YAMLParser(bytes: bytes, limits: limits), file: file)
        } catch {
            return LoadedManifest(manifest: nil, diagnostics: [
                Diagnostic(.error, .fileTooLarge, error.message, at: SourceLocation(file: file),
                           fix: "split it into several manifests")
            ])
        }
    }

    private func load(parser: YAMLParser, file: String) -> LoadedManifest {
        let composer = YAMLComposer(parser: parser, limits: limits)
        var decoder = ManifestDecoder(file: file)
        var manifest: Manifest?
        do {
            manifest = try loadDocument(composer, &decoder)
        } catch {
            decoder.diagnostics.append(Self.diagnostic(for: error, file: file))
            manifest = nil
        }
        for issue in composer.issues {
            let code: DiagnosticCode
            var fix: String?
            var notes: [DiagnosticNote] = []
            switch issue.kind {
            case .duplicateKey:
                code = .duplicateKey
                fix = "remove one of them; YAML keeps only one value per key"
                if let related = issue.related {
                    notes.append(DiagnosticNote("first defined here", at: SourceLocation(file: file, span: related)))
                }
            case .invalidMerge:
                code = .invalidMerge
                fix = "merge a mapping, as in `<<: *defaults`, or a list of them"
            case .multipleDocuments:
                code = .multipleDocuments
            }
            decoder.report(.error, code, issue.message, at: issue.span, fix: fix, notes: notes)
        }
        return LoadedManifest(manifest: manifest, diagnostics: decoder.diagnostics)
    }

    private func loadDocument(_ composer: YAMLComposer, _ decoder: inout ManifestDecoder) throws(YAMLError) -> Manifest? {
        var event = try composer.nextEvent()
        if case .streamStart = event { event = try composer.nextEvent() }
        guard case .documentStart = event else {
            decoder.report(.error, .emptyFile, "the manifest is empty", at: Span(at: Mark(line: 1, column: 1)),
                           fix: "start it with `version: 1` and a list of `jobs`")
            return nil
        }
        let rootEvent = try composer.nextEvent()
        guard case .mappingStart(_, _, let rootSpan) = rootEvent else {
            let node = try composer.compose(startingWith: rootEvent)
            if node.isNull {
                decoder.report(.error, .emptyFile, "the manifest holds an empty document", at: node.span,
                               fix: "start it with `version: 1` and a list of `jobs`")
            } else {
                decoder.report(.error, .wrongType,
                               "a manifest must be a mapping with version, targets, defaults and jobs, not \(node.kindDescription)",
                               at: node.span)
            }
            try finishStream(composer, &decoder)
            return nil
        }

        var manifest = Manifest(file: decoder.file)
        var seen: [String: Span] = [:]
        var version: Int?
        var sawJobs = false
        while true {
            let keyEvent = try composer.nextEvent()
            if case .mappingEnd = keyEvent { break }
            let keyNode = try composer.compose(startingWith: keyEvent)
            let key = keyNode.scalar?.value ?? ""
            if keyNode.scalar == nil {
                decoder.report(.error, .wrongType, "a top-level key must be a string, not \(keyNode.kindDescription)",
                               at: keyNode.span)
            } else if let first = seen[key] {
                decoder.report(.error, .duplicateKey, "duplicate key '\(key)'", at: keyNode.span,
                               fix: "remove one of them; YAML keeps only one value per key",
                               notes: [DiagnosticNote("first defined here", at: decoder.location(first))])
                _ = try composer.compose(startingWith: try composer.nextEvent())
                continue
            } else {
                seen[key] = keyNode.span
            }

            let valueEvent = try composer.nextEvent()
            if key == "jobs", case .sequenceStart(_, nil, _) = valueEvent {
                sawJobs = true
                try streamJobs(composer, &decoder, into: &manifest, start: valueEvent.span)
                continue
            }
            let value = try composer.compose(startingWith: valueEvent)
            switch key {
            case "version":
                version = decodeVersion(value, &decoder)
            case "targets":
                decodeTargets(value, &decoder, into: &manifest)
            case "defaults":
                if let pairs = decoder.mapping(value, path: "defaults", job: nil, expected: "a mapping of job fields") {
                    manifest.defaults = decoder.jobFields(pairs, path: "defaults", job: nil, isDefaults: true)
                }
            case "jobs":
                sawJobs = true
                if let items = value.sequence {
                    if items.isEmpty { reportNoJobs(value.span, &decoder) }
                    for (i, item) in items.enumerated() {
                        if let job = decoder.job(item, index: i) { manifest.jobs.append(job) }
                    }
                } else {
                    decoder.report(.error, .wrongType, "jobs must be a list of jobs, not \(value.kindDescription)",
                                   at: value.span, path: "jobs")
                }
            case "<<":
                decoder.report(.error, .invalidMerge, "'<<' merge keys are not supported at the top level of a manifest",
                               at: keyNode.span, fix: "use them inside jobs, targets or defaults")
            default:
                if keyNode.scalar != nil {
                    decoder.unknownField(key, at: keyNode.span, in: "the manifest", known: Manifest.fieldNames, job: nil)
                }
            }
        }
        if version == nil && seen["version"] == nil {
            decoder.report(.error, .unsupportedVersion, "the manifest has no version", at: rootSpan,
                           path: "version", fix: "add `version: 1` at the top")
        }
        if !sawJobs {
            decoder.report(.error, .missingField, "the manifest has no jobs", at: rootSpan, path: "jobs",
                           fix: "add a `jobs:` list")
        }
        manifest.version = version ?? 1
        try finishStream(composer, &decoder)
        return manifest
    }

    private func streamJobs(_ composer: YAMLComposer, _ decoder: inout ManifestDecoder, into manifest: inout Manifest, start: Span) throws(YAMLError) {
        var index = 0
        while true {
            let event = try composer.nextEvent()
            if case .sequenceEnd = event { break }
            let node = try composer.compose(startingWith: event)
            if let job = decoder.job(node, index: index) { manifest.jobs.append(job) }
            index += 1
        }
        if index == 0 { reportNoJobs(start, &decoder) }
    }

    private func reportNoJobs(_ span: Span, _ decoder: inout ManifestDecoder) {
        decoder.report(.error, .emptyValue, "jobs is empty", at: span, path: "jobs", fix: "declare at least one job")
    }

    /// Reads to the end of the stream, reporting a second document.
    private func finishStream(_ composer: YAMLComposer, _ decoder: inout ManifestDecoder) throws(YAMLError) {
        while true {
            switch try composer.nextEvent() {
            case .documentEnd: continue
            case .documentStart(let span):
                decoder.report(.error, .multipleDocuments,
                               "a manifest is one YAML document, but a second one starts here", at: span,
                               fix: "put each document in a file of its own; the second was not read")
                return
            default: return
            }
        }
    }

    private func decodeVersion(_ node: Node, _ decoder: inout ManifestDecoder) -> Int? {
        if let scalar = node.scalar, scalar.style == .plain, node.tag == nil, let v = Int(scalar.value) {
            if Manifest.supportedVersions.contains(v) { return v }
            decoder.report(.error, .unsupportedVersion,
                           "manifest version \(v) is not supported; this tool reads version 1", at: node.span,
                           path: "version", fix: "write `version: 1`, or update bulk-import")
            return v
        }
        let what = node.scalar.map { $0.style == .plain && !node.isNull ? "'\($0.value)'" : "the string \"\($0.value)\"" }
            ?? node.kindDescription
        decoder.report(.error, .unsupportedVersion, "version must be the number 1, not \(what)", at: node.span,
                       path: "version", fix: "write `version: 1` without quotes")
        return nil
    }

    private func decodeTargets(_ node: Node, _ decoder: inout ManifestDecoder, into manifest: inout Manifest) {
        guard let pairs = decoder.mapping(node, path: "targets", job: nil, expected: "a mapping of target names to targets")
        else { return }
        for pair in pairs {
            guard let name = decoder.name(pair.key, path: "targets", job: nil, what: "target name") else { continue }
            if let spec = decoder.target(pair.value, path: "targets.\(name.value)", job: nil) {
                manifest.targets.append((name, spec))
            }
        }
    }

    /// The diagnostic for a problem that stopped the loading.
    static func diagnostic(for error: YAMLError, file: String) -> Diagnostic {
        let location = SourceLocation(file: file, span: Span(at: error.mark))
        var notes: [DiagnosticNote] = []
        if let context = error.context {
            notes.append(DiagnosticNote(context, at: error.contextMark.map { SourceLocation(file: file, span: Span(at: $0)) }))
        }
        switch error.kind {
        case .syntax:
            // libyaml stops looking for a plain key's ':' after 1024 characters.
            let longKey = error.message.contains("could not find expected ':'") && error.mark.column > 1024
            return Diagnostic(.error, .yamlSyntax, error.message, at: location,
                              fix: longKey
                                  ? "a key may be at most 1024 characters long (a YAML rule); shorten it"
                                  : "fix the YAML here; nothing after this point was read",
                              notes: notes)
        case .invalidEncoding:
            return Diagnostic(.error, .invalidEncoding, error.message, at: location,
                              fix: "save the manifest as UTF-8 text")
        case .nestingTooDeep:
            return Diagnostic(.error, .nestingTooDeep, error.message, at: location,
                              fix: "a manifest needs only a few levels; this looks like damaged or hostile input")
        case .tooManyNodes:
            return Diagnostic(.error, .valueTooLarge, error.message, at: location,
                              fix: "a job needs at most a few thousand values; split the data or remove what does not belong in a manifest")
        case .aliasBudgetExceeded:
            return Diagnostic(.error, .aliasBudgetExceeded, error.message, at: location,
                              fix: "use fewer nested aliases")
        case .undefinedAlias:
            return Diagnostic(.error, .undefinedAlias, error.message, at: location,
                              fix: "define the anchor (&name) before the alias (*name) uses it")
        case .inputTooLarge:
            return Diagnostic(.error, .fileTooLarge, error.message, at: location)
        }
    }
}
