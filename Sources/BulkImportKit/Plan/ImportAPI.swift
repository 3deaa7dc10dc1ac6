/// The import API a job is sent to. The target's kind, url and `api` field decide it.
public enum ImportAPI: String, Sendable, Hashable, Codable, CaseIterable {
    /// Self-hosted Milvus 2.4 and later: REST v2, `/v2/vectordb/jobs/import/create`.
    case milvusV2 = "milvus-v2"
    /// Self-hosted Milvus 2.2 and 2.3: the HTTP API under `/api/v1` (one request per file group).
    case milvusV1 = "milvus-v1"
    /// Zilliz Cloud's v2 control plane, `/v2/vectordb/jobs/import/create`.
    case zillizV2 = "zilliz-v2"
    /// Zilliz Cloud's legacy v1 data plane (`controller.api.<region>`), the seed's `bulk_import()`.
    case zillizV1 = "zilliz-v1"

    public var kind: TargetKind {
        switch self {
        case .milvusV1, .milvusV2: .milvus
        case .zillizV1, .zillizV2: .zilliz
        }
    }

    /// The most file groups one create request takes.
    public var maxGroups: Int? {
        switch self {
        case .milvusV2: 1024
        case .zillizV2: 1000
        case .zillizV1: 1
        case .milvusV1: nil  // one request per group
        }
    }
}
