import LibYAML
import Platform

/// Checks manifests against the documented required fields (the two seed API references) and the
/// server's own rules, and resolves them into ``ImportJob``s.
public struct Validator: Sendable {
    public var environment: Environment
    public var options: ValidationOptions

    public init(environment: Environment, options: ValidationOptions = ValidationOptions()) {
        self.environment = environment
        self.options = options
    }

    /// What validating gave besides diagnostics: the jobs that passed and what to mask.
    public struct Resolution: Sendable {
        /// The jobs without errors, in manifest order.
        public var jobs: [ImportJob] = []
        /// Masks every resolved secret value.
        public var redactor = Redactor()
        /// The named targets without errors, by name (the first manifest to name one wins).
        public var targets: [String: ImportTarget] = [:]
        /// Where the jobs' state is kept: `--state` when given, else the manifests' one state;
        /// nil when they disagree or one is invalid (reported).
        public var state: StateLocation?
    }

    /// Validates manifests that are run together, emitting every problem into `diagnostics`: job
    /// names must be unique across all of them.
    public func validate(_ manifests: [Manifest], into diagnostics: inout DiagnosticBag) -> Resolution {
        var run = ValidationRun(environment: environment, options: options)
        for manifest in manifests { run.add(manifest, into: &diagnostics) }
        return run.end(into: &diagnostics)
    }
}

extension Validator {
    /// The one state of manifests run together, or nil with an error where two differ.
    static func oneState(
        _ states: [(state: StateLocation?, manifest: Manifest)], into diagnostics: inout DiagnosticBag
    ) -> StateLocation? {
        guard let first = states.first(where: { $0.state != nil }), let state = first.state else { return nil }
        var agreed = true
        for other in states where other.state != nil && other.state != state {
            let at = ManifestLocation(
                file: other.manifest.file, span: other.manifest.state?.span ?? YAMLSpan(at: YAMLMark(line: 1, column: 1)))
            let firstAt = first.manifest.state.map { ManifestLocation(file: first.manifest.file, span: $0.span) }
            diagnostics.emit(.conflictingStates(other.state!, other: state, otherFile: first.manifest.file, at: at, otherAt: firstAt))
            agreed = false
        }
        return agreed && !states.contains(where: { $0.state == nil }) ? state : nil
    }
}

/// Checks one manifest's targets and jobs and resolves them into ``ImportTarget``s and
/// ``ImportJob``s; ``ValueResolver`` resolves the values in them.
struct ManifestResolver {
    /// The manifest as far as it is read: while its jobs stream, without them.
    var manifest: Manifest
    var values: ValueResolver
    /// Each named target's kind and, once resolved (once each, so a problem with one is reported
    /// once, not per job), the target when it has no error: what a job that names it needs, in one
    /// lookup.
    private var namedTargets: [String: (kind: TargetKind, target: ImportTarget?)] = [:]
    /// Timeouts already parsed: most jobs share a handful.
    private var durations: [String: Double] = [:]
    /// Milvus REST v2 jobs, and those of them without a `timeout` option (one warning per manifest).
    private var timeoutChecked = 0
    private var withoutTimeout: [(name: String, span: YAMLSpan)] = []
    /// The jobs that passed, kept when ``ValidationOptions/keepsJobs``; otherwise only what the
    /// check for one import written twice needs (`sameImports`).
    private(set) var jobs: [ImportJob] = []
    private(set) var sameImports = SameImports.Entries()
    /// What `atomic: true` refuses, reported once the manifest's jobs are all resolved.
    private(set) var atomicProblems: [Diagnostic] = []

    init(manifest: Manifest, environment: Environment, options: ValidationOptions) {
        self.manifest = manifest
        values = ValueResolver(file: manifest.file, environment: environment, options: options)
        for (name, spec) in manifest.targets { namedTargets[name.value] = (spec.kind, nil) }
    }

