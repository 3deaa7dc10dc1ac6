#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the lines of manifest files on demand, for the snippets under text diagnostics.
public final class SourceCache: @unchecked Sendable {
    private var files: [String: [String]] = [:]
    private let lock = Lock()

    public init() {}

    /// Line `number` (1-based) of `file`, if it can be read.
    public func line(_ number: Int, of file: String) -> String? {
        lock.withLock {
            if files[file] == nil { files[file] = Self.read(file).map(Self.lines) ?? [] }
            guard let lines = files[file], number >= 1, number <= lines.count else { return nil }
            return lines[number - 1]
        }
    }

    /// Seeds the cache with text, for sources that are not files.
    public func add(_ text: String, as file: String) {
        lock.withLock { files[file] = Self.lines(text) }
    }

    /// Lines split on LF bytes, a trailing CR dropped: "\r\n" is one Character, so a Character
    /// split would never see it.
    private static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            return String(decoding: trimmed, as: UTF8.self)
        }
    }

    private static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 64 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A small mutex over pthread, for the few places that share state across threads.
final class Lock: @unchecked Sendable {
    // On the heap: `&` on a stored property gives no stable address, and a mutex must not move.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
