import NIOConcurrencyHelpers
import Platform

/// Reads the lines of manifest files on demand, for the snippets under text diagnostics.
///
/// A file is kept as its bytes and where each line starts; only the lines asked for become
/// Strings. Splitting a 20 MB manifest into a String a line to quote one warning was the peak of a
/// 100,000-job `run` (70 MB).
public final class SourceCache: Sendable {
    private let files = NIOLockedValueBox<[String: Source?]>([:])

    public init() {}

    /// Line `number` (1-based) of `file`, if it can be read.
    public func line(_ number: Int, of file: String) -> String? {
        files.withLockedValue { files in
            if files[file] == nil { files[file] = .some(Self.read(file).map(Source.init)) }
            return files[file]??.line(number)
        }
    }

    /// Seeds the cache with text, for sources that are not files.
    public func add(_ text: String, as file: String) {
        files.withLockedValue { $0[file] = .some(Source(Array(text.utf8))) }
    }

    /// The file's bytes; nil when it cannot be read or is over 64 MiB (no snippet is shown then).
    private static func read(_ path: String) -> [UInt8]? {
        guard let contents = try? FileContents(path: path, limit: 64 << 20) else { return nil }
        return Array(contents.buffer)
    }

    /// One file: its bytes and the offset after each LF.
    private struct Source: Sendable {
        let bytes: [UInt8]
        /// Where lines 2, 3, … begin (line 1 begins at 0).
        let breaks: [Int]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var breaks: [Int] = []
            bytes.withUnsafeBufferPointer { buffer in
                for i in buffer.indices where buffer[i] == UInt8(ascii: "\n") { breaks.append(i + 1) }
            }
            self.breaks = breaks
        }

        /// Lines are split on LF bytes, a trailing CR dropped: "\r\n" is one Character, so a
        /// Character split would never see it.
        func line(_ number: Int) -> String? {
            guard number >= 1, number <= breaks.count + 1 else { return nil }
            let start = number == 1 ? 0 : breaks[number - 2]
            var end = number <= breaks.count ? breaks[number - 1] - 1 : bytes.count
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }
}
