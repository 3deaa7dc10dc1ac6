/// The bytes of a whole file, read the one way the tool reads files: the size is checked before
/// reading, a folder is refused, interrupted reads are resumed, and a file that grows while it is
/// read is still held to the limit.
///
/// The bytes live in a buffer this value owns; ``bytes`` gives an array copy. A manifest is not
/// read this way but a chunk at a time (``FileReader``), so the parser holds no copy of it.
public final class FileContents: @unchecked Sendable {
    /// The file's bytes, valid while this value lives. Never mutated after `init`.
    public let buffer: UnsafeBufferPointer<UInt8>
    private let allocation: UnsafeMutableBufferPointer<UInt8>

    /// Why a file could not be read.
    public enum Failure: Error, Sendable, Hashable {
        /// It could not be opened (`reason` is the system's words, or "is a folder").
        case cannotOpen(reason: String)
        /// It is larger than `limit` bytes.
        case tooLarge(size: Int, limit: Int)
        /// Reading failed part-way.
        case cannotRead(reason: String)
    }

    /// Reads the file at `path`, refusing one of more than `limit` bytes before reading it.
    public init(path: String, limit: Int) throws(Failure) {
        let reader = try FileReader(path: path, limit: limit)
        // One byte more than the size, so that a file that grew is noticed without a second read.
        var base = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(reader.size, 1) + 1)
        var count = 0
        while true {
            if count == base.count {
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: base.count * 2)
                _ = bigger.initialize(from: base)
                base.deallocate()
                base = bigger
            }
            guard let n = reader.read(into: base.baseAddress! + count, count: base.count - count) else {
                base.deallocate()
                throw reader.failure!
            }
            if n == 0 { break }
            count += n
        }
        allocation = base
        buffer = UnsafeBufferPointer(rebasing: base[0..<count])
    }

    deinit { allocation.deallocate() }

    /// A copy of the bytes.
    public var bytes: [UInt8] { Array(buffer) }
}
