// What each diagnostic about a job's files says: Milvus object keys and file groups, Zilliz Cloud
// object urls.

extension Diagnostic {
    // MARK: no-files, empty-group

    static func noFiles(job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(.error, .noFiles, "files lists no file", at: location, job: job, path: "files", fix: "add at least one file")
    }

    static func emptyGroup(_ path: String, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .emptyGroup, "\(path) is an empty group, which the server drops", at: location,
            job: job, path: path, fix: "remove it")
    }

    // MARK: not-bucket-relative

    /// `file` holds `://` at `separator`.
    static func fileIsAURL(_ file: String, separator: Range<String.Index>, job: String, path: String, at location: ManifestLocation)
        -> Diagnostic
    {
        let key = file[separator.upperBound...].drop { $0 != "/" }.dropFirst()
        return Diagnostic(
            .error, .notBucketRelative,
            "\(quoted: file) is a \(file[..<separator.lowerBound].clipped(to: 16)):// url, but Milvus reads files from its own bucket by object key",
            at: location, job: job, path: path,
            fix:
                "write the key relative to the bucket Milvus is configured with, e.g. \(quoted: key.isEmpty ? "path/in/bucket.parquet" : String(key))"
        )
    }

    static func fileIsALocalPath(_ file: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .notBucketRelative,
            "\(quoted: file) is an absolute local path, but Milvus reads files from its bucket by object key; the job would fail later with \"The specified key does not exist\"",
            at: location, job: job, path: path,
            fix: "upload the file to the Milvus bucket and write its key, e.g. \(quoted: "data/" + (file.split(separator: "/").last ?? ""))"
        )
    }

    // MARK: unsupported-extension

    static func fileWithoutExtension(_ file: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedExtension,
            file.hasSuffix("/")
                ? "\(quoted: file) is a folder; Milvus imports files, not folders"
                : "\(quoted: file) has no extension; Milvus imports .json, .parquet, .csv and .npy files",
            at: location, job: job, path: path, fix: "name each file")
    }

    static func unsupportedExtension(_ file: String, ext: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedExtension, "\(quoted: file) is a .\(ext) file; Milvus imports .json, .parquet, .csv and .npy files",
            at: location, job: job, path: path, fix: "convert it to Parquet or JSON")
    }

    static func csvBefore24(_ file: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedExtension,
            "\(quoted: file) is a .csv file, but Milvus 2.2 and 2.3 import only .json, .parquet and .npy (CSV came with 2.4)",
            at: location, job: job, path: path, fix: "convert it to Parquet or JSON")
    }

    static func extensionCaseBefore24(_ file: String, ext: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .unsupportedExtension,
            "\(quoted: file) ends in .\((file.split(separator: ".").last ?? "").clipped(to: 16)), but Milvus 2.2 and 2.3 read extensions case-sensitively and refuse it",
            at: location, job: job, path: path, fix: "rename the file to end in .\(ext)")
    }

    // MARK: relative-path

    static func relativePathBefore24(_ file: String, job: String, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .relativePath,
            "\(quoted: file) is relative: Milvus 2.2 and 2.3 resolve it against the server's working directory, not this manifest's folder",
            at: location, job: job, path: path, fix: "write the absolute path the server sees")
    }

    // MARK: mixed-extensions, group-size

    static func mixedExtensions(
        _ path: String, first: String, other: String, job: String, at location: ManifestLocation, firstAt firstLocation: ManifestLocation
    ) -> Diagnostic {
        Diagnostic(
            .error, .mixedExtensions,
            "\(path) mixes .\(first) and .\(other) files; every file of a group has the same extension",
            at: location, job: job, path: path,
            fix: "put row-based files in groups of their own, and the .npy files of one column set together",
            notes: [DiagnosticNote(".\(first) here", at: firstLocation)])
    }

    static func rowBasedGroupSize(_ path: String, ext: String, count: Int, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .groupSize,
            "\(path) holds \(count) .\(ext) files, but a .\(ext) group holds exactly one file",
            at: location, job: job, path: path,
            fix: "give each .\(ext) file its own group: `- a.\(ext)` on a line each")
    }

    static func zillizGroupSize(_ path: String, count: Int, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .groupSize,
            count == 0
                ? "\(path) is an empty group"
                : "\(path) holds \(count) urls, but on Zilliz Cloud each group is one url: a file, or a folder ending in '/'",
            at: location, job: job, path: path, fix: "give each url its own group")
    }

    // MARK: too-many-groups, single-object-url

    static func tooManyMilvusGroups(_ count: Int, limit: Int, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .tooManyGroups, "files has \(count) groups, but one Milvus import takes at most \(limit)",
            at: location, job: job, path: "files", fix: "split the job into jobs of at most \(limit) groups")
    }

    static func tooManyZillizURLs(_ count: Int, limit: Int, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .tooManyGroups, "files has \(count) urls, but one Zilliz Cloud import takes at most \(limit)",
            at: location, job: job, path: "files", fix: "split the job into jobs of at most \(limit) urls")
    }

    static func severalURLsOnV1(_ count: Int, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .singleObjectURL,
            "the Zilliz Cloud v1 API imports exactly one object url, but files has \(count)",
            at: location, job: job, path: "files",
            fix: "use `object_url:` with one url (a folder ending in '/' imports all its files), or the v2 API")
    }

    // MARK: conflicting-fields, missing-field

    static func objectURLAndFiles(job: String, at location: ManifestLocation, objectURL: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .conflictingFields, "job \(quoted: job) has both object_url and files", at: location, job: job,
            path: "files", fix: "keep one: object_url for one url, files for several",
            notes: [DiagnosticNote("object_url is here", at: objectURL)])
    }

    /// `orFiles`: the v2 API also takes `files`.
    static func zillizJobWithoutObjectURL(_ job: String, orFiles: Bool, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField,
            "job \(quoted: job) has no object_url, which Zilliz Cloud's bulk_import() requires\(orFiles ? " (or files, on the v2 API)" : "")",
            at: location, job: job, path: "object_url", fix: "add `object_url: s3://bucket/path/`")
    }

    // MARK: invalid-object-url

    static func objectURLWithoutBucket(_ url: String, scheme: String, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .invalidObjectURL, "\(quoted: url) names no bucket", at: location, job: job, path: "object_url",
            fix: "write \(scheme)bucket/path")
    }

    static func notAnObjectURL(_ url: String, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .invalidObjectURL,
            "\(quoted: url) is not an object storage url; Zilliz Cloud reads s3://, gs:// and https:// (S3, Google Cloud Storage, Azure Blob) urls",
            at: location, job: job, path: "object_url", fix: "write e.g. s3://bucket/path/ or gs://bucket/path/")
    }
}

