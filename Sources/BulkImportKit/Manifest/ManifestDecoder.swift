import LibYAML

/// Turns composed YAML nodes into the manifest model, collecting a diagnostic for every problem
/// with the shape of the document (unknown fields, wrong types, empty values, bad names) instead of
/// stopping at the first.
///
/// Fields are typed by the format, not by a YAML resolver: a field that wants a string takes any
/// scalar's text (`collection_name: 2024` is the string "2024"), and a quoted scalar is always a
/// string.
struct ManifestDecoder {
    let file: String
    /// Where the problems go; the loader hands in its bag and takes it back.
    var diagnostics: DiagnosticBag

    init(file: String, diagnostics: DiagnosticBag = DiagnosticBag()) {
        self.file = file
        self.diagnostics = diagnostics
    }

    func location(_ span: YAMLSpan) -> ManifestLocation { ManifestLocation(file: file, span: span) }

    // MARK: Primitives

    /// The pairs of a mapping node, or a `wrong-type` diagnostic whose fix shows `shape`.
    mutating func mapping(_ node: YAMLNode, path: @autoclosure () -> String, job: String?, expected: String, shape: String) -> [YAMLPair]? {
        if let pairs = node.mapping { return pairs }
        let fix =
            node.isNull
            ? "write its fields indented under it, as in \(shape)" : "write it as a mapping, as in \(shape)"
        diagnostics.emit(.wrongType(path(), expected: expected, found: node.kindDescription, job: job, fix: fix, at: location(node.span)))
        return nil
    }

    /// The key of a pair as a string, or a diagnostic for a non-scalar key.
    mutating func key(_ pair: YAMLPair, path: @autoclosure () -> String, job: String?) -> String? {
        if let scalar = pair.key.scalar { return scalar.value }
        diagnostics.emit(.keyNotAString(in: path(), found: pair.key.kindDescription, job: job, at: location(pair.key.span)))
        return nil
    }

    mutating func unknownField(
        _ name: String, at span: YAMLSpan, in path: @autoclosure () -> String, known: [String], level: FieldLevel, job: String?
    ) {
        if diagnostics.isFull(.unknownField, file: file, job: job) {
            // Counted, never shown: the same report without the fix, whose did-you-mean is a
            // spelling search over every known name (most of the time on 100,000 unknown keys).
            diagnostics.emit(.unknownField(name, in: path(), level: level, job: job, at: location(span), fix: nil))
            return
        }
        diagnostics.emit(.unknownField(name, in: path(), known: known, level: level, job: job, at: location(span)))
    }

    /// Where `pairs` hold `container: null` followed by keys that are unknown here but are
    /// `container`'s own fields (indented one level short): the container's key and those pairs.
    /// One error is reported for them, and they are read as the container's body.
    mutating func fallenOut(
        _ pairs: [YAMLPair], containers: [String], path: @autoclosure () -> String, known: [String], job: String?,
        fields: (String) -> Set<String>
    ) -> (container: String, body: YAMLNode, keys: Set<String>)? {
        guard let index = pairs.firstIndex(where: { $0.value.isNull && containers.contains($0.key.scalar?.value ?? "") }),
            let container = pairs[index].key.scalar?.value
        else { return nil }
        let own = fields(container)
        let fallen = pairs[(index + 1)...].filter { pair in
            guard let key = pair.key.scalar?.value else { return false }
            return !known.contains(key) && own.contains(key)
        }
        guard let first = fallen.first, let last = fallen.last else { return nil }
        let keys = fallen.compactMap { $0.key.scalar?.value }
        diagnostics.emit(
            .fieldsFellOut(
                "\(path()).\(container)", container: container, fallen: keys, job: job, at: location(pairs[index].key.span)))
        let body = YAMLNode(.mapping(fallen), span: YAMLSpan(start: first.key.span.start, end: last.value.span.end))
        return (container, body, Set(keys))
    }