    /// The named targets that resolved without errors.
    var validTargets: [(String, ImportTarget)] {
        manifest.targets.compactMap { name, _ in namedTargets[name.value]?.target.map { (name.value, $0) } }
    }

    /// Resolves the named targets: before the first job.
    mutating func resolveTargets() {
        for (name, spec) in manifest.targets {
            let target = resolveTarget(spec, name: name.value, job: nil)
            namedTargets[name.value]?.target = target
        }
    }

    /// Resolves one job and keeps what later checks need of it; `place` is its position among
    /// the manifest's decoded jobs.
    mutating func take(_ spec: consuming JobSpec, place: Int) {
        guard let job = resolve(spec) else { return }
        if let atomic = manifest.atomic, atomic.value {
            atomicProblems += AtomicGroupCheck.problems(job, atomic: ManifestLocation(file: manifest.file, span: atomic.span))
        }
        if values.options.keepsJobs {
            jobs.append(job)
        } else {
            sameImports.append(job, place: place)
        }
    }

    /// Reports what is known once every job is resolved.
    mutating func finishJobs() {
        if let first = withoutTimeout.first {
            emit(.noTimeout(withoutTimeout.map(\.name), total: timeoutChecked, at: location(first.span)))
        }
    }

    /// Drops the jobs kept so far: `atomic: true` refused them.
    mutating func dropJobs() {
        jobs = []
        sameImports = SameImports.Entries()
    }

    /// Where the job or target being resolved is (see ``ValueResolver/pathPrefix``).
    private var pathPrefix: String? {
        get { values.pathPrefix }
        set { values.pathPrefix = newValue }
    }

    /// Emits `diagnostic` with its path made full from the manifest's root.
    private mutating func emit(_ diagnostic: Diagnostic) {
        var diagnostic = diagnostic
        if let path = diagnostic.path { diagnostic.path = values.fullPath(path) }
        values.diagnostics.emit(diagnostic)
    }

    private func location(_ span: YAMLSpan) -> ManifestLocation { ManifestLocation(file: manifest.file, span: span) }

    // MARK: Targets

    private mutating func resolveTarget(_ spec: TargetSpec, name: String?, job: String?) -> ImportTarget? {
        let label = name.map { "target \(quoted: $0)" } ?? "the inline target"
        let outer = pathPrefix
        pathPrefix = name.map { "targets.\($0.clipped()).\(spec.kind.rawValue)" } ?? "\(outer ?? "jobs").target.\(spec.kind.rawValue)"
        defer { pathPrefix = outer }
        let before = values.diagnostics.errorsEmitted
        let isMilvus = spec.kind == .milvus
        let endpointField = isMilvus ? "uri" : "url"

        var endpoint: Endpoint?
        if let value = spec.endpoint {
            if let text = values.string(value, field: endpointField, job: job) {
                do {
                    endpoint = try Endpoint(parsing: text, defaultScheme: isMilvus ? nil : "https")
                } catch {
                    emit(.invalidEndpoint(label, field: endpointField, error: error, job: job, at: location(value.span)))
                }
            }
        } else if !spec.present.contains(endpointField) {
            emit(.missingEndpoint(label, kind: spec.kind, job: job, at: location(spec.span)))
        }

        let api = ImportAPI.resolve(kind: spec.kind, requested: spec.api?.value, host: endpoint?.host)

        var target = ImportTarget(
            name: name, api: api, endpoint: endpoint ?? (try! Endpoint(parsing: "http://invalid", defaultScheme: nil)))
        target.dbName = values.string(spec.dbName, field: "db_name", job: job)
        switch spec.kind {
        case .milvus:
            target.token = values.secret(spec.token, field: "token", job: job)
            target.credentialVariables = spec.token?.value.variables ?? []
        case .zilliz:
            if spec.apiKey == nil && !spec.present.contains("api_key") {
                emit(.missingAPIKey(label, job: job, at: location(spec.span)))
            }
            target.apiKey = values.secret(spec.apiKey, field: "api_key", job: job)
            target.credentialVariables = spec.apiKey?.value.variables ?? []
            target.clusterID = values.string(spec.clusterID, field: "cluster_id", job: job)
            target.projectID = values.string(spec.projectID, field: "project_id", job: job)
            target.regionID = values.string(spec.regionID, field: "region_id", job: job)
            checkZillizIdentity(spec, rules: api.rules, label: label, job: job)
            if !api.rules.acceptsDatabase, let db = spec.dbName {
                emit(.targetDatabaseOnV1(label, job: job, at: location(db.span)))
            }
        }
        // After the secrets, so a name that holds one is known as such (see `checkName`).
        if let name = target.dbName, let written = spec.dbName { checkName(name, written, .database, field: "db_name", job: job) }
        let after = values.diagnostics.errorsEmitted
        return after == before && endpoint != nil ? target : nil
    }

