import LibYAML

// What each diagnostic of finding and reading manifest files says: the paths named on the command
// line, the file, the YAML in it, and the top level of the document.

extension Diagnostic {
    // MARK: io-error

    static func noSuchPath(_ path: String) -> Diagnostic {
        Diagnostic(.error, .ioError, "no such file or folder", at: ManifestLocation(file: path), fix: "check the path")
    }

    static func noManifestInFolder(_ path: String) -> Diagnostic {
        Diagnostic(
            .error, .ioError, "the folder holds no .yaml or .yml manifest", at: ManifestLocation(file: path),
            fix: "name the manifests *.yaml or *.yml, or give their paths (subfolders are not searched)")
    }

    static func cannotRead(_ file: String, reason: String) -> Diagnostic {
        Diagnostic(
            .error, .ioError, "cannot read the manifest: \(reason)", at: ManifestLocation(file: file),
            fix: "check the path and that the file can be read")
    }

    // MARK: file-too-large

    static func fileTooLarge(_ file: String, size: Int, limit: Int) -> Diagnostic {
        Diagnostic(
            .error, .fileTooLarge, "the manifest is \(size) bytes, over the limit of \(limit) bytes",
            at: ManifestLocation(file: file), fix: Self.tooLargeFix)
    }

    static func inputTooLarge(_ file: String, message: String) -> Diagnostic {
        Diagnostic(.error, .fileTooLarge, message, at: ManifestLocation(file: file), fix: Self.tooLargeFix)
    }

    private static let tooLargeFix =
        "split it into several manifests, or raise the limit with `--max-file-size MiB` (1,000,000 jobs are about 200 MB)"

    // MARK: What stopped libyaml or the composer

    /// The diagnostic for a problem that stopped the loading.
    static func loading(_ error: YAMLError, file: String) -> Diagnostic {
        let location = ManifestLocation(file: file, span: YAMLSpan(at: error.mark))
        var notes: [DiagnosticNote] = []
        if let context = error.context {
            notes.append(DiagnosticNote(context, at: error.contextMark.map { ManifestLocation(file: file, span: YAMLSpan(at: $0)) }))
        }
        switch error.kind {
        case .syntax:
            // libyaml stops looking for a plain key's ':' after 1024 characters.
            let longKey = error.message.contains("could not find expected ':'") && error.mark.column > 1024
            return Diagnostic(
                .error, .yamlSyntax, error.message, at: location,
                fix: longKey
                    ? "a key may be at most 1024 characters long (a YAML rule); shorten it"
                    : "fix the YAML here; nothing after this point was read",
                notes: notes)
        case .invalidEncoding:
            return Diagnostic(
                .error, .invalidEncoding, error.message, at: location,
                fix: "save the manifest as UTF-8 text")
        case .nestingTooDeep:
            return Diagnostic(
                .error, .nestingTooDeep, error.message, at: location,
                fix: "a manifest needs only a few levels; this looks like damaged or hostile input")
        case .tooManyNodes:
            return Diagnostic(
                .error, .valueTooLarge, error.message, at: location,
                fix: "a job needs at most a few thousand values; split the data or remove what does not belong in a manifest")
        case .aliasBudgetExceeded:
            return Diagnostic(
                .error, .aliasBudgetExceeded, error.message, at: location,
                fix: "use fewer nested aliases")
        case .undefinedAlias:
            return Diagnostic(
                .error, .undefinedAlias, error.message, at: location,
                fix: "define the anchor (&name) before the alias (*name) uses it")
        case .inputTooLarge:
            return Diagnostic(.error, .fileTooLarge, error.message, at: ManifestLocation(file: file), fix: Self.tooLargeFix)
        case .cannotRead:
            return .cannotRead(file, reason: error.message)
        }
    }

    /// A problem the composer noted and read past: a duplicate key, a bad merge, a second document.
    static func composing(_ issue: YAMLIssue, file: String) -> Diagnostic {
        let location = ManifestLocation(file: file, span: issue.span)
        switch issue.kind {
        case .duplicateKey:
            // libyaml's layer quotes the whole key; a hostile one is quoted clipped here.
            let prefix = "duplicate key '"
            let message =
                issue.message.hasPrefix(prefix) && issue.message.utf8.count > 200
                ? "duplicate key \(quoted: issue.message.dropFirst(prefix.count).dropLast())" : issue.message
            return Diagnostic(
                .error, .duplicateKey, message, at: location,
                fix: "remove one of them; YAML keeps only one value per key",
                notes: issue.related.map { [DiagnosticNote("first defined here", at: ManifestLocation(file: file, span: $0))] } ?? [])
        case .invalidMerge:
            return Diagnostic(
                .error, .invalidMerge, issue.message, at: location,
                fix: "merge a mapping, as in `<<: *defaults`, or a list of them")
        case .multipleDocuments:
            return Diagnostic(.error, .multipleDocuments, issue.message, at: location)
        }
    }

    // MARK: duplicate-key, invalid-merge, multiple-documents

    static func duplicateTopLevelKey(_ key: String, at location: ManifestLocation, first: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .duplicateKey, "duplicate key \(quoted: key)", at: location,
            fix: "remove one of them; YAML keeps only one value per key",
            notes: [DiagnosticNote("first defined here", at: first)])
    }

    static func topLevelMerge(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .invalidMerge, "'<<' merge keys are not supported at the top level of a manifest",
            at: location, fix: "use them inside jobs, targets or defaults")
    }

    static func secondDocument(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .multipleDocuments, "a manifest is one YAML document, but a second one starts here",
            at: location, fix: "put each document in a file of its own; the second was not read")
    }

    // MARK: empty-file

    static func emptyManifest(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .emptyFile, "the manifest is empty", at: location,
            fix: "start it with `version: 1` and a list of `jobs`")
    }

    static func emptyDocument(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .emptyFile, "the manifest holds an empty document", at: location,
            fix: "start it with `version: 1` and a list of `jobs`")
    }

    // MARK: The top level

    static func manifestNotAMapping(found kind: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .wrongType,
            "a manifest must be a mapping with version, targets, defaults and jobs, not \(kind)", at: location,
            fix: "start it with `version: 1`, then `jobs:` with one `- name: ...` item per job, each key at the start of its line")
    }

    static func topLevelKeyNotAString(found kind: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .wrongType, "a top-level key must be a string, not \(kind)", at: location,
            fix: "write a plain name before the ':', one of: \(Manifest.fieldNames.joined(separator: ", "))")
    }

    static func noVersion(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedVersion, "the manifest has no version", at: location, path: "version",
            fix: "add `version: 1` at the top")
    }

    static func unsupportedVersion(_ version: Int, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedVersion, "manifest version \(version) is not supported; this tool reads version 1",
            at: location, path: "version", fix: "write `version: 1`, or update bulk-import")
    }

    static func versionNotANumber(found what: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedVersion, "version must be the number 1, not \(what)", at: location,
            path: "version", fix: "write `version: 1` without quotes")
    }

    static func noJobs(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField, "the manifest has no jobs", at: location, path: "jobs",
            fix: "add a `jobs:` list")
    }

    static func emptyJobs(at location: ManifestLocation) -> Diagnostic {
        Diagnostic(.error, .emptyValue, "jobs is empty", at: location, path: "jobs", fix: "declare at least one job")
    }
}
