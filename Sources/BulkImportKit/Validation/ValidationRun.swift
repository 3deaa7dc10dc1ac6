import LibYAML

/// Validating manifests that run together, one manifest (or, while it is read, one job) at a
/// time: what is checked across jobs and manifests (unique names, one import written twice, one
/// state) keeps only each job's place and, unless the jobs are kept, a hash of what it imports.
///
/// A manifest is either added whole (``add(_:into:)``) or streamed: ``begin(_:diagnostics:)``
/// when its `jobs` list starts (its targets and defaults read), ``take(_:place:diagnostics:)``
/// for each job as it is decoded, ``finish(_:into:)`` once it is read.
struct ValidationRun {
    let environment: Environment
    let options: ValidationOptions
    private var result = Validator.Resolution()
    /// The manifest being streamed.
    private(set) var current: ManifestResolver?
    /// Set by the loader when something read after the jobs changes how they are checked (targets
    /// or defaults written below `jobs`): what was streamed is dropped and the file read again.
    var needsReload = false
    private var files: [String] = []
    private var places: [[JobPlace]] = []
    private var firstByName: [String: (manifest: Int32, place: Int32)] = [:]
    private var duplicates = Set<String>()
    private var sameImports: [SameImports.Entries.Entry] = []
    private var states: [(state: StateLocation?, manifest: Manifest)] = []

    init(environment: Environment, options: ValidationOptions) {
        self.environment = environment
        self.options = options
    }

    /// Starts streaming the jobs of `manifest`, read up to its `jobs` list.
    mutating func begin(_ manifest: Manifest, diagnostics: inout DiagnosticBag) {
        var resolver = ManifestResolver(manifest: manifest, environment: environment, options: options)
        // The resolver reports into the caller's bag: swapped in and out, not copied.
        swap(&resolver.values.diagnostics, &diagnostics)
        resolver.resolveTargets()
        swap(&resolver.values.diagnostics, &diagnostics)
        current = resolver
    }

    /// Validates one streamed job.
    mutating func take(_ job: consuming JobSpec, place: Int, diagnostics: inout DiagnosticBag) {
        guard current != nil, !needsReload else { return }
        swap(&current!.values.diagnostics, &diagnostics)
        current!.take(job, place: place)
        swap(&current!.values.diagnostics, &diagnostics)
    }

    /// Forgets a streamed manifest that is to be read again.
    mutating func abandon() {
        current = nil
        needsReload = false
    }

    /// Validates a manifest read whole: as if its jobs were streamed.
    mutating func add(_ manifest: Manifest, into diagnostics: inout DiagnosticBag) {
        precondition(current == nil, "a manifest is added whole while another is streamed")
        needsReload = false
        begin(manifest, diagnostics: &diagnostics)
        for (place, spec) in manifest.jobs.enumerated() { take(spec, place: place, diagnostics: &diagnostics) }
        finish(manifest, into: &diagnostics)
    }

    /// Ends the streamed manifest, `manifest` as read to its end.
    mutating func finish(_ manifest: Manifest, into diagnostics: inout DiagnosticBag) {
        guard var resolver = current else { return }
        current = nil
        resolver.manifest = manifest
        swap(&resolver.values.diagnostics, &diagnostics)
        resolver.finishJobs()
        states.append((options.stateOverride == nil ? resolver.resolveState() : nil, manifest))
        swap(&resolver.values.diagnostics, &diagnostics)
        diagnostics.emit(contentsOf: resolver.atomicProblems)
        if !resolver.atomicProblems.isEmpty { resolver.dropJobs() }

        let m = places.count
        let manifestPlaces = manifest.places
        files.append(manifest.file)
        places.append(manifestPlaces)
        // By index, reading only the name: a copy of each job would retain every field.
        firstByName.reserveCapacity(firstByName.count + manifestPlaces.count)
        for i in manifestPlaces.indices {
            let name = manifestPlaces[i].name
            // One lookup for the usual new name; a repeat puts the first back.
            guard let first = firstByName.updateValue((Int32(m), Int32(i)), forKey: name) else { continue }
            firstByName[name] = first
            let location = ManifestLocation(file: manifest.file, span: manifestPlaces[i].nameSpan)
            let firstLocation = ManifestLocation(
                file: files[Int(first.manifest)], span: places[Int(first.manifest)][Int(first.place)].nameSpan)
            diagnostics.emit(.duplicateJob(name, index: manifestPlaces[i].index, at: location, first: firstLocation))
            duplicates.insert(name)
        }
        result.redactor.merge(resolver.values.redactor)
        var jobs = resolver.jobs
        if let atomic = manifest.atomic, atomic.value { jobs = AtomicGroupCheck.marked(jobs, group: manifest.file) }
        if result.jobs.isEmpty { result.jobs = jobs } else { result.jobs += jobs }
        sameImports += resolver.sameImports.entries.lazy.map {
            var entry = $0
            entry.manifest = Int32(m)
            return entry
        }
        for (name, target) in resolver.validTargets where result.targets[name] == nil { result.targets[name] = target }
    }

    /// The checks across manifests, once every manifest is added or finished.
    mutating func end(into diagnostics: inout DiagnosticBag) -> Validator.Resolution {
        // A duplicate name makes both jobs unusable: the ledger could not tell them apart.
        if !duplicates.isEmpty {
            result.jobs.removeAll { duplicates.contains($0.name) }
            sameImports.removeAll { duplicates.contains(places[Int($0.manifest)][Int($0.place)].name) }
        }
        if options.keepsJobs {
            SameImports.report(result.jobs, into: &diagnostics)
        } else {
            SameImports.report(sameImports, places: places, files: files, into: &diagnostics)
        }
        result.state = options.stateOverride ?? Validator.oneState(states, into: &diagnostics)
        return result
    }
}