    private mutating func checkZillizIdentity(_ spec: TargetSpec, rules: ImportAPIRules, label: String, job: String?) {
        // A field written with a bad value is reported as such, not also as missing.
        let unread = [("cluster_id", spec.clusterID), ("project_id", spec.projectID), ("region_id", spec.regionID)]
        if unread.contains(where: { field, value in value == nil && spec.present.contains(field) }) { return }
        let hasProject = spec.projectID != nil || spec.regionID != nil
        if let cluster = spec.clusterID, hasProject {
            let other = spec.projectID ?? spec.regionID!
            emit(.clusterAndProject(label, job: job, at: location(other.span), cluster: location(cluster.span)))
            return
        }
        if !rules.acceptsProjectDatabases {
            if spec.clusterID == nil {
                emit(.missingClusterID(label, orProject: false, job: job, at: location(spec.span)))
            }
            if hasProject {
                emit(.projectOnV1(label, job: job, at: location((spec.projectID ?? spec.regionID!).span)))
            }
            return
        }
        if spec.clusterID == nil {
            if !hasProject {
                emit(.missingClusterID(label, orProject: true, job: job, at: location(spec.span)))
            } else if spec.projectID == nil || spec.regionID == nil {
                let present = spec.projectID ?? spec.regionID!
                emit(.halfProject(label, hasProject: spec.projectID != nil, job: job, at: location(present.span)))
            }
        }
    }

    // MARK: Jobs

