import LibYAML

/// Which kind of server a target is.
public enum TargetKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Self-hosted Milvus.
    case milvus
    /// Zilliz Cloud.
    case zilliz
}

/// The API version a target's `api` field names.
public enum APIVersion: String, Sendable, Hashable, Codable, CaseIterable {
    case v1
    case v2
}

/// A target as written in a manifest: a Milvus instance or a Zilliz Cloud cluster.
public struct TargetSpec: Sendable {
    public var kind: TargetKind
    /// The span of the whole target mapping.
    public var span: YAMLSpan
    /// `uri` (Milvus) or `url` (Zilliz Cloud).
    public var endpoint: Located<StringTemplate>?
    /// Milvus: `token`, "user:password" or an API token.
    public var token: Located<StringTemplate>?
    /// Zilliz Cloud: `api_key`.
    public var apiKey: Located<StringTemplate>?
    public var dbName: Located<StringTemplate>?
    public var api: Located<APIVersion>?
    public var clusterID: Located<StringTemplate>?
    public var projectID: Located<StringTemplate>?
    public var regionID: Located<StringTemplate>?
    /// The keys written, valid or not: a field given with a bad value is not also "missing".
    public var present = FieldNameSet()

    public init(kind: TargetKind, span: YAMLSpan) {
        self.kind = kind
        self.span = span
    }

    /// The field names each kind of target takes, in the order the documentation lists them.
    public static func fieldNames(for kind: TargetKind) -> [String] {
        switch kind {
        case .milvus: ["uri", "token", "db_name", "api"]
        case .zilliz: ["url", "api_key", "cluster_id", "project_id", "region_id", "db_name", "api"]
        }
    }
}

/// How a job names its target: by the name of an entry in `targets`, or inline.
public indirect enum TargetReference: Sendable {
    case named(Located<String>)
    case inline(TargetSpec)

    public var span: YAMLSpan {
        switch self {
        case .named(let name): name.span
        case .inline(let spec): spec.span
        }
    }
}
