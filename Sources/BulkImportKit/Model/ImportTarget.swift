/// A target with every value resolved: where and how to send a job.
///
/// A value type whose fields sit in one shared, immutable box: every job of a named target holds
/// the same box (8 bytes a job instead of a 192-byte copy of its fields; `run` keeps every job it
/// submits). Setting a field makes a new box, which only resolution does.
public struct ImportTarget: Sendable, Hashable {
    private struct Fields: Sendable, Hashable {
        var name: String?
        var api: ImportAPI
        var endpoint: Endpoint
        var token: Secret?
        var apiKey: Secret?
        var credentialVariables: [String] = []
        var dbName: String?
        var clusterID: String?
        var projectID: String?
        var regionID: String?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    public init(name: String?, api: ImportAPI, endpoint: Endpoint) {
        box = Box(Fields(name: name, api: api, endpoint: endpoint))
    }

    /// Reads a field, or replaces the box with one whose field is changed. Setting a field to
    /// the value it has keeps the shared box (the reconciler sets each job's database).
    private subscript<Value: Equatable>(field field: WritableKeyPath<Fields, Value>) -> Value {
        get { box.fields[keyPath: field] }
        set {
            guard box.fields[keyPath: field] != newValue else { return }
            var fields = box.fields
            fields[keyPath: field] = newValue
            box = Box(fields)
        }
    }

    /// The name in `targets`, or nil for a target written inline in a job.
    public var name: String? {
        get { self[field: \.name] }
        set { self[field: \.name] = newValue }
    }
    public var api: ImportAPI {
        get { self[field: \.api] }
        set { self[field: \.api] = newValue }
    }
    public var endpoint: Endpoint {
        get { self[field: \.endpoint] }
        set { self[field: \.endpoint] = newValue }
    }
    /// Milvus: the bearer token ("user:password" or an API token).
    public var token: Secret? {
        get { self[field: \.token] }
        set { self[field: \.token] = newValue }
    }
    /// Zilliz Cloud: the API key.
    public var apiKey: Secret? {
        get { self[field: \.apiKey] }
        set { self[field: \.apiKey] = newValue }
    }
    /// The variables `token` or `api_key` was read from (`MILVUS_TOKEN`), for messages that say
    /// what to check when the server refuses them; never their values.
    public var credentialVariables: [String] {
        get { self[field: \.credentialVariables] }
        set { self[field: \.credentialVariables] = newValue }
    }
    public var dbName: String? {
        get { self[field: \.dbName] }
        set { self[field: \.dbName] = newValue }
    }
    public var clusterID: String? {
        get { self[field: \.clusterID] }
        set { self[field: \.clusterID] = newValue }
    }
    public var projectID: String? {
        get { self[field: \.projectID] }
        set { self[field: \.projectID] = newValue }
    }
    public var regionID: String? {
        get { self[field: \.regionID] }
        set { self[field: \.regionID] = newValue }
    }

    public static func == (lhs: ImportTarget, rhs: ImportTarget) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
    }

    /// Whether both hold the same box: the jobs of one named target do.
    func sharesFields(with other: ImportTarget) -> Bool { box === other.box }

    /// How messages name the target.
    public var displayName: String { name ?? "inline \(api.kind.rawValue) target at \(endpoint)" }

    /// The server behind the target: jobs with the same key count against one cluster's limits.
    public var clusterKey: String {
        "\(endpoint.scheme)://\(endpoint.host):\(endpoint.port.map(String.init) ?? (endpoint.scheme == "https" ? "443" : "80"))\(endpoint.path)"
    }
}
