import LibYAML

/// What validating a set of manifests gave: every diagnostic, the jobs that passed, ready to plan
/// or run, and the secret values to mask in any output.
public struct ValidationResult: Sendable {
    public var diagnostics: [Diagnostic]
    /// The jobs without errors, in manifest order.
    public var jobs: [ImportJob]
    /// Masks every resolved secret value.
    public var redactor: Redactor
    /// The named targets without errors, by name (the first manifest to name one wins).
    public var targets: [String: ImportTarget] = [:]

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
}

/// Checks manifests against the documented required fields (the two seed API references) and the
/// server's own rules, and resolves them into ``ImportJob``s.
public struct Validator: Sendable {
    public var environment: Environment
    public var options: ValidationOptions

    public init(environment: Environment, options: ValidationOptions = ValidationOptions()) {
        self.environment = environment
        self.options = options
    }

    /// Validates manifests that are run together: job names must be unique across all of them.
    public func validate(_ manifests: [Manifest]) -> ValidationResult {
        var result = ValidationResult(diagnostics: [], jobs: [], redactor: Redactor())
        var firstByName: [String: SourceLocation] = [:]
        for manifest in manifests {
            var checker = ManifestChecker(manifest: manifest, environment: environment, options: options)
            let jobs = checker.check()
            checker.resolver.finish()
            for job in manifest.jobs {
                let location = SourceLocation(file: manifest.file, span: job.name.span)
                if let first = firstByName[job.name.value] {
                    checker.resolver.diagnostics.append(Diagnostic(
                        .error, .duplicateJob, "job name '\(job.name.value)' is already used", at: location,
                        job: job.name.value, path: "jobs[\(job.index)].name",
                        fix: "give every job a unique name; the ledger tells jobs apart by name",
                        notes: [DiagnosticNote("first used here", at: first)]))
                } else {
                    firstByName[job.name.value] = location
                }
            }
            result.diagnostics += checker.resolver.diagnostics
            result.redactor.merge(checker.resolver.redactor)
            result.jobs += jobs
            for (name, target) in checker.validTargets where result.targets[name] == nil { result.targets[name] = target }
        }
        // A duplicate name makes both jobs unusable: the ledger could not tell them apart.
        let duplicates = Set(result.diagnostics.filter { $0.code == .duplicateJob }.compactMap(\.job))
        if !duplicates.isEmpty { result.jobs.removeAll { duplicates.contains($0.name) } }
        return result
    }
}

/// The checks of one manifest.
struct ManifestChecker {
    let manifest: Manifest
    var resolver: ValueResolver
    /// Named targets, resolved once each so a problem with one is reported once, not per job.
    private var resolvedTargets: [String: ImportTarget?] = [:]
    private var targetSpecs: [String: TargetSpec] = [:]
    /// Timeouts already parsed: most jobs share a handful.
    private var durations: [String: Double] = [:]

    init(manifest: Manifest, environment: Environment, options: ValidationOptions) {
        self.manifest = manifest
        resolver = ValueResolver(file: manifest.file, environment: environment, options: options)
        for (name, spec) in manifest.targets { targetSpecs[name.value] = spec }
    }

    /// The named targets that resolved without errors.
    var validTargets: [(String, ImportTarget)] {
        manifest.targets.compactMap { name, _ in resolvedTargets[name.value].flatMap { $0 }.map { (name.value, $0) } }
    }

    mutating func check() -> [ImportJob] {
        for (name, spec) in manifest.targets {
            resolvedTargets[name.value] = resolveTarget(spec, name: name.value, job: nil)
        }
        var jobs: [ImportJob] = []
        jobs.reserveCapacity(manifest.jobs.count)
        for spec in manifest.jobs {
            if let job = check(spec) { jobs.append(job) }
        }
        return jobs
    }

    private mutating func report(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at span: Span,
        job: String?, path: String? = nil, fix: String? = nil, notes: [DiagnosticNote] = []
    ) {
        resolver.report(severity, code, message, at: span, job: job, path: path, fix: fix, notes: notes)
    }

    // MARK: Targets

