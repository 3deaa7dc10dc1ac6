import Platform

/// Which jobs a run takes: `--job GLOB` patterns and `--shard K/N`.
public struct JobSelection: Sendable, Hashable {
    public var patterns: [String]
    /// 1-based shard and the number of shards.
    public var shard: (index: Int, count: Int)?

    public init(patterns: [String] = [], shard: (index: Int, count: Int)? = nil) {
        self.patterns = patterns
        self.shard = shard
    }

    public static func == (a: JobSelection, b: JobSelection) -> Bool {
        a.patterns == b.patterns && a.shard?.index == b.shard?.index && a.shard?.count == b.shard?.count
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(patterns) }

    /// Parses `K/N`, 1 <= K <= N.
    public static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        return (k, n)
    }

    public func includes(_ name: String) -> Bool {
        if !patterns.isEmpty && !patterns.contains(where: { fnmatch($0, name, 0) == 0 }) { return false }
        if let shard { return Int(Self.stableHash(name) % UInt64(shard.count)) == shard.index - 1 }
        return true
    }

    /// FNV-1a over the name's UTF-8: the same on every machine and every run, unlike `hashValue`.
    public static func stableHash(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
