/// Bounds that keep hostile input from exhausting time or memory.
public struct YAMLLimits: Sendable, Hashable {
    /// The largest input accepted, in bytes.
    public var maxInputBytes: Int
    /// The deepest nesting of sequences and mappings accepted.
    public var maxDepth: Int
    /// Nodes that aliases may add beyond those written, as a floor...
    public var aliasExpansionFloor: Int
    /// ...and as a multiple of the nodes written. Billion-laughs documents exceed both at once.
    public var aliasExpansionFactor: Int
    /// The most nodes one composed value may have (a streamed job, `targets`, a whole document):
    /// a list of millions of scalars would otherwise take gigabytes as nodes.
    public var maxNodesPerValue: Int

    public init(
        maxInputBytes: Int = 64 << 20,
        maxDepth: Int = 64,
        aliasExpansionFloor: Int = 10_000,
        aliasExpansionFactor: Int = 4,
        maxNodesPerValue: Int = 1_000_000
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.aliasExpansionFloor = aliasExpansionFloor
        self.aliasExpansionFactor = aliasExpansionFactor
        self.maxNodesPerValue = maxNodesPerValue
    }

    public static let `default` = YAMLLimits()
}