    private mutating func resolveTarget(_ spec: TargetSpec, name: String?, job: String?) -> ImportTarget? {
        let label = name.map { "target '\($0)'" } ?? "the inline target"
        let before = resolver.errorCount
        let isMilvus = spec.kind == .milvus
        let endpointField = isMilvus ? "uri" : "url"

        var endpoint: Endpoint?
        if let value = spec.endpoint {
            if let text = resolver.string(value, field: endpointField, job: job) {
                do {
                    endpoint = try Endpoint(parsing: text, defaultScheme: isMilvus ? nil : "https")
                } catch {
                    report(.error, .invalidURL, "\(label): \(endpointField) \(error.message)", at: value.span, job: job,
                           path: endpointField, fix: error.fix)
                }
            }
        } else {
            report(.error, .missingField,
                   isMilvus
                       ? "\(label) has no uri, which Milvus's BulkImport requires (NewBulkImportOption(uri, collectionName, files))"
                       : "\(label) has no url, which Zilliz Cloud's bulk_import() requires",
                   at: spec.span, job: job, path: endpointField,
                   fix: isMilvus ? "add `uri: http://host:19530`" : "add `url: https://api.cloud.zilliz.com`")
        }

        let api: ImportAPI
        switch (spec.kind, spec.api?.value) {
        case (.milvus, .v1?): api = .milvusV1
        case (.milvus, _): api = .milvusV2
        case (.zilliz, .v1?): api = .zillizV1
        case (.zilliz, .v2?): api = .zillizV2
        case (.zilliz, nil): api = endpoint?.host.lowercased().hasPrefix("controller.api.") == true ? .zillizV1 : .zillizV2
        }

        var target = ImportTarget(name: name, api: api, endpoint: endpoint ?? (try! Endpoint(parsing: "http://invalid", defaultScheme: nil)))
        target.dbName = resolver.string(spec.dbName, field: "db_name", job: job)
        switch spec.kind {
        case .milvus:
            target.token = resolver.secret(spec.token, field: "token", job: job)
        case .zilliz:
            if spec.apiKey == nil {
                report(.error, .missingField, "\(label) has no api_key, which Zilliz Cloud's bulk_import() requires",
                       at: spec.span, job: job, path: "api_key", fix: "add `api_key: $<ZILLIZ_API_KEY>`")
            }
            target.apiKey = resolver.secret(spec.apiKey, field: "api_key", job: job)
            target.clusterID = resolver.string(spec.clusterID, field: "cluster_id", job: job)
            target.projectID = resolver.string(spec.projectID, field: "project_id", job: job)
            target.regionID = resolver.string(spec.regionID, field: "region_id", job: job)
            checkZillizIdentity(spec, api: api, label: label, job: job)
            if api == .zillizV1, let db = spec.dbName {
                report(.warning, .unusedField, "\(label) uses the v1 API, which has no database: db_name is not sent",
                       at: db.span, job: job, path: "db_name", fix: "remove db_name, or use the v2 API")
            }
        }
        let after = resolver.errorCount
        return after == before && endpoint != nil ? target : nil
    }

    private mutating func checkZillizIdentity(_ spec: TargetSpec, api: ImportAPI, label: String, job: String?) {
        let hasProject = spec.projectID != nil || spec.regionID != nil
        if let cluster = spec.clusterID, hasProject {
            let other = spec.projectID ?? spec.regionID!
            report(.error, .conflictingFields, "\(label) names both cluster_id and project_id/region_id",
                   at: other.span, job: job, path: "project_id",
                   fix: "a cluster is named by cluster_id; project databases by project_id and region_id: keep one",
                   notes: [DiagnosticNote("cluster_id is here", at: SourceLocation(file: manifest.file, span: cluster.span))])
            return
        }
        if api == .zillizV1 {
            if spec.clusterID == nil {
                report(.error, .missingField, "\(label) has no cluster_id, which Zilliz Cloud's bulk_import() requires",
                       at: spec.span, job: job, path: "cluster_id", fix: "add `cluster_id: in01-...` from the cluster's page")
            }
            if hasProject {
                report(.error, .conflictingFields, "\(label) uses the v1 API, which does not take project_id or region_id",
                       at: (spec.projectID ?? spec.regionID!).span, job: job, path: "project_id",
                       fix: "use cluster_id, or the v2 API (`url: https://api.cloud.zilliz.com`)")
            }
            return
        }
        if spec.clusterID == nil {
            if !hasProject {
                report(.error, .missingField,
                       "\(label) has no cluster_id, which Zilliz Cloud's bulk_import() requires (or project_id and region_id on v2)",
                       at: spec.span, job: job, path: "cluster_id", fix: "add `cluster_id: in01-...` from the cluster's page")
            } else if spec.projectID == nil || spec.regionID == nil {
                let present = spec.projectID ?? spec.regionID!
                report(.error, .missingField, "\(label) names \(spec.projectID == nil ? "region_id without project_id" : "project_id without region_id")",
                       at: present.span, job: job, path: spec.projectID == nil ? "project_id" : "region_id",
                       fix: "give both project_id and region_id")
            }
        }
    }

