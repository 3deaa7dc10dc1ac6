/// Loads and validates manifests together: the whole of `validate`, and the first step of `plan`
/// and `run`.
public struct ManifestCheck: Sendable {
    public var loader: ManifestLoader
    public var validator: Validator

    public init(environment: Environment, options: ValidationOptions = ValidationOptions(), loader: ManifestLoader = ManifestLoader()) {
        self.loader = loader
        validator = Validator(environment: environment, options: options)
    }

    /// What checking gave.
    public struct Outcome: Sendable {
        /// The manifest files read.
        public var files: [String]
        /// How many jobs the manifests declare.
        public var declaredJobs: Int
        /// Every diagnostic, loading and validation, in file order.
        public var diagnostics: [Diagnostic]
        /// The valid jobs, resolved.
        public var jobs: [ImportJob]
        /// Masks every secret value in output.
        public var redactor: Redactor
        /// The named targets without errors, by name.
        public var targets: [String: ImportTarget] = [:]

        public var errorCount: Int { diagnostics.count { $0.severity == .error } }
        public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    }

    /// Checks the manifests at `paths` (files or folders).
    public func check(paths: [String]) -> Outcome {
        let (files, pathDiagnostics) = ManifestPaths.expand(paths)
        var loaded: [LoadedManifest] = []
        for file in files { loaded.append(loader.load(file: file)) }
        return check(loaded, files: files, extra: pathDiagnostics)
    }

    /// Checks manifests already loaded.
    public func check(_ loaded: [LoadedManifest], files: [String], extra: [Diagnostic] = []) -> Outcome {
        let manifests = loaded.compactMap(\.manifest)
        let result = validator.validate(manifests)
        var diagnostics = extra
        for l in loaded { diagnostics += l.diagnostics }
        diagnostics += result.diagnostics
        // Sort by file, then position, keeping the order of files as given.
        let order = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        diagnostics = diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            let (fx, fy) = (order[x.file] ?? -1, order[y.file] ?? -1)
            if fx != fy { return fx < fy }
            if (x.line, x.column) != (y.line, y.column) { return (x.line, x.column) < (y.line, y.column) }
            return a.offset < b.offset
        }.map(\.element)
        return Outcome(
            files: files, declaredJobs: manifests.reduce(0) { $0 + $1.jobs.count }, diagnostics: diagnostics,
            jobs: result.jobs, redactor: result.redactor, targets: result.targets)
    }
}