    private mutating func resolve(_ spec: consuming JobSpec) -> ImportJob? {
        let name = spec.name.value
        values.prefix = .job(spec.index)
        defer { values.prefix = nil }
        // What the job wrote itself of the fields a Milvus job refuses, before `defaults` fill them.
        let own = (
            objectURL: spec.fields.objectURL, accessKey: spec.fields.accessKey, secretKey: spec.fields.secretKey, token: spec.fields.token
        )
        // Moved out, not copied: the job is taken, and a copy retained every value of it.
        var fields = JobFields()
        swap(&fields, &spec.fields)
        fields.overlay(manifest.defaults)
        // Fields lost to a reported problem (a broken merge, unreadable defaults) are not reported
        // missing as well: one root cause, one error.
        if spec.incomplete || manifest.defaultsIncomplete { fields.present.formUnion(JobFields.fieldNames) }
        let errorsBefore = values.diagnostics.errorsEmitted

        // The target.
        var target: ImportTarget?
        var kind: TargetKind?
        switch fields.target {
        case nil:
            // Written with a bad value (reported), or not written at all.
            if !fields.present.contains("target") {
                emit(.jobWithoutTarget(name, known: manifest.targets.map(\.name.value), at: location(spec.span)))
            }
        case .named(let ref)?:
            if let named = namedTargets[ref.value] {
                kind = named.kind
                target = named.target
            } else if manifest.targetsUnreadable || manifest.invalidTargetNames.contains(ref.value) {
                // Defined, but broken: its own errors say why. The job is still checked by kind.
                kind = manifest.invalidTargetKinds[ref.value]
            } else {
                emit(.undefinedTarget(ref.value, job: name, known: manifest.targets.map(\.name.value), at: location(ref.span)))
            }
        case .inline(let inline)?:
            kind = inline.kind
            target = resolveTarget(inline, name: nil, job: name)
        }

        // Fields every job needs.
        if fields.collectionName == nil && !fields.present.contains("collection_name") {
            emit(.jobWithoutCollection(name, kind: kind, at: location(spec.span)))
        }
        let collection = values.string(fields.collectionName, field: "collection_name", job: name)
        let partition = values.string(fields.partitionName, field: "partition_name", job: name)
        let dbName = values.string(fields.dbName, field: "db_name", job: name)

        var files: [[String]] = []
        var accessKey: Secret?
        var secretKey: Secret?
        var token: Secret?
        var options: [ImportOption] = []
        var volumeName: String?
        let api = target?.api
        // The target's rules; none when the target itself is invalid (it has its own errors).
        let rules = api?.rules

        switch kind {
        case .milvus?:
            if let url = own.objectURL {
                emit(.objectURLOnMilvus(job: name, at: location(url.span)))
            }
            // Not sent, but still a secret: checked for plain text and masked by value. (Three
            // calls, not a loop over an array literal: that was an allocation per job.)
            func refuseCredential(_ field: String, _ value: Located<StringTemplate>?) {
                guard let value else { return }
                _ = values.secret(value, field: field, job: name)
                emit(.credentialOnMilvus(field, job: name, at: location(value.span)))
            }
            refuseCredential("access_key", own.accessKey)
            refuseCredential("secret_key", own.secretKey)
            refuseCredential("token", own.token)
            if VolumeSource.isRequested(fields) {
                VolumeSource.reportUnsupported(fields, onMilvus: true, job: name, jobSpan: spec.span, values: &values)
            }
            if let groups = fields.files {
                files = checkMilvusFiles(groups, api: api, job: name, snapshot: SnapshotSource.isRequested(fields.options))
            } else if !fields.present.contains("files") {
                emit(.milvusJobWithoutFiles(name, at: location(spec.span)))
            }
            options = checkOptions(fields.options, api: api, job: name)

        case .zilliz? where VolumeSource.isRequested(fields):
            for (field, value) in [("access_key", fields.accessKey), ("secret_key", fields.secretKey), ("token", fields.token)] {
                _ = values.secret(value, field: field, job: name)  // not sent, but masked
            }
            if let api, api != .zillizV2 {
                VolumeSource.reportUnsupported(fields, onMilvus: false, job: name, jobSpan: spec.span, values: &values)
            } else {
                (volumeName, files) = VolumeSource.resolve(
                    fields, maxGroups: api?.capabilities.maxFileGroups, job: name, jobSpan: spec.span, values: &values)
            }
            options = checkOptions(fields.options, api: api, job: name)

        case .zilliz?:
            accessKey = values.secret(fields.accessKey, field: "access_key", job: name)
            secretKey = values.secret(fields.secretKey, field: "secret_key", job: name)
            for (field, value) in [("access_key", fields.accessKey), ("secret_key", fields.secretKey)]
            where value == nil && !fields.present.contains(field) {
                emit(.zillizJobWithoutKey(name, field: field, at: location(spec.span)))
            }
            token = values.secret(fields.token, field: "token", job: name)
            if rules?.acceptsSessionToken == false, let t = fields.token {
                emit(.sessionTokenOnV1(job: name, at: location(t.span)))
            }
            let key = accessKey.flatMap { key in fields.accessKey.map { (key.reveal(), $0.span) } }
            files = checkZillizFiles(fields, api: api, job: name, jobSpan: spec.span, accessKey: key)
            options = checkOptions(fields.options, api: api, job: name)

        case nil:
            break
        }

        // Checked once resolved (and after the job's secrets, see `checkName`); a `$<VAR>` that is
        // unset is reported as such and not checked.
        if let collection, let written = fields.collectionName {
            checkName(collection, written, .collection, field: "collection_name", job: name)
        }
        if let partition, let written = fields.partitionName {
            checkName(partition, written, .partition, field: "partition_name", job: name)
        }
        if let dbName, let written = fields.dbName { checkName(dbName, written, .database, field: "db_name", job: name) }

        let errorsAfter = values.diagnostics.errorsEmitted
        guard errorsAfter == errorsBefore, let target, let collection else { return nil }
        if let dbName, rules?.acceptsDatabase == false, let value = fields.dbName {
            _ = dbName
            emit(.jobDatabaseOnV1(job: name, at: location(value.span)))
        }
        // Counted among the jobs that will run: a job with errors has better things to say.
        if api == .milvusV2 {
            timeoutChecked += 1
            if !options.contains(where: { $0.key == "timeout" }) { withoutTimeout.append((name, spec.span)) }
        }
        return ImportJob(
            name: name, location: ManifestLocation(file: manifest.file, span: spec.span), target: target,
            collectionName: collection, partitionName: partition, dbName: dbName ?? target.dbName, files: files,
            accessKey: accessKey, secretKey: secretKey, token: token, options: options, volumeName: volumeName)
    }

