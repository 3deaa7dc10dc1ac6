// What each diagnostic about a job's own fields says, as the validator resolves the job.

extension Diagnostic {
    // MARK: missing-field

    static func jobWithoutTarget(_ job: String, known: [String], at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField, "job \(quoted: job) has no target", at: location, job: job, path: "target",
            fix: known.isEmpty
                ? "add `target:` with a milvus or zilliz mapping"
                : "add `target:` naming one of: \(known.joined(separator: ", "))")
    }

    static func jobWithoutCollection(_ job: String, kind: TargetKind?, at location: ManifestLocation) -> Diagnostic {
        let seedCall = kind == .zilliz ? "Zilliz Cloud's bulk_import()" : "Milvus's BulkImport"
        return Diagnostic(
            .error, .missingField, "job \(quoted: job) has no collection_name, which \(seedCall) requires",
            at: location, job: job, path: "collection_name", fix: "add `collection_name:`")
    }

    static func milvusJobWithoutFiles(_ job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField,
            "job \(quoted: job) has no files, which Milvus's BulkImport requires (NewBulkImportOption(uri, collectionName, files))",
            at: location, job: job, path: "files", fix: "add `files:` with object keys relative to the Milvus bucket")
    }

    /// `field` is `access_key` or `secret_key`.
    static func zillizJobWithoutKey(_ job: String, field: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField, "job \(quoted: job) has no \(field), which Zilliz Cloud's bulk_import() requires",
            at: location, job: job, path: field,
            fix: "add `\(field): $<\(field == "access_key" ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")>` (here or in defaults)")
    }

    // MARK: undefined-target

    static func undefinedTarget(_ target: String, job: String, known: [String], at location: ManifestLocation) -> Diagnostic {
        let fix =
            Spelling.closest(to: target, in: known).map { "did you mean \(quoted: $0)?" }
            ?? (known.isEmpty
                ? "define it under `targets:`" : "define it under `targets:`, or use one of: \(known.joined(separator: ", "))")
        return Diagnostic(
            .error, .undefinedTarget, "job \(quoted: job) refers to target \(quoted: target), which is not defined",
            at: location, job: job, path: "target", fix: fix)
    }

    // MARK: duplicate-job

    static func duplicateJob(_ job: String, index: Int, at location: ManifestLocation, first: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .duplicateJob, "job name \(quoted: job) is already used", at: location,
            job: job, path: "jobs[\(index)].name",
            fix: "give every job a unique name; the ledger tells jobs apart by name",
            notes: [DiagnosticNote("first used here", at: first)])
    }

    static func sameImport(_ job: String, as other: String, at location: ManifestLocation, first: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .sameImport,
            "job \(quoted: job) imports the same files into the same collection as job \(quoted: other): the rows would be imported twice, and the target could not tell the two jobs apart",
            at: location, job: job,
            fix: "remove one of the two jobs, or give them different files, collections or partitions",
            notes: [DiagnosticNote("job \(quoted: other) is here", at: first)])
    }

    // MARK: unused-field

    static func objectURLOnMilvus(job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unusedField,
            "object_url is Zilliz Cloud's; a Milvus job lists `files`, object keys relative to the Milvus bucket",
            at: location, job: job, path: "object_url", fix: "replace it with `files: [path/in/bucket.parquet]`")
    }

    static func credentialOnMilvus(_ field: String, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .unusedField,
            "\(field) is not sent to Milvus: Milvus reads files from its own bucket with its own credentials",
            at: location, job: job, path: field, fix: "remove it (the target's `token` authenticates)")
    }

    static func sessionTokenOnV1(job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .unusedField, "the v1 API takes no session token: token is not sent", at: location,
            job: job, path: "token", fix: "use long-term keys, or the v2 API")
    }

    static func jobDatabaseOnV1(job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .unusedField, "the v1 API has no database: db_name is not sent", at: location, job: job,
            path: "db_name", fix: "remove db_name, or use the v2 API")
    }
}
