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
    var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    // MARK: Reporting

    mutating func report(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at span: Span,
        job: String? = nil, path: String? = nil, fix: String? = nil, notes: [DiagnosticNote] = []
    ) {
        diagnostics.append(Diagnostic(
            severity, code, message, at: SourceLocation(file: file, span: span),
            job: job, path: path, fix: fix, notes: notes))
    }

    func location(_ span: Span) -> SourceLocation { SourceLocation(file: file, span: span) }

    // MARK: Primitives

    /// The pairs of a mapping node, or a `wrong-type` diagnostic.
    mutating func mapping(_ node: Node, path: @autoclosure () -> String, job: String?, expected: String) -> [Pair]? {
        if let pairs = node.mapping { return pairs }
        report(.error, .wrongType, "\(path()) must be \(expected), not \(node.kindDescription)", at: node.span,
               job: job, path: path())
        return nil
    }

    /// The key of a pair as a string, or a diagnostic for a non-scalar key.
    mutating func key(_ pair: Pair, path: @autoclosure () -> String, job: String?) -> String? {
        if let scalar = pair.key.scalar { return scalar.value }
        report(.error, .wrongType, "a key in \(path()) must be a string, not \(pair.key.kindDescription)",
               at: pair.key.span, job: job, path: path())
        return nil
    }

    mutating func unknownField(_ name: String, at span: Span, in path: @autoclosure () -> String, known: [String], job: String?) {
        var fix = "remove it"
        if let suggestion = Spelling.closest(to: name, in: known) {
            fix = "did you mean '\(suggestion)'?"
        } else {
            fix = "remove it, or use one of: \(known.joined(separator: ", "))"
        }
        report(.error, .unknownField, "unknown field '\(name)' in \(path())", at: span, job: job,
               path: path().isEmpty ? name : "\(path()).\(name)", fix: fix)
    }

    /// A scalar's text, rejecting null, empty (unless `allowEmpty` and quoted), lists and mappings.
    mutating func text(_ node: Node, path: @autoclosure () -> String, job: String?, allowEmpty: Bool = false) -> Located<String>? {
        guard case .scalar(let scalar) = node.content else {
            report(.error, .wrongType, "\(path()) must be a string, not \(node.kindDescription)", at: node.span,
                   job: job, path: path())
            return nil
        }
        if node.isNull || (scalar.value.isEmpty && !(allowEmpty && scalar.style.isQuotedOrBlock)) {
            report(.error, .emptyValue, "\(path()) is empty", at: node.span, job: job, path: path(),
                   fix: "give it a value or remove the field")
            return nil
        }
        return Located(scalar.value, at: node.span)
    }

    /// A string value parsed for `$<NAME>` references.
    mutating func template(_ node: Node, path: @autoclosure () -> String, job: String?, allowEmpty: Bool = false) -> Located<StringTemplate>? {
        guard let text = text(node, path: path(), job: job, allowEmpty: allowEmpty) else { return nil }
        do {
            return Located(try StringTemplate(parsing: text.value), at: text.span)
        } catch {
            var span = node.span
            if span.start.line == span.end.line {
                let quote = node.scalar?.style == .singleQuoted || node.scalar?.style == .doubleQuoted ? 1 : 0
                span = Span(at: Mark(line: span.start.line, column: span.start.column + quote + error.offset))
            }
            report(.error, .invalidVariable, error.message, at: span, job: job, path: path())
            return nil
        }
    }

    /// A job or target name: a plain string matching the name pattern.
    mutating func name(_ node: Node, path: @autoclosure () -> String, job: String?, what: String) -> Located<String>? {
        guard let text = text(node, path: path(), job: job) else { return nil }
        guard Manifest.isValidName(text.value) else {
            report(.error, .invalidName,
                   "\(what) '\(text.value)' may hold only letters, digits, '.', '_' and '-'",
                   at: text.span, job: job, path: path(), fix: "rename it to match \(Manifest.namePattern)")
            return nil
        }
        return text
    }

    // MARK: Targets

    mutating func target(_ node: Node, path: @autoclosure () -> String, job: String?) -> TargetSpec? {
        guard let pairs = mapping(node, path: path(), job: job, expected: "a mapping with one key, milvus or zilliz")
        else { return nil }
        var spec: TargetSpec?
        for pair in pairs {
            guard let key = key(pair, path: path(), job: job) else { continue }
            guard let kind = TargetKind(rawValue: key) else {
                unknownField(key, at: pair.key.span, in: path(), known: TargetKind.allCases.map(\.rawValue), job: job)
                continue
            }
            if let first = spec {
                report(.error, .invalidTarget,
                       "\(path()) names both \(first.kind.rawValue) and \(kind.rawValue); a target is one server",
                       at: pair.key.span, job: job, path: path(),
                       fix: "split it into two targets",
                       notes: [DiagnosticNote("\(first.kind.rawValue) is named here", at: location(first.span))])
                continue
            }
            spec = targetBody(pair.value, kind: kind, path: "\(path()).\(key)", job: job)
        }
        if spec == nil && !pairs.contains(where: { TargetKind(rawValue: $0.key.scalar?.value ?? "") != nil }) {
            report(.error, .invalidTarget, "\(path()) must name milvus or zilliz", at: node.span, job: job, path: path(),
                   fix: "write `milvus: {uri: ...}` or `zilliz: {url: ..., api_key: ..., cluster_id: ...}`")
        }
        return spec
    }

    private mutating func targetBody(_ node: Node, kind: TargetKind, path: @autoclosure () -> String, job: String?) -> TargetSpec? {
        guard let pairs = mapping(node, path: path(), job: job, expected: "a mapping") else { return nil }
        var spec = TargetSpec(kind: kind, span: node.span)
        let known = TargetSpec.fieldNames(for: kind)
        for pair in pairs {
            guard let key = key(pair, path: path(), job: job) else { continue }
            switch (kind, key) {
            case (.milvus, "uri"), (.zilliz, "url"): spec.endpoint = template(pair.value, path: "\(path()).\(key)", job: job)
            case (.milvus, "token"): spec.token = template(pair.value, path: "\(path()).\(key)", job: job)
            case (.zilliz, "api_key"): spec.apiKey = template(pair.value, path: "\(path()).\(key)", job: job)
            case (_, "db_name"): spec.dbName = template(pair.value, path: "\(path()).\(key)", job: job)
            case (.zilliz, "cluster_id"): spec.clusterID = template(pair.value, path: "\(path()).\(key)", job: job)
            case (.zilliz, "project_id"): spec.projectID = template(pair.value, path: "\(path()).\(key)", job: job)
            case (.zilliz, "region_id"): spec.regionID = template(pair.value, path: "\(path()).\(key)", job: job)
            case (_, "api"):
                guard let text = text(pair.value, path: "\(path()).\(key)", job: job) else { continue }
                if let api = APIVersion(rawValue: text.value) {
                    spec.api = Located(api, at: text.span)
                } else {
                    report(.error, .wrongType, "\("\(path()).\(key)") must be v1 or v2, not '\(text.value)'", at: text.span,
                           job: job, path: "\(path()).\(key)")
                }
            default:
                unknownField(key, at: pair.key.span, in: path(), known: known, job: job)
            }
        }
        return spec
    }

    // MARK: Jobs

    /// Decodes the fields of a job or of `defaults`. `allowName` is false for defaults.
    mutating func jobFields(_ pairs: [Pair], path: @autoclosure () -> String, job: String?, isDefaults: Bool) -> JobFields {
        var fields = JobFields()
        for pair in pairs {
            guard let key = key(pair, path: path(), job: job) else { continue }
            fields.present.insert(key)
            let value = pair.value
            switch key {
            case "name" where !isDefaults: continue  // decoded by the caller
            case "target":
                if value.mapping != nil {
                    if let spec = target(value, path: "\(path()).\(key)", job: job) { fields.target = .inline(spec) }
                } else if let name = name(value, path: "\(path()).\(key)", job: job, what: "target name") {
                    fields.target = .named(name)
                }
            case "collection_name": fields.collectionName = template(value, path: "\(path()).\(key)", job: job)
            case "partition_name": fields.partitionName = template(value, path: "\(path()).\(key)", job: job)
            case "db_name": fields.dbName = template(value, path: "\(path()).\(key)", job: job)
            case "object_url": fields.objectURL = template(value, path: "\(path()).\(key)", job: job)
            case "access_key": fields.accessKey = template(value, path: "\(path()).\(key)", job: job)
            case "secret_key": fields.secretKey = template(value, path: "\(path()).\(key)", job: job)
            case "token": fields.token = template(value, path: "\(path()).\(key)", job: job)
            case "files": fields.files = files(value, path: "\(path()).\(key)", job: job)
            case "options": fields.options = options(value, path: "\(path()).\(key)", job: job)
            default:
                if isDefaults && key == "name" {
                    report(.error, .unknownField, "defaults cannot set a job's name", at: pair.key.span,
                           path: "\(path()).\(key)", fix: "give every job its own name")
                } else {
                    unknownField(key, at: pair.key.span, in: path(),
                                 known: isDefaults ? JobFields.fieldNames : ["name"] + JobFields.fieldNames, job: job)
                }
            }
        }
        return fields
    }

    private mutating func files(_ node: Node, path: @autoclosure () -> String, job: String?) -> Located<[FileGroupSpec]>? {
        guard let items = node.sequence else {
            report(.error, .wrongType, "\(path()) must be a list of file groups, not \(node.kindDescription)",
                   at: node.span, job: job, path: path(),
                   fix: "write `files: [path]` or a list of groups, each a path or a list of paths")
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
                report(.error, .wrongType, "\("\(path())[\(i)]") must be a path or a list of paths, not a mapping",
                       at: item.span, job: job, path: "\(path())[\(i)]")
            }
        }
        return Located(groups, at: node.span)
    }

    private mutating func options(_ node: Node, path: @autoclosure () -> String, job: String?) -> Located<[OptionSpec]>? {
        guard let pairs = mapping(node, path: path(), job: job, expected: "a mapping of option names to values")
        else { return nil }
        var options: [OptionSpec] = []
        for pair in pairs {
            guard let key = key(pair, path: path(), job: job) else { continue }
                        guard pair.value.scalar != nil else {
                report(.error, .wrongType,
                       "option \(key) must be a single value (sent as a string), not \(pair.value.kindDescription)",
                       at: pair.value.span, job: job, path: "\(path()).\(key)")
                continue
            }
            // An option may be an empty quoted string: `nullkey: ""` is how CSV says "no null marker".
            if let value = template(pair.value, path: "\(path()).\(key)", job: job, allowEmpty: true) {
                options.append(OptionSpec(key: Located(key, at: pair.key.span), value: value))
            }
        }
        return Located(options, at: node.span)
    }

    /// Decodes one entry of `jobs`.
    mutating func job(_ node: Node, index: Int) -> JobSpec? {
        func path() -> String { "jobs[\(index)]" }
                guard let pairs = mapping(node, path: path(), job: nil, expected: "a job mapping") else { return nil }
        var jobName: Located<String>?
        if let namePair = pairs.first(where: { $0.key.scalar?.value == "name" }) {
            jobName = name(namePair.value, path: "\(path()).name", job: nil, what: "job name")
        } else {
            report(.error, .missingField, "\(path()) has no name", at: node.span, path: path(),
                   fix: "add `name:`, unique across the manifests run together")
        }
        let fields = jobFields(pairs, path: path(), job: jobName?.value, isDefaults: false)
        guard let jobName else { return nil }
        return JobSpec(name: jobName, fields: fields, span: node.span, index: index)
    }
}
