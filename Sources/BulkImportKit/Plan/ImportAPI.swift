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

    public var kind: TargetKind {
        switch self {
        case .milvusV1, .milvusV2: .milvus
        case .zillizV1, .zillizV2: .zilliz
        }
    }

    /// Whether the server takes one create per file group, each making a task of its own (Milvus
    /// 2.2/2.3): a job of k groups is k tasks, recorded and resumed group by group.
    public var createsOneTaskPerFileGroup: Bool { self == .milvusV1 }

    /// Whether the server honours an `Idempotency-Key` header on create (Milvus REST v2; acted on
    /// by 2.6.24+/3.0.2+).
    public var acceptsIdempotencyKey: Bool { self == .milvusV2 }

    /// Whether the server caps the import jobs not yet finished on one cluster (Milvus: 1024).
    public var capsUnfinishedJobs: Bool { kind == .milvus }

    /// The tasks a job of `groups` file groups becomes on the server.
    public func taskCount(forFileGroups groups: Int) -> Int { createsOneTaskPerFileGroup ? groups : 1 }

    /// Whether requests to one endpoint are rate-limited by the service (Zilliz Cloud).
    public var isRateLimitedPerEndpoint: Bool { kind == .zilliz }

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
