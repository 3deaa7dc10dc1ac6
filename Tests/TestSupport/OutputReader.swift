import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one pipe of a child to its end on a thread of its own, from the moment the child starts:
/// a child that fills one pipe while we wait on the other, or on its exit, cannot deadlock.
/// Everything read is kept; ``nextLine()`` hands it out line by line as it arrives.
final class OutputReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    private var finished = false
    /// Where ``nextLine()`` has read up to.
    private var cursor = 0

    /// Takes ownership of `descriptor` and closes it at its end.
    init(_ descriptor: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                condition.lock()
                bytes.append(contentsOf: chunk[0..<n])
                condition.broadcast()
                condition.unlock()
            }
            close(descriptor)
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    /// The next whole line (without its newline), waiting for it; the unterminated rest at the
    /// end; nil once everything was handed out.
    func nextLine() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = bytes[cursor...].firstIndex(of: 0x0A) {
                defer { cursor = newline + 1 }
                return String(decoding: bytes[cursor..<newline], as: UTF8.self)
            }
            if finished {
                guard cursor < bytes.count else { return nil }
                defer { cursor = bytes.count }
                return String(decoding: bytes[cursor...], as: UTF8.self)
            }
            condition.wait()
        }
    }

    /// Everything the pipe carried, once the writer closed it.
    func all() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What came after the lines ``nextLine()`` handed out, once the writer closed the pipe.
    func rest() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return String(decoding: bytes[cursor...], as: UTF8.self)
    }
}