    /// A scalar's text, rejecting null, empty (unless `allowEmpty` and quoted), lists and mappings.
    /// `typed`: warn when other YAML tools read the plain scalar as a number, boolean or date (not
    /// for secrets, which are references, nor options, which the schema lets be numbers).
    mutating func text(
        _ node: YAMLNode, path: @autoclosure () -> String, job: String?, allowEmpty: Bool = false, typed: Bool = true
    ) -> Located<String>? {
        guard case .scalar(let scalar) = node.content else {
            diagnostics.emit(
                .wrongType(
                    path(), expected: "a string", found: node.kindDescription, job: job,
                    fix:
                        "write one value on the line of its key, as in `collection_name: products`; quote it if it holds ': ' or starts with '[', '{', '-' or '*'",
                    at: location(node.span)))
            return nil
        }
        if node.isNull || (scalar.value.isEmpty && !(allowEmpty && scalar.style.isQuotedOrBlock)) {
            diagnostics.emit(.emptyValue(path(), job: job, at: location(node.span)))
            return nil
        }
        if typed, scalar.style == .plain, node.tag == nil, let reading = AmbiguousScalar.otherReading(of: scalar.value) {
            diagnostics.emit(.ambiguousScalar(path(), value: scalar.value, reading: reading, job: job, at: location(node.span)))
        }
        // The path is kept for values of no job (defaults, named targets, state); a job's values get
        // theirs from the job being resolved, so a manifest of 100,000 jobs holds no path strings.
        return Located(scalar.value, at: node.span, path: job == nil ? path() : nil)
    }

    /// A string value parsed for `$<NAME>` references.
    mutating func template(
        _ node: YAMLNode, path: @autoclosure () -> String, job: String?, allowEmpty: Bool = false, typed: Bool = true
    ) -> Located<StringTemplate>? {
        guard let text = text(node, path: path(), job: job, allowEmpty: allowEmpty, typed: typed) else { return nil }
        do {
            return Located(try StringTemplate(parsing: text.value), at: text.span, path: text.path)
        } catch {
            var span = node.span
            if span.start.line == span.end.line {
                let quote = node.scalar?.style == .singleQuoted || node.scalar?.style == .doubleQuoted ? 1 : 0
                span = YAMLSpan(at: YAMLMark(line: span.start.line, column: span.start.column + quote + error.offset))
            }
            diagnostics.emit(.invalidVariable(error.message, path: path(), job: job, at: location(span)))
            return nil
        }
    }

    /// A job or target name: a plain string matching the name pattern.
    /// `typed`: false for a key, which the look-alike warning's fix (`field: "2024"`) does not fit.
    mutating func name(
        _ node: YAMLNode, path: @autoclosure () -> String, job: String?, what: String, typed: Bool = true
    ) -> Located<String>? {
        guard let text = text(node, path: path(), job: job, typed: typed) else { return nil }
        guard Manifest.isValidName(text.value) else {
            diagnostics.emit(.invalidName(what, text.value, path: path(), job: job, at: location(text.span)))
            return nil
        }
        return text
    }

    // MARK: Targets

    /// A target mapping, `{milvus: {...}}` or `{zilliz: {...}}`. `kind` is set to the kind it
    /// names even when its body cannot be read, so jobs that use it are still checked by kind.
    mutating func target(_ node: YAMLNode, path: @autoclosure () -> String, job: String?, kind named: inout TargetKind?) -> TargetSpec? {
        guard
            let pairs = mapping(
                node, path: path(), job: job, expected: "a mapping with one key, milvus or zilliz",
                shape:
                    "`milvus: {uri: http://localhost:19530}` or `zilliz: {url: https://api.cloud.zilliz.com, api_key: $<ZILLIZ_API_KEY>, cluster_id: in01-...}`"
            )
        else { return nil }
        let kinds = TargetKind.allCases.map(\.rawValue)
        let fallen = fallenOut(
            pairs, containers: kinds, path: path(), known: kinds, job: job,
            fields: { Set(TargetSpec.fieldNames(for: TargetKind(rawValue: $0)!)) })
        var spec: TargetSpec?
        for pair in pairs {
            guard let key = key(pair, path: path(), job: job) else { continue }
            if fallen?.keys.contains(key) == true { continue }
            guard let kind = TargetKind(rawValue: key) else {
                unknownField(key, at: pair.key.span, in: path(), known: kinds, level: .targetEntry, job: job)
                continue
            }
            if named == nil { named = kind }
            if let first = spec {
                diagnostics.emit(
                    .twoServers(
                        path(), first: first.kind, second: kind, job: job, at: location(pair.key.span), firstAt: location(first.span)))
                continue
            }
            let body = fallen?.container == key ? fallen!.body : pair.value
            spec = targetBody(body, kind: kind, path: "\(path()).\(key.clipped())", job: job)
        }
        // Keys that are not a kind were each reported, with the kind they may misspell.
        if spec == nil && pairs.isEmpty {
            diagnostics.emit(.noServer(path(), job: job, at: location(node.span)))
        }
        return spec
    }

