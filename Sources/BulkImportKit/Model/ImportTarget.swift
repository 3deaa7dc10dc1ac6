/// A target with every value resolved: where and how to send a job.
public struct ImportTarget: Sendable, Hashable {
    /// The name in `targets`, or nil for a target written inline in a job.
    public var name: String?
    public var api: ImportAPI
    public var endpoint: Endpoint
    /// Milvus: the bearer token ("user:password" or an API token).
    public var token: Secret?
    /// Zilliz Cloud: the API key.
    public var apiKey: Secret?
    /// The variables `token` or `api_key` was read from (`MILVUS_TOKEN`), for messages that say
    /// what to check when the server refuses them; never their values.
    public var credentialVariables: [String] = []
    public var dbName: String?
    public var clusterID: String?
    public var projectID: String?
    public var regionID: String?

    public init(name: String?, api: ImportAPI, endpoint: Endpoint) {
        self.name = name
        self.api = api
        self.endpoint = endpoint
    }

    /// How messages name the target.
    public var displayName: String { name ?? "inline \(api.kind.rawValue) target at \(endpoint)" }

    /// The server behind the target: jobs with the same key count against one cluster's limits.
    public var clusterKey: String {
        "\(endpoint.scheme)://\(endpoint.host):\(endpoint.port.map(String.init) ?? (endpoint.scheme == "https" ? "443" : "80"))\(endpoint.path)"
    }
}
