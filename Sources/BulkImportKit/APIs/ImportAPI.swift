/// The import API a job is sent to. The target's kind, url and `api` field decide it.
///
/// The raw values are frozen: they are written in ledgers and are part of ``JobDigest``.
public enum ImportAPI: String, Sendable, Hashable, Codable, CaseIterable {
    /// Self-hosted Milvus 2.4 and later: REST v2, `/v2/vectordb/jobs/import/create`.
    case milvusV2 = "milvus-v2"
    /// Self-hosted Milvus 2.2 and 2.3: the HTTP API under `/api/v1` (one request per file group).
    case milvusV1 = "milvus-v1"
    /// Zilliz Cloud's v2 control plane, `/v2/vectordb/jobs/import/create`.
    case zillizV2 = "zilliz-v2"
    /// Zilliz Cloud's legacy v1 data plane (`controller.api.<region>`), the seed's `bulk_import()`.
    case zillizV1 = "zilliz-v1"

    /// The client side of this API: its requests, responses, errors and capabilities. The one
    /// place that maps an API to its type.
    public var client: any ImportAPIClient {
        switch self {
        case .milvusV2: MilvusV2API()
        case .milvusV1: MilvusV1API()
        case .zillizV2: ZillizV2API()
        case .zillizV1: ZillizV1API()
        }
    }

    public var kind: TargetKind {
        switch self {
        case .milvusV1, .milvusV2: .milvus
        case .zillizV1, .zillizV2: .zilliz
        }
    }

    /// The API a target speaks: its kind, the `api` it asks for, and for Zilliz Cloud without one,
    /// its host (`controller.api.*` is the v1 data plane).
    public static func resolve(kind: TargetKind, requested: APIVersion?, host: String?) -> ImportAPI {
        switch (kind, requested) {
        case (.milvus, .v1?): .milvusV1
        case (.milvus, _): .milvusV2
        case (.zilliz, .v1?): .zillizV1
        case (.zilliz, .v2?): .zillizV2
        case (.zilliz, nil): host?.lowercased().hasPrefix("controller.api.") == true ? .zillizV1 : .zillizV2
        }
    }

    public var capabilities: ImportAPICapabilities { client.capabilities }

    /// What the server refuses, for the validator.
    public var rules: ImportAPIRules { client.rules }

    /// The tasks a job of `groups` file groups becomes on the server.
    public func taskCount(forFileGroups groups: Int) -> Int { capabilities.createsOneTaskPerFileGroup ? groups : 1 }
}
