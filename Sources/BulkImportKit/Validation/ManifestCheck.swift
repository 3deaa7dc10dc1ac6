/// Loads and validates manifests together: the whole of `validate`, and the first step of `plan`
/// and `run`. Every layer reports into one ``DiagnosticBag``.
public struct ManifestCheck: Sendable {
    public var loader: ManifestLoader
    public var validator: Validator

    public init(environment: Environment, options: ValidationOptions = ValidationOptions(), loader: ManifestLoader = ManifestLoader()) {
        self.loader = loader
        validator = Validator(environment: environment, options: options)
    }

    /// Checks the manifests at `paths` (files or folders).
    ///
    /// Each job is validated as it is decoded when its manifest's targets and defaults come before
    /// its jobs (and the rest is checked once the file is read), so what is kept of a job is its
    /// place and, for `validate`, a hash. A file whose jobs cannot be checked that way (a target
    /// written below them, a syntax error part way) is read again whole, its first reading's
    /// reports dropped: the report is the same either way.
    public func check(paths: [String]) -> ValidationResult {
        var diagnostics = DiagnosticBag(strict: validator.options.strict)
        let files = ManifestPaths.expand(paths, into: &diagnostics)
        var manifests: [Manifest] = []
        var run: ValidationRun? = ValidationRun(environment: validator.environment, options: validator.options)
        for file in files {
            let before = diagnostics
            var manifest = loader.load(file: file, into: &diagnostics, stream: &run)
            if run!.current != nil && (run!.needsReload || manifest == nil) {
                run!.abandon()
                diagnostics = before
                manifest = loader.load(file: file, into: &diagnostics)
            }
            guard let manifest else { continue }
            if run!.current != nil {
                run!.finish(manifest, into: &diagnostics)
            } else {
                run!.add(manifest, into: &diagnostics)
            }
            manifests.append(manifest)
        }
        let resolution = run!.end(into: &diagnostics)
        return result(manifests, files: files, resolution: resolution, diagnostics: &diagnostics)
    }

    /// Checks manifests already loaded; `extra` holds problems found before loading.
    public func check(_ loaded: [LoadedManifest], files: [String], extra: [Diagnostic] = []) -> ValidationResult {
        var diagnostics = DiagnosticBag(strict: validator.options.strict)
        diagnostics.emit(contentsOf: extra)
        for l in loaded { diagnostics.emit(contentsOf: l.diagnostics) }
        return validate(loaded.compactMap(\.manifest), files: files, diagnostics: &diagnostics)
    }

    private func validate(_ manifests: [Manifest], files: [String], diagnostics: inout DiagnosticBag) -> ValidationResult {
        let resolution = validator.validate(manifests, into: &diagnostics)
        return result(manifests, files: files, resolution: resolution, diagnostics: &diagnostics)
    }

    private func result(
        _ manifests: [Manifest], files: [String], resolution: Validator.Resolution, diagnostics: inout DiagnosticBag
    ) -> ValidationResult {
        diagnostics.finish()
        return ValidationResult(
            files: files, declaredJobs: manifests.reduce(0) { $0 + max($1.jobs.count, $1.declaredJobs) },
            diagnostics: Diagnostic.withFullPaths(diagnostics.sorted(files: files), in: manifests), jobs: resolution.jobs,
            redactor: resolution.redactor,
            targets: resolution.targets, failed: diagnostics.failed, state: resolution.state, hiddenErrors: diagnostics.hiddenErrors,
            hiddenWarnings: diagnostics.hiddenWarnings)
    }
}
