import BulkImportKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the process writes, and what it knows of its terminal and environment.
enum Terminal {
    enum Stream { case stdout, stderr }

    /// Writes `text` with every secret value masked.
    static func write(_ text: String, to stream: Stream, redactor: Redactor) {
        guard !text.isEmpty else { return }
        let masked = redactor.redact(text)
        let fd: Int32 = stream == .stdout ? 1 : 2
        var bytes = Array(masked.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }

    /// Colour on stderr only on a terminal, and never when NO_COLOR is set.
    static func colorsOnStderr() -> Bool {
        isatty(2) == 1 && getenv("NO_COLOR") == nil && String(cString: getenv("TERM") ?? strdup("")) != "dumb"
    }

    /// The process environment, read once here and injected into the library.
    static func environment() -> Environment {
        var values: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                values[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return Environment(values)
    }
}
