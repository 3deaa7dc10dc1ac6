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
    public func check(paths: [String]) -> ValidationResult {
        var diagnostics = DiagnosticBag(strict: validator.options.strict)
        let files = ManifestPaths.expand(paths, into: &diagnostics)
        var manifests: [Manifest] = []
        for file in files {
            if let manifest = loader.load(file: file, into: &diagnostics) { manifests.append(manifest) }
        }
        return validate(manifests, files: files, diagnostics: &diagnostics)
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
        diagnostics.finish()
        return ValidationResult(
            files: files, declaredJobs: manifests.reduce(0) { $0 + max($1.jobs.count, $1.declaredJobs) },
            diagnostics: Diagnostic.withFullPaths(diagnostics.sorted(files: files), in: manifests), jobs: resolution.jobs,
            redactor: resolution.redactor,
            targets: resolution.targets, failed: diagnostics.failed, state: resolution.state, hiddenErrors: diagnostics.hiddenErrors,
            hiddenWarnings: diagnostics.hiddenWarnings)
    }
}