extension Diagnostic {
    // MARK: volume-source

    static func volumeSource(_ message: String, path: String, job: String, fix: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(.error, .volumeSource, message, at: location, job: job, path: path, fix: fix)
    }

    // MARK: deprecated-field

    static func stageName(job: String?, path: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .deprecatedField,
            "stage_name is the older name of volume_name (Zilliz Cloud renamed stages to volumes; pymilvus 2.6.5+ sends volumeName)",
            at: location, job: job, path: path, fix: "rename stage_name to volume_name; it is sent as volumeName either way")
    }

    // MARK: invalid-object-url (Azure, Google Cloud)

    static func objectURLWithoutContainer(_ url: String, form: String, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .invalidObjectURL, "\(quoted: url) names no \(form.hasPrefix("https://<account>") ? "container" : "bucket")",
            at: location, job: job, path: "object_url", fix: "write \(form)")
    }

    // MARK: storage-account-mismatch

    static func storageAccountMismatch(_ account: String, job: String, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .storageAccountMismatch,
            "the object url is in Azure storage account \(quoted: account), but access_key is another value: on Azure, access_key is the storage account name and secret_key its account key",
            at: location, job: job, path: "access_key",
            fix: "set access_key to \(quoted: account) and secret_key to that account's key (Azure portal: Storage account > Access keys)")
    }
}