    /// Reports `name` (written as `written`) when the server would refuse it as a `kind` name.
    ///
    /// A name that holds a secret value is not checked: what is wrong with it (a character, a
    /// corrected name) would be derived from the secret, and a derived value escapes masking.
    private mutating func checkName(
        _ name: String, _ written: Located<StringTemplate>, _ kind: ServerName.Kind, field: String, job: String?
    ) {
        guard let problem = ServerName.problem(with: name, as: kind), values.redactor.redact(name) == name else { return }
        emit(
            .nameRefused(
                name, field: field, path: written.path ?? field, kind: kind, problem: problem,
                variables: written.value.variables, job: ValueResolver.owner(of: written, job: job), at: location(written.span)))
    }

    // MARK: Files

    /// What the checks of a file group need of its files' extensions: the first, the first that
    /// differs, where the second file is and how many there are (no array per group: this runs
    /// for every job).
    private struct GroupExtensions {
        var first: (ext: String, span: YAMLSpan)
        var other: (ext: String, span: YAMLSpan)?
        var second: YAMLSpan?
        var count = 1

        init(first: (ext: String, span: YAMLSpan)) { self.first = first }

        mutating func add(_ ext: String, at span: YAMLSpan) {
            count += 1
            if second == nil { second = span }
            if other == nil, ext != first.ext { other = (ext, span) }
        }
    }

    /// json, parquet and csv: files of rows (numpy files hold one field each).
    private static func isRowBased(_ ext: String) -> Bool { ext == "parquet" || ext == "json" || ext == "csv" }

