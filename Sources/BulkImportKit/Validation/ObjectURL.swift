import LibYAML

/// The object url forms Zilliz Cloud imports from (its REST reference and zilliztech/vts
/// `MilvusImport.java`): `s3://bucket/key`, `gs://bucket/key`,
/// `https://<bucket>.s3.<region>.amazonaws.com/key`, `https://storage.googleapis.com/<bucket>/key`,
/// `https://storage.cloud.google.com/<bucket>/key` and `https://<account>.blob.core.windows.net/<container>/key`.
/// On Azure, `access_key` is the storage account's name and `secret_key` its account key.
enum ObjectURL {
    /// The Azure storage account a url names, if it is an Azure Blob url.
    static func azureAccount(in url: String) -> String? {
        guard url.lowercased().hasPrefix("https://") else { return nil }
        let host = url.dropFirst(8).prefix { $0 != "/" && $0 != "?" }.lowercased()
        let suffix = ".blob.core.windows.net"
        guard host.hasSuffix(suffix) else { return nil }
        return String(host.dropLast(suffix.count))
    }

    /// Checks one url; `accessKey` is the job's resolved access key, compared with an Azure url's account.
    static func check(_ url: String, span: YAMLSpan, job: String, accessKey: (value: String, span: YAMLSpan)?, values: inout ValueResolver)
    {
        let lower = url.lowercased()
        for scheme in ["s3://", "gs://"] where lower.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            if rest.isEmpty || rest.hasPrefix("/") {
                values.report(.objectURLWithoutBucket(url, scheme: scheme, job: job, at: values.location(span)))
            }
            return
        }
        guard lower.hasPrefix("https://") else {
            values.report(.notAnObjectURL(url, job: job, at: values.location(span)))
            return
        }
        let rest = url.dropFirst(8)
        let host = rest.prefix { $0 != "/" && $0 != "?" }.lowercased()
        if host.isEmpty {
            values.report(.objectURLWithoutBucket(url, scheme: "https://", job: job, at: values.location(span)))
            return
        }
        // The first path segment, where the bucket or container is named.
        let firstSegment = rest.dropFirst(host.count).drop { $0 == "/" }.prefix { $0 != "/" && $0 != "?" }
        if let account = azureAccount(in: url) {
            if account.isEmpty || firstSegment.isEmpty {
                values.report(
                    .objectURLWithoutContainer(
                        url, form: "https://<account>.blob.core.windows.net/<container>/path", job: job, at: values.location(span)))
                return
            }
            // Compared, never printed: the key is a secret even where it is only an account name.
            if let accessKey, accessKey.value.lowercased() != account {
                values.report(.storageAccountMismatch(account, job: job, at: values.location(accessKey.span)))
            }
            return
        }
        if host == "storage.googleapis.com" || host == "storage.cloud.google.com", firstSegment.isEmpty {
            values.report(
                .objectURLWithoutContainer(url, form: "https://\(host)/<bucket>/path", job: job, at: values.location(span)))
        }
    }
}