    private mutating func targetBody(_ node: YAMLNode, kind: TargetKind, path: @autoclosure () -> String, job: String?) -> TargetSpec? {
        let here = path()  // once: every value's path starts with it
        let shape =
            kind == .milvus
            ? "`milvus: {uri: http://localhost:19530}`"
            : "`zilliz: {url: https://api.cloud.zilliz.com, api_key: $<ZILLIZ_API_KEY>, cluster_id: in01-...}`"
        guard let pairs = mapping(node, path: here, job: job, expected: "a mapping", shape: shape) else { return nil }
        var spec = TargetSpec(kind: kind, span: node.span)
        let known = TargetSpec.fieldNames(for: kind)
        for pair in pairs {
            guard let key = key(pair, path: here, job: job) else { continue }
            spec.present.insert(key)
            switch (kind, key) {
            case (.milvus, "uri"), (.zilliz, "url"): spec.endpoint = template(pair.value, path: "\(here).\(key.clipped())", job: job)
            case (.milvus, "token"): spec.token = template(pair.value, path: "\(here).\(key.clipped())", job: job, typed: false)
            case (.zilliz, "api_key"): spec.apiKey = template(pair.value, path: "\(here).\(key.clipped())", job: job, typed: false)
            case (_, "db_name"): spec.dbName = template(pair.value, path: "\(here).\(key.clipped())", job: job)
            case (.zilliz, "cluster_id"): spec.clusterID = template(pair.value, path: "\(here).\(key.clipped())", job: job)
            case (.zilliz, "project_id"): spec.projectID = template(pair.value, path: "\(here).\(key.clipped())", job: job)
            case (.zilliz, "region_id"): spec.regionID = template(pair.value, path: "\(here).\(key.clipped())", job: job)
            case (_, "api"):
                guard let text = text(pair.value, path: "\(here).\(key.clipped())", job: job, typed: false) else { continue }
                if let api = APIVersion(rawValue: text.value) {
                    spec.api = Located(api, at: text.span)
                } else {
                    diagnostics.emit(
                        .wrongType(
                            "\(here).\(key.clipped())", expected: "v1 or v2", found: "\(quoted: text.value)", job: job,
                            fix: "write `api: v2` (REST v2, the default) or `api: v1` (the legacy API)", at: location(text.span)))
                }
            default:
                unknownField(key, at: pair.key.span, in: here, known: known, level: .targetBody(kind), job: job)
            }
        }
        return spec
    }

    // MARK: Jobs

    /// The keys a job takes.
    static let jobKeys = ["name"] + JobFields.fieldNames

    /// Decodes the fields of a job or of `defaults`. `allowName` is false for defaults.
    mutating func jobFields(_ pairs: [YAMLPair], path: @autoclosure () -> String, job: String?, isDefaults: Bool) -> JobFields {
        let here = path()  // once: every value's path starts with it
        var fields = JobFields()
        let known = isDefaults ? JobFields.fieldNames : Self.jobKeys
        // `options:` with its keys indented one level short.
        let fallen = fallenOut(
            pairs, containers: ["options"], path: here, known: known, job: job,
            fields: { _ in Set(ManifestResolver.knownOptions) })
        for pair in pairs {
            guard let key = key(pair, path: here, job: job) else { continue }
            if fallen?.keys.contains(key) == true { continue }
            fields.present.insert(key)
            let value = key == "options" && fallen != nil ? fallen!.body : pair.value
            switch key {
            case "name" where !isDefaults: continue  // decoded by the caller
            case "target":
                if value.mapping != nil {
                    var kind: TargetKind?
                    if let spec = target(value, path: "\(here).\(key.clipped())", job: job, kind: &kind) {
                        fields.target = .inline(spec)
                    }
                } else if let name = text(value, path: "\(here).\(key.clipped())", job: job) {
                    // Not checked as a name here: no target can have a bad name, so the resolver
                    // says it is not defined, or nothing when its definition was reported.
                    fields.target = .named(name)
                }
            case "collection_name": fields.collectionName = template(value, path: "\(here).\(key.clipped())", job: job)
            case "partition_name": fields.partitionName = template(value, path: "\(here).\(key.clipped())", job: job)
            case "db_name": fields.dbName = template(value, path: "\(here).\(key.clipped())", job: job)
            case "object_url": fields.objectURL = template(value, path: "\(here).\(key.clipped())", job: job)
            case "access_key": fields.accessKey = template(value, path: "\(here).\(key.clipped())", job: job, typed: false)
            case "secret_key": fields.secretKey = template(value, path: "\(here).\(key.clipped())", job: job, typed: false)
            case "token": fields.token = template(value, path: "\(here).\(key.clipped())", job: job, typed: false)
            case "files": fields.files = files(value, path: "\(here).\(key.clipped())", job: job)
            case "volume_name": fields.volumeName = template(value, path: "\(here).\(key.clipped())", job: job)
            case "stage_name": fields.stageName = template(value, path: "\(here).\(key.clipped())", job: job)
            case "data_paths": fields.dataPaths = files(value, path: "\(here).\(key.clipped())", job: job)
            case "options": fields.options = options(value, path: "\(here).\(key.clipped())", job: job)
            default:
                if isDefaults && key == "name" {
                    diagnostics.emit(.nameInDefaults(path: "\(here).\(key.clipped())", at: location(pair.key.span)))
                } else {
                    unknownField(
                        key, at: pair.key.span, in: here, known: known, level: isDefaults ? .defaults : .job, job: job)
                }
            }
        }
        return fields
    }