    private mutating func checkMilvusFiles(
        _ groups: Located<[FileGroupSpec]>, api: ImportAPI?, job: String, snapshot: Bool = false
    ) -> [[String]] {
        var result: [[String]] = []
        result.reserveCapacity(groups.value.count)
        for (i, group) in groups.value.enumerated() {
            func path() -> String { "files[\(i)]" }
            if group.paths.isEmpty {
                emit(.emptyGroup(path(), job: job, at: location(group.span)))
                continue
            }
            var resolved: [String] = []
            resolved.reserveCapacity(group.paths.count)
            var extensions: GroupExtensions?
            for (j, located) in group.paths.enumerated() {
                func fieldPath() -> String { group.paths.count == 1 ? path() : "\(path())[\(j)]" }
                guard let file = values.string(located, field: "files", job: job) else { continue }
                resolved.append(file)
                if snapshot {
                    SnapshotSource.checkFile(file, span: located.span, path: located.path ?? fieldPath(), job: job, values: &values)
                } else if let scheme = Self.schemeSeparator(in: file) {
                    emit(.fileIsAURL(file, separator: scheme, job: job, path: located.path ?? fieldPath(), at: location(located.span)))
                    continue
                }
                if api?.rules.refusesLocalPaths == true, file.hasPrefix("/") {
                    emit(.fileIsALocalPath(file, job: job, path: located.path ?? fieldPath(), at: location(located.span)))
                    continue
                }
                guard let ext = Self.fileExtension(file) else {
                    emit(.fileWithoutExtension(file, job: job, path: located.path ?? fieldPath(), at: location(located.span)))
                    continue
                }
                guard Self.isRowBased(ext) || ext == "npy" else {
                    emit(.unsupportedExtension(file, ext: ext, job: job, path: located.path ?? fieldPath(), at: location(located.span)))
                    continue
                }
                if api?.rules.readsFilesAsServerPaths == true
                    && !checkLegacyFile(file, ext: ext, at: located.span, job: job, path: located.path ?? fieldPath())
                {
                    continue
                }
                if extensions == nil {
                    extensions = GroupExtensions(first: (ext, located.span))
                } else {
                    extensions!.add(ext, at: located.span)
                }
            }
            if let extensions {
                let (first, firstSpan) = extensions.first
                if let other = extensions.other {
                    emit(
                        .mixedExtensions(
                            path(), first: first, other: other.ext, job: job, at: location(other.span), firstAt: location(firstSpan)))
                } else if Self.isRowBased(first), extensions.count > 1, let second = extensions.second {
                    emit(.rowBasedGroupSize(path(), ext: first, count: extensions.count, job: job, at: location(second)))
                }
            }
            result.append(resolved)
        }
        if groups.value.allSatisfy({ $0.paths.isEmpty }) {
            emit(.noFiles(job: job, at: location(groups.span)))
        }
        if snapshot { SnapshotSource.checkCount(result, span: groups.span, job: job, values: &values) }
        if let limit = api?.capabilities.maxFileGroups, result.count > limit {
            emit(.tooManyMilvusGroups(result.count, limit: limit, job: job, at: location(groups.span)))
        }
        return result
    }

    /// What Milvus 2.2/2.3 refuse only after the job was submitted (seen on a real 2.3.5).
    private mutating func checkLegacyFile(_ file: String, ext: String, at span: YAMLSpan, job: String, path: String) -> Bool {
        if ext == "csv" {
            emit(.csvBefore24(file, job: job, path: path, at: location(span)))
            return false
        }
        if !file.hasSuffix("." + ext) {
            emit(.extensionCaseBefore24(file, ext: ext, job: job, path: path, at: location(span)))
            return false
        }
        if !file.hasPrefix("/") {
            emit(.relativePathBefore24(file, job: job, path: path, at: location(span)))
        }
        return true
    }

    private mutating func checkZillizFiles(
        _ fields: JobFields, api: ImportAPI?, job: String, jobSpan: YAMLSpan, accessKey: (value: String, span: YAMLSpan)?
    ) -> [[String]] {
        if let url = fields.objectURL, let files = fields.files {
            emit(.objectURLAndFiles(job: job, at: location(files.span), objectURL: location(url.span)))
            return []
        }
        var urls: [(String, YAMLSpan)] = []
        if let url = fields.objectURL {
            if let text = values.string(url, field: "object_url", job: job) { urls.append((text, url.span)) }
        } else if let files = fields.files {
            for (i, group) in files.value.enumerated() {
                if group.paths.count != 1 {
                    emit(.zillizGroupSize("files[\(i)]", count: group.paths.count, job: job, at: location(group.span)))
                    continue
                }
                if let text = values.string(group.paths[0], field: "files", job: job) {
                    urls.append((text, group.paths[0].span))
                }
            }
            if api?.rules.takesExactlyOneObjectURL == true, files.value.count != 1 {
                emit(.severalURLsOnV1(files.value.count, job: job, at: location(files.span)))
            } else if let limit = api?.capabilities.maxFileGroups, files.value.count > limit {
                emit(.tooManyZillizURLs(files.value.count, limit: limit, job: job, at: location(files.span)))
            }
        } else if !fields.present.contains("object_url") && !fields.present.contains("files") {
            emit(.zillizJobWithoutObjectURL(job, orFiles: api?.rules.takesExactlyOneObjectURL != true, at: location(jobSpan)))
        }
        for (url, span) in urls { ObjectURL.check(url, span: span, job: job, accessKey: accessKey, values: &values) }
        return urls.map { [$0.0] }
    }

