/// A file read a chunk at a time, with the checks of ``FileContents``: a folder is refused and a
/// file over the limit is refused before reading, interrupted reads are resumed, and a file that
/// grows while it is read is still held to the limit.
///
/// The parser reads a manifest through one of these, so that no copy of the whole file is held:
/// a 100,000-job manifest is 20 MB, two thirds of what `validate` kept when it read files whole.
/// One reader is used by one thread at a time.
public final class FileReader: @unchecked Sendable {
    /// The file's size when it was opened.
    public let size: Int
    /// The most bytes that may be read.
    public let limit: Int
    /// The bytes read so far.
    public private(set) var bytesRead = 0
    /// Why the last ``read(into:count:)`` answered nil.
    public private(set) var failure: FileContents.Failure?
    private let fd: Int32

    /// Opens the file at `path`, refusing a folder and a file of more than `limit` bytes.
    public init(path: String, limit: Int) throws(FileContents.Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(reason: errnoMessage()) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = errnoMessage()
            close(fd)
            throw .cannotOpen(reason: reason)
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            close(fd)
            throw .cannotOpen(reason: "is a folder")
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            close(fd)
            throw .tooLarge(size: size, limit: limit)
        }
        self.fd = fd
        self.size = size
        self.limit = limit
    }

    deinit { close(fd) }

    /// Reads the next bytes, at most `count`, into `buffer`: how many were read, 0 at the end of
    /// the file, nil when reading failed or went past ``limit`` (``failure`` says which).
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int? {
        if failure != nil { return nil }
        // One byte past the limit at most: enough to notice a file that grew.
        let room = limit - bytesRead
        let wanted = room >= count ? count : room + 1
        while true {
            let n = systemRead(fd, buffer, wanted)
            if n < 0 {
                if errno == EINTR { continue }
                failure = .cannotRead(reason: errnoMessage())
                return nil
            }
            bytesRead += n
            if bytesRead > limit {
                failure = .tooLarge(size: bytesRead, limit: limit)
                return nil
            }
            return n
        }
    }

    /// Calls `body` with the file's first `count` bytes (fewer if it is shorter), read again from
    /// its start a chunk at a time: for finding a line and column after the bytes are gone.
    public func rereadPrefix(_ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 << 10)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < count {
            let n = pread(fd, chunk.baseAddress, min(chunk.count, count - offset), off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            body(UnsafeBufferPointer(rebasing: chunk[0..<n]))
            offset += n
        }
    }
}