    // MARK: Jobs

    private mutating func check(_ spec: JobSpec) -> ImportJob? {
        let name = spec.name.value
        let fields = spec.fields.overlaying(manifest.defaults)
        let errorsBefore = resolver.errorCount

        // The target.
        var target: ImportTarget?
        var kind: TargetKind?
        switch fields.target {
        case nil:
            report(.error, .missingField, "job '\(name)' has no target", at: spec.span, job: name, path: "target",
                   fix: manifest.targets.isEmpty
                       ? "add `target:` with a milvus or zilliz mapping"
                       : "add `target:` naming one of: \(manifest.targets.map(\.name.value).joined(separator: ", "))")
        case .named(let ref)?:
            if let spec = targetSpecs[ref.value] {
                kind = spec.kind
                target = resolvedTargets[ref.value] ?? nil
            } else {
                let known = manifest.targets.map(\.name.value)
                let fix = Spelling.closest(to: ref.value, in: known).map { "did you mean '\($0)'?" }
                    ?? (known.isEmpty ? "define it under `targets:`" : "define it under `targets:`, or use one of: \(known.joined(separator: ", "))")
                report(.error, .undefinedTarget, "job '\(name)' refers to target '\(ref.value)', which is not defined",
                       at: ref.span, job: name, path: "target", fix: fix)
            }
        case .inline(let inline)?:
            kind = inline.kind
            target = resolveTarget(inline, name: nil, job: name)
        }

        // Fields every job needs.
        let seedCall = kind == .zilliz ? "Zilliz Cloud's bulk_import()" : "Milvus's BulkImport"
        if fields.collectionName == nil && !fields.present.contains("collection_name") {
            report(.error, .missingField,
                   "job '\(name)' has no collection_name, which \(seedCall) requires",
                   at: spec.span, job: name, path: "collection_name", fix: "add `collection_name:`")
        }
        let collection = resolver.string(fields.collectionName, field: "collection_name", job: name)
        let partition = resolver.string(fields.partitionName, field: "partition_name", job: name)
        let dbName = resolver.string(fields.dbName, field: "db_name", job: name)

        var files: [[String]] = []
        var accessKey: Secret?, secretKey: Secret?, token: Secret?
        var options: [ImportOption] = []
        let api = target?.api

        switch kind {
        case .milvus?:
            if let url = spec.fields.objectURL {
                report(.error, .unusedField,
                       "object_url is Zilliz Cloud's; a Milvus job lists `files`, object keys relative to the Milvus bucket",
                       at: url.span, job: name, path: "object_url", fix: "replace it with `files: [path/in/bucket.parquet]`")
            }
            for (field, value) in [("access_key", spec.fields.accessKey), ("secret_key", spec.fields.secretKey), ("token", spec.fields.token)] {
                // Not sent, but still a secret: checked for plain text and masked by value.
                _ = resolver.secret(value, field: field, job: name)
                if let value {
                    report(.warning, .unusedField,
                           "\(field) is not sent to Milvus: Milvus reads files from its own bucket with its own credentials",
                           at: value.span, job: name, path: field, fix: "remove it (the target's `token` authenticates)")
                }
            }
            if let groups = fields.files {
                files = checkMilvusFiles(groups, api: api, job: name)
            } else if !fields.present.contains("files") {
                report(.error, .missingField, "job '\(name)' has no files, which Milvus's BulkImport requires (NewBulkImportOption(uri, collectionName, files))",
                       at: spec.span, job: name, path: "files", fix: "add `files:` with object keys relative to the Milvus bucket")
            }
            options = checkOptions(fields.options, api: api, job: name)

        case .zilliz?:
            accessKey = resolver.secret(fields.accessKey, field: "access_key", job: name)
            secretKey = resolver.secret(fields.secretKey, field: "secret_key", job: name)
            for (field, value) in [("access_key", fields.accessKey), ("secret_key", fields.secretKey)] where value == nil {
                report(.error, .missingField, "job '\(name)' has no \(field), which Zilliz Cloud's bulk_import() requires",
                       at: spec.span, job: name, path: field,
                       fix: "add `\(field): $<\(field == "access_key" ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")>` (here or in defaults)")
            }
            token = resolver.secret(fields.token, field: "token", job: name)
            if api == .zillizV1, let t = fields.token {
                report(.warning, .unusedField, "the v1 API takes no session token: token is not sent", at: t.span,
                       job: name, path: "token", fix: "use long-term keys, or the v2 API")
            }
            files = checkZillizFiles(fields, api: api, job: name, jobSpan: spec.span)
            options = checkOptions(fields.options, api: api, job: name)

        case nil:
            break
        }

        let errorsAfter = resolver.errorCount
        guard errorsAfter == errorsBefore, let target, let collection else { return nil }
        if let dbName, api == .zillizV1, let value = fields.dbName {
            _ = dbName
            report(.warning, .unusedField, "the v1 API has no database: db_name is not sent", at: value.span, job: name,
                   path: "db_name", fix: "remove db_name, or use the v2 API")
        }
        return ImportJob(
            name: name, location: SourceLocation(file: manifest.file, span: spec.span), target: target,
            collectionName: collection, partitionName: partition, dbName: dbName ?? target.dbName, files: files,
            accessKey: accessKey, secretKey: secretKey, token: token, options: options)
    }

    // MARK: Files

    private static let rowBased: Set<String> = ["json", "parquet", "csv"]

    private mutating func checkMilvusFiles(_ groups: Located<[FileGroupSpec]>, api: ImportAPI?, job: String) -> [[String]] {
        var result: [[String]] = []
        result.reserveCapacity(groups.value.count)
        for (i, group) in groups.value.enumerated() {
            func path() -> String { "files[\(i)]" }
            if group.paths.isEmpty {
                report(.warning, .emptyGroup, "\(path()) is an empty group, which the server drops", at: group.span,
                       job: job, path: path(), fix: "remove it")
                continue
            }
            var resolved: [String] = []
            var extensions: [(String, Span)] = []
            for (j, located) in group.paths.enumerated() {
                func fieldPath() -> String { group.paths.count == 1 ? path() : "\(path())[\(j)]" }
                guard let file = resolver.string(located, field: "files", job: job) else { continue }
                resolved.append(file)
                if let scheme = Self.schemeSeparator(in: file) {
                    report(.error, .notBucketRelative,
                           "'\(file)' is a \(file[..<scheme.lowerBound]):// url, but Milvus reads files from its own bucket by object key",
                           at: located.span, job: job, path: fieldPath(),
                           fix: "write the key relative to the bucket Milvus is configured with, e.g. '\(file[scheme.upperBound...].drop { $0 != "/" }.dropFirst())'")
                    continue
                }
                if api == .milvusV2, file.hasPrefix("/") {
                    report(.error, .notBucketRelative,
                           "'\(file)' is an absolute local path, but Milvus reads files from its bucket by object key; the job would fail later with \"The specified key does not exist\"",
                           at: located.span, job: job, path: fieldPath(),
                           fix: "upload the file to the Milvus bucket and write its key, e.g. 'data/\(file.split(separator: "/").last ?? "")'")
                    continue
                }
                guard let ext = Self.fileExtension(file) else {
                    report(.error, .unsupportedExtension,
                           file.hasSuffix("/") ? "'\(file)' is a folder; Milvus imports files, not folders"
                                               : "'\(file)' has no extension; Milvus imports .json, .parquet, .csv and .npy files",
                           at: located.span, job: job, path: fieldPath(), fix: "name each file")
                    continue
                }
                guard Self.rowBased.contains(ext) || ext == "npy" else {
                    report(.error, .unsupportedExtension,
                           "'\(file)' is a .\(ext) file; Milvus imports .json, .parquet, .csv and .npy files",
                           at: located.span, job: job, path: fieldPath(), fix: "convert it to Parquet or JSON")
                    continue
                }
                if api == .milvusV1 && !checkLegacyFile(file, ext: ext, at: located.span, job: job, path: fieldPath()) { continue }
                extensions.append((ext, located.span))
            }
            if let (first, firstSpan) = extensions.first {
                if let other = extensions.first(where: { $0.0 != first }) {
                    report(.error, .mixedExtensions,
                           "\(path()) mixes .\(first) and .\(other.0) files; every file of a group has the same extension",
                           at: other.1, job: job, path: path(),
                           fix: "put row-based files in groups of their own, and the .npy files of one column set together",
                           notes: [DiagnosticNote(".\(first) here", at: SourceLocation(file: manifest.file, span: firstSpan))])
                } else if Self.rowBased.contains(first), extensions.count > 1 {
                    report(.error, .groupSize,
                           "\(path()) holds \(extensions.count) .\(first) files, but a .\(first) group holds exactly one file",
                           at: extensions[1].1, job: job, path: path(),
                           fix: "give each .\(first) file its own group: `- a.\(first)` on a line each")
                }
            }
            result.append(resolved)
        }
        if groups.value.allSatisfy({ $0.paths.isEmpty }) {
            report(.error, .noFiles, "files lists no file", at: groups.span, job: job, path: "files",
                   fix: "add at least one file")
        }
        if let limit = api?.maxGroups, result.count > limit {
            report(.error, .tooManyGroups,
                   "files has \(result.count) groups, but one Milvus import takes at most \(limit)",
                   at: groups.span, job: job, path: "files", fix: "split the job into jobs of at most \(limit) groups")
        }
        return result
    }

    /// What Milvus 2.2/2.3 refuse only after the job was submitted (seen on a real 2.3.5).
    private mutating func checkLegacyFile(_ file: String, ext: String, at span: Span, job: String, path: String) -> Bool {
        if ext == "csv" {
            report(.error, .unsupportedExtension,
                   "'\(file)' is a .csv file, but Milvus 2.2 and 2.3 import only .json, .parquet and .npy (CSV came with 2.4)",
                   at: span, job: job, path: path, fix: "convert it to Parquet or JSON")
            return false
        }
        if !file.hasSuffix("." + ext) {
            report(.error, .unsupportedExtension,
                   "'\(file)' ends in .\(file.split(separator: ".").last ?? ""), but Milvus 2.2 and 2.3 read extensions case-sensitively and refuse it",
                   at: span, job: job, path: path, fix: "rename the file to end in .\(ext)")
            return false
        }
        if !file.hasPrefix("/") {
            report(.warning, .relativePath,
                   "'\(file)' is relative: Milvus 2.2 and 2.3 resolve it against the server's working directory, not this manifest's folder",
                   at: span, job: job, path: path, fix: "write the absolute path the server sees")
        }
        return true
    }

    private mutating func checkZillizFiles(_ fields: JobFields, api: ImportAPI?, job: String, jobSpan: Span) -> [[String]] {
        if let url = fields.objectURL, let files = fields.files {
            report(.error, .conflictingFields, "job '\(job)' has both object_url and files", at: files.span, job: job,
                   path: "files", fix: "keep one: object_url for one url, files for several",
                   notes: [DiagnosticNote("object_url is here", at: SourceLocation(file: manifest.file, span: url.span))])
            return []
        }
        var urls: [(String, Span)] = []
        if let url = fields.objectURL {
            if let text = resolver.string(url, field: "object_url", job: job) { urls.append((text, url.span)) }
        } else if let files = fields.files {
            for (i, group) in files.value.enumerated() {
                if group.paths.count != 1 {
                    report(.error, .groupSize,
                           group.paths.isEmpty ? "files[\(i)] is an empty group" : "files[\(i)] holds \(group.paths.count) urls, but on Zilliz Cloud each group is one url: a file, or a folder ending in '/'",
                           at: group.span, job: job, path: "files[\(i)]", fix: "give each url its own group")
                    continue
                }
                if let text = resolver.string(group.paths[0], field: "files", job: job) {
                    urls.append((text, group.paths[0].span))
                }
            }
            if api == .zillizV1, files.value.count != 1 {
                report(.error, .singleObjectURL,
                       "the Zilliz Cloud v1 API imports exactly one object url, but files has \(files.value.count)",
                       at: files.span, job: job, path: "files",
                       fix: "use `object_url:` with one url (a folder ending in '/' imports all its files), or the v2 API")
            } else if let limit = api?.maxGroups, files.value.count > limit {
                report(.error, .tooManyGroups,
                       "files has \(files.value.count) urls, but one Zilliz Cloud import takes at most \(limit)",
                       at: files.span, job: job, path: "files", fix: "split the job into jobs of at most \(limit) urls")
            }
        } else {
            report(.error, .missingField,
                   "job '\(job)' has no object_url, which Zilliz Cloud's bulk_import() requires\(api == .zillizV1 ? "" : " (or files, on the v2 API)")",
                   at: jobSpan, job: job, path: "object_url", fix: "add `object_url: s3://bucket/path/`")
        }
        for (url, span) in urls { checkObjectURL(url, at: span, job: job) }
        return urls.map { [$0.0] }
    }

    private mutating func checkObjectURL(_ url: String, at span: Span, job: String) {
        let lower = url.lowercased()
        for scheme in ["s3://", "gs://", "https://"] where lower.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            if rest.isEmpty || rest.hasPrefix("/") {
                report(.error, .invalidObjectURL, "'\(url)' names no bucket", at: span, job: job, path: "object_url",
                       fix: "write \(scheme)bucket/path")
            }
            return
        }
        report(.error, .invalidObjectURL,
               "'\(url)' is not an object storage url; Zilliz Cloud reads s3://, gs:// and https:// (S3, Google Cloud Storage, Azure Blob) urls",
               at: span, job: job, path: "object_url", fix: "write e.g. s3://bucket/path/ or gs://bucket/path/")
    }

