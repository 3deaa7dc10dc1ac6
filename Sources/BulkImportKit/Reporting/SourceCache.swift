import NIOConcurrencyHelpers
import Platform

/// Reads the lines of manifest files on demand, for the snippets under text diagnostics.
///
/// A file is kept as its bytes and where each line starts; only the lines asked for become
/// Strings. Splitting a 20 MB manifest into a String a line to quote one warning was the peak of a
/// 100,000-job `run` (70 MB).
public final class SourceCache: Sendable {
    private let files = NIOLockedValueBox<[String: Source?]>([:])
    /// The largest file read, in bytes: the loader's limit (`--max-file-size`), so a manifest
    /// that was read is quoted too.
    private let limit: Int

    public init(limit: Int = 64 << 20) {
        self.limit = limit
    }

    /// Line `number` (1-based) of `file`, if it can be read.
    public func line(_ number: Int, of file: String) -> String? {
        files.withLockedValue { files in
            if files[file] == nil { files[file] = .some(Self.read(file, limit: limit)) }
            return files[file]!?.line(number)
        }
    }

    /// Seeds the cache with text, for sources that are not files.
    public func add(_ text: String, as file: String) {
        files.withLockedValue { $0[file] = .some(Source(.text(Array(text.utf8)))) }
    }

    /// The file as read; nil when it cannot be read or is over `limit` (no snippet is shown then).
    private static func read(_ path: String, limit: Int) -> Source? {
        guard let contents = try? FileContents(path: path, limit: limit) else { return nil }
        return Source(.file(contents))
    }

    /// One file: its bytes, and the offset after each LF as far as lines were asked for. Lines
    /// are found with `memchr`, only up to the last one asked for: quoting line 4 of a file whose
    /// line 5 is a 60 MB path indexed and copied the whole file (a fifth of `validate` on it).
    private struct Source: Sendable {
        enum Bytes: Sendable {
            case file(FileContents)
            case text([UInt8])
        }
        let bytes: Bytes
        /// Where lines 2, 3, … begin (line 1 begins at 0), as far as `scanned`.
        private var breaks: [Int] = []
        /// How many bytes were searched for LFs.
        private var scanned = 0

        init(_ bytes: Bytes) { self.bytes = bytes }

        private func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            switch bytes {
            case .file(let contents): body(contents.buffer)
            case .text(let array): array.withUnsafeBufferPointer(body)
            }
        }

        /// Lines are split on LF bytes, a trailing CR dropped: "\r\n" is one Character, so a
        /// Character split would never see it.
        mutating func line(_ number: Int) -> String? {
            guard number >= 1 else { return nil }
            var breaks = self.breaks
            var scanned = self.scanned
            self.breaks = []  // unique while it grows
            defer {
                self.breaks = breaks
                self.scanned = scanned
            }
            return withBytes { buffer in
                // Lines up to `number` end at a known LF: search on for the missing ones.
                while breaks.count < number, scanned < buffer.count, let base = buffer.baseAddress {
                    guard let found = memchr(base + scanned, Int32(UInt8(ascii: "\n")), buffer.count - scanned) else {
                        scanned = buffer.count
                        break
                    }
                    let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    breaks.append(offset + 1)
                    scanned = offset + 1
                }
                let complete = scanned >= buffer.count
                guard number <= breaks.count + (complete ? 1 : 0) else { return nil }
                let start = number == 1 ? 0 : breaks[number - 2]
                var end = number <= breaks.count ? breaks[number - 1] - 1 : buffer.count
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            }
        }
    }
}