    /// The range of `://` in `text`, if it has one.
    static func schemeSeparator(in text: String) -> Range<String.Index>? {
        guard text.containsUTF8Byte(UInt8(ascii: ":")) else { return nil }
        return text.firstRange(of: "://")
    }

    /// The lowercased extension of the last path component, or nil for none or a folder.
    static func fileExtension(_ path: String) -> String? {
        var path = path
        // Read in place, and made without an array: it runs for every file of every job.
        return path.withUTF8 { bytes -> String? in
            let count = bytes.count
            guard count > 0, bytes[count - 1] != UInt8(ascii: "/") else { return nil }
            var dot = count - 1
            while bytes[dot] != UInt8(ascii: ".") {
                if bytes[dot] == UInt8(ascii: "/") || count - 1 - dot > 16 || dot == 0 { return nil }
                dot -= 1
            }
            // No dot, a dot that starts the name (".hidden"), or nothing after the dot: no extension.
            guard dot < count - 1, dot > 0, bytes[dot - 1] != UInt8(ascii: "/") else { return nil }
            let ext = UnsafeBufferPointer(rebasing: bytes[(dot + 1)...])
            guard ext.contains(where: { $0 >= 65 && $0 <= 90 }) else { return String(decoding: ext, as: UTF8.self) }
            return String(decoding: ext.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
    }

    // MARK: Options

    /// The option keys Milvus knows (see ``OptionKeys``), and the aliases it also reads.
    static let knownOptions = OptionKeys.known + OptionKeys.aliases.keys.sorted()

    private mutating func checkOptions(_ options: Located<[OptionSpec]>?, api: ImportAPI?, job: String) -> [ImportOption] {
        guard let options, !options.value.isEmpty else { return [] }
        if api?.rules.acceptsOptions == false {
            emit(.optionsOnV1(job: job, at: location(options.span)))
            return []
        }
        var result: [ImportOption] = []
        result.reserveCapacity(options.value.count)
        var hasBackupOrL0 = false
        var resolved: [(spec: OptionSpec, value: String)] = []
        resolved.reserveCapacity(options.value.count)
        for option in options.value {
            let key = option.key.value
            func path() -> String { "options.\(key.clipped())" }
            if OptionKeys.reserved.contains(key) {
                emit(.reservedOption(key, path: option.key.path, job: job, at: location(option.key.span)))
                continue
            }
            let value =
                OptionKeys.secret.contains(key)
                ? values.secret(option.value, field: path(), job: job)?.reveal() : values.string(option.value, field: path(), job: job)
            guard let value else { continue }
            if key == "backup" || key == "l0_import" { hasBackupOrL0 = true }
            result.append(ImportOption(key, value))
            resolved.append((option, value))
            if !OptionKeys.isKnown(key) {
                emit(.unknownOption(key, known: Self.knownOptions, path: option.key.path, job: job, at: location(option.key.span)))
            }
            if key == "timeout" {
                if let seconds = durations[value] ?? GoDuration.seconds(value) {
                    durations[value] = seconds
                    if seconds <= 0 {
                        emit(.timeoutNotPositive(value, job: job, path: option.value.path ?? path(), at: location(option.value.span)))
                    }
                } else {
                    emit(.timeoutNotADuration(value, job: job, path: option.value.path ?? path(), at: location(option.value.span)))
                }
            }
        }
        if let skip = options.value.first(where: { $0.key.value == "skip_disk_quota_check" }),
            !hasBackupOrL0
        {
            emit(.skipDiskQuotaCheckAlone(job: job, at: location(skip.key.span)))
        }
        SnapshotSource.checkOptions(resolved, job: job, values: &values)
        return result
    }
}
