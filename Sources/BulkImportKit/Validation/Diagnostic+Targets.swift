// What each diagnostic about a target (named or inline) says, as the validator resolves it.

extension Diagnostic {
    // MARK: invalid-url

    static func invalidEndpoint(
        _ label: String, field: String, error: Endpoint.ParseError, job: String?, at location: ManifestLocation
    ) -> Diagnostic {
        Diagnostic(
            .error, .invalidURL, "\(label): \(field) \(error.message)", at: location, job: job, path: field,
            fix: error.fix)
    }

    // MARK: missing-field

    static func missingEndpoint(_ label: String, kind: TargetKind, job: String?, at location: ManifestLocation) -> Diagnostic {
        switch kind {
        case .milvus:
            Diagnostic(
                .error, .missingField,
                "\(label) has no uri, which Milvus's BulkImport requires (NewBulkImportOption(uri, collectionName, files))",
                at: location, job: job, path: "uri", fix: "add `uri: http://host:19530`")
        case .zilliz:
            Diagnostic(
                .error, .missingField, "\(label) has no url, which Zilliz Cloud's bulk_import() requires",
                at: location, job: job, path: "url", fix: "add `url: https://api.cloud.zilliz.com`")
        }
    }

    static func missingAPIKey(_ label: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField, "\(label) has no api_key, which Zilliz Cloud's bulk_import() requires",
            at: location, job: job, path: "api_key", fix: "add `api_key: $<ZILLIZ_API_KEY>`")
    }

    /// `orProject`: the v2 API also takes project_id and region_id instead.
    static func missingClusterID(_ label: String, orProject: Bool, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField,
            "\(label) has no cluster_id, which Zilliz Cloud's bulk_import() requires\(orProject ? " (or project_id and region_id on v2)" : "")",
            at: location, job: job, path: "cluster_id", fix: "add `cluster_id: in01-...` from the cluster's page")
    }

    /// One of project_id and region_id without the other; `hasProject` says which is given.
    static func halfProject(_ label: String, hasProject: Bool, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .missingField,
            "\(label) names \(hasProject ? "project_id without region_id" : "region_id without project_id")",
            at: location, job: job, path: hasProject ? "region_id" : "project_id",
            fix: "give both project_id and region_id")
    }

    // MARK: conflicting-fields

    static func clusterAndProject(_ label: String, job: String?, at location: ManifestLocation, cluster: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .conflictingFields, "\(label) names both cluster_id and project_id/region_id",
            at: location, job: job, path: "project_id",
            fix: "a cluster is named by cluster_id; project databases by project_id and region_id: keep one",
            notes: [DiagnosticNote("cluster_id is here", at: cluster)])
    }

    static func projectOnV1(_ label: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .error, .conflictingFields, "\(label) uses the v1 API, which does not take project_id or region_id",
            at: location, job: job, path: "project_id",
            fix: "use cluster_id, or the v2 API (`url: https://api.cloud.zilliz.com`)")
    }

    // MARK: unused-field

    static func targetDatabaseOnV1(_ label: String, job: String?, at location: ManifestLocation) -> Diagnostic {
        Diagnostic(
            .warning, .unusedField, "\(label) uses the v1 API, which has no database: db_name is not sent",
            at: location, job: job, path: "db_name", fix: "remove db_name, or use the v2 API")
    }
}
