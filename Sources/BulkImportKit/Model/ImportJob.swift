/// One import option, always sent as a string.
public struct ImportOption: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// A validated job with every default applied and every variable resolved: what `plan` prints and
/// `run` sends.
public struct ImportJob: Sendable, Hashable {
    public var name: String
    /// Where the job was declared.
    public var location: ManifestLocation
    public var target: ImportTarget
    public var collectionName: String
    public var partitionName: String?
    /// The database: the job's own `db_name`, else the target's.
    public var dbName: String?
    /// File groups. For Zilliz Cloud, each group is one url (`object_url` becomes one group).
    public var files: [[String]]
    public var accessKey: Secret?
    public var secretKey: Secret?
    /// Zilliz v2: the session token of short-term storage credentials.
    public var token: Secret?
    public var options: [ImportOption]
    /// Zilliz Cloud v2: the volume the job imports from; `files` then holds its data paths.
    public var volumeName: String?
    /// The atomic group the job belongs to (`atomic: true`: its manifest's path), or nil. Not part
    /// of ``JobDigest``: it decides how the job is run, not what it imports.
    public var atomicGroup: String?

    public init(
        name: String, location: ManifestLocation, target: ImportTarget, collectionName: String,
        partitionName: String? = nil, dbName: String? = nil, files: [[String]], accessKey: Secret? = nil,
        secretKey: Secret? = nil, token: Secret? = nil, options: [ImportOption] = [],
        volumeName: String? = nil
    ) {
        self.name = name
        self.location = location
        self.target = target
        self.collectionName = collectionName
        self.partitionName = partitionName
        self.dbName = dbName
        self.files = files
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.token = token
        self.options = options
        self.volumeName = volumeName
    }
}