    private mutating func files(_ node: YAMLNode, path: @autoclosure () -> String, job: String?) -> Located<[FileGroupSpec]>? {
        guard let items = node.sequence else {
            diagnostics.emit(
                .wrongType(
                    path(), expected: "a list of file groups", found: node.kindDescription, job: job,
                    fix: "write `files: [path]` or a list of groups, each a path or a list of paths", at: location(node.span)))
            return nil
        }
        var groups: [FileGroupSpec] = []
        groups.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            switch item.content {
            case .scalar:
                if let file = template(item, path: "\(path())[\(i)]", job: job) {
                    groups.append(FileGroupSpec(paths: [file], span: item.span))
                }
            case .sequence(let paths):
                var located: [Located<StringTemplate>] = []
                for (j, p) in paths.enumerated() {
                    if let t = template(p, path: "\(path())[\(i)][\(j)]", job: job) { located.append(t) }
                }
                groups.append(FileGroupSpec(paths: located, span: item.span))
            case .mapping:
                diagnostics.emit(
                    .wrongType(
                        "\(path())[\(i)]", expected: "a path or a list of paths", found: "a mapping", job: job,
                        fix:
                            "write a path (`- data/a.parquet`) or a list of paths (`- [data/a.npy, data/b.npy]`); quote a path that holds ': '",
                        at: location(item.span)))
            }
        }
        return Located(groups, at: node.span)
    }

    private mutating func options(_ node: YAMLNode, path: @autoclosure () -> String, job: String?) -> Located<[OptionSpec]>? {
        guard
            let pairs = mapping(
                node, path: path(), job: job, expected: "a mapping of option names to values", shape: "`options: {timeout: 300s}`")
        else { return nil }
        var options: [OptionSpec] = []
        for pair in pairs {
            guard let key = key(pair, path: path(), job: job) else { continue }
            guard pair.value.scalar != nil else {
                diagnostics.emit(
                    .optionNotAScalar(
                        key, path: "\(path()).\(key.clipped())", found: pair.value.kindDescription, job: job, at: location(pair.value.span))
                )
                continue
            }
            // An option may be an empty quoted string: `nullkey: ""` is how CSV says "no null marker".
            if let value = template(pair.value, path: "\(path()).\(key.clipped())", job: job, allowEmpty: true, typed: false) {
                options.append(OptionSpec(key: Located(key, at: pair.key.span, path: value.path), value: value))
            }
        }
        return Located(options, at: node.span)
    }

    /// Decodes one entry of `jobs`.
    mutating func job(_ node: YAMLNode, index: Int) -> JobSpec? {
        func path() -> String { "jobs[\(index)]" }
        guard
            let pairs = mapping(
                node, path: path(), job: nil, expected: "a job mapping",
                shape: "`- name: load-1` with `target:`, `collection_name:` and `files:` below it, indented to `name`")
        else { return nil }
        var jobName: Located<String>?
        if let namePair = pairs.first(where: { $0.key.scalar?.value == "name" }) {
            jobName = name(namePair.value, path: "\(path()).name", job: nil, what: "job name")
        } else {
            diagnostics.emit(.jobWithoutName(path(), at: location(node.span)))
        }
        let fields = jobFields(pairs, path: path(), job: jobName?.value, isDefaults: false)
        guard let jobName else { return nil }
        return JobSpec(name: jobName, fields: fields, span: node.span, index: index)
    }
}
