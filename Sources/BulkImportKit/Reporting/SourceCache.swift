import NIOConcurrencyHelpers
import Platform

/// Reads the lines of manifest files on demand, for the snippets under text diagnostics.
public final class SourceCache: Sendable {
    private let files = NIOLockedValueBox<[String: [String]]>([:])

    public init() {}

    /// Line `number` (1-based) of `file`, if it can be read.
    public func line(_ number: Int, of file: String) -> String? {
        files.withLockedValue { files in
            if files[file] == nil { files[file] = Self.read(file).map(Self.lines) ?? [] }
            guard let lines = files[file], number >= 1, number <= lines.count else { return nil }
            return lines[number - 1]
        }
    }

    /// Seeds the cache with text, for sources that are not files.
    public func add(_ text: String, as file: String) {
        files.withLockedValue { $0[file] = Self.lines(text) }
    }

    /// Lines split on LF bytes, a trailing CR dropped: "\r\n" is one Character, so a Character
    /// split would never see it.
    private static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            return String(decoding: trimmed, as: UTF8.self)
        }
    }

    /// The file's text; nil when it cannot be read or is over 64 MiB (no snippet is shown then).
    private static func read(_ path: String) -> String? {
        guard let contents = try? FileContents(path: path, limit: 64 << 20) else { return nil }
        return String(decoding: contents.buffer, as: UTF8.self)
    }
}