    /// The range of `://` in `text`, if it has one.
    static func schemeSeparator(in text: String) -> Range<String.Index>? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: ":")) else { return nil }
        return text.firstRange(of: "://")
    }

    /// The lowercased extension of the last path component, or nil for none or a folder.
    static func fileExtension(_ path: String) -> String? {
        let bytes = path.utf8
        guard let lastByte = bytes.last, lastByte != UInt8(ascii: "/") else { return nil }
        var ext: [UInt8] = []
        for b in bytes.reversed() {
            if b == UInt8(ascii: ".") { break }
            if b == UInt8(ascii: "/") || ext.count > 16 { return nil }
            ext.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        // No dot, a dot that starts the name (".hidden"), or nothing after the dot: no extension.
        let nameStart = bytes.count - ext.count - 1
        guard !ext.isEmpty, nameStart > 0 else { return nil }
        let before = bytes[bytes.index(bytes.startIndex, offsetBy: nameStart - 1)]
        guard before != UInt8(ascii: "/") else { return nil }
        return String(decoding: ext.reversed(), as: UTF8.self)
    }

    // MARK: Options

    /// The option keys Milvus knows.
    static let knownOptions = [
        "timeout", "sep", "nullkey", "backup", "skip_disk_quota_check", "l0_import", "start_ts", "end_ts",
        "storage_version", "auto_commit",
    ]

    private mutating func checkOptions(_ options: Located<[OptionSpec]>?, api: ImportAPI?, job: String) -> [ImportOption] {
        guard let options, !options.value.isEmpty else { return [] }
        if api == .zillizV1 {
            report(.warning, .optionsIgnored, "the Zilliz Cloud v1 API takes no options: they are not sent",
                   at: options.span, job: job, path: "options", fix: "remove them, or use the v2 API")
            return []
        }
        var result: [ImportOption] = []
        var keys = Set<String>()
        for option in options.value {
            let key = option.key.value
            func path() -> String { "options.\(key)" }
            guard let value = resolver.string(option.value, field: path(), job: job) else { continue }
            keys.insert(key)
            result.append(ImportOption(key, value))
            if !Self.knownOptions.contains(key) {
                let fix = Spelling.closest(to: key, in: Self.knownOptions).map { "did you mean '\($0)'?" }
                    ?? "known options: \(Self.knownOptions.joined(separator: ", "))"
                report(.warning, .unknownOption, "option '\(key)' is not one the server knows; it may be ignored",
                       at: option.key.span, job: job, path: path(), fix: fix)
            }
            if key == "timeout" {
                if let seconds = durations[value] ?? GoDuration.seconds(value) {
                    durations[value] = seconds
                    if seconds <= 0 {
                        report(.error, .invalidDuration, "timeout '\(value)' must be positive", at: option.value.span,
                               job: job, path: path(), fix: "write e.g. 300s or 2h")
                    }
                } else {
                    let fix = Double(value) != nil ? "add a unit: \(value)s" : "write a Go duration such as 300s, 1.5h or 1h45m"
                    report(.error, .invalidDuration, "timeout '\(value)' is not a Go duration", at: option.value.span,
                           job: job, path: path(), fix: fix)
                }
            }
        }
        if let skip = options.value.first(where: { $0.key.value == "skip_disk_quota_check" }),
            !keys.contains("backup"), !keys.contains("l0_import")
        {
            report(.warning, .optionDependency, "skip_disk_quota_check works only together with backup or l0_import",
                   at: skip.key.span, job: job, path: "options.skip_disk_quota_check",
                   fix: "remove it, or set backup: true")
        }
        return result
    }
}
