import BulkImportKit
import Platform

/// Where the process writes, and what it knows of its terminal and environment.
enum Terminal {
    enum Stream { case stdout, stderr }

    /// Writes free text (an error, a note) with every secret value masked: it may quote a server's
    /// words or a value that holds a secret. Never for an encoded document (JSON, SARIF, GitHub
    /// commands, the plan, reports): those are built from values already redacted and are written
    /// with ``write(_:to:)``, as masking a finished document by value breaks it.
    static func write(_ text: String, to stream: Stream, redactor: Redactor) {
        write(redactor.redact(text), to: stream)
    }

    /// Writes `text` as it is: a document built from values already redacted.
    static func write(_ text: String, to stream: Stream) {
        guard !text.isEmpty else { return }
        let fd: Int32 = stream == .stdout ? 1 : 2
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }

    /// The one warning that some secrets are too short to mask in free text, if any are.
    static func warnAboutShortSecrets(_ redactor: Redactor) {
        if let warning = redactor.shortSecretWarning { write("warning: \(warning)\n", to: .stderr) }
    }

    /// Colour on stderr only on a terminal, and never when NO_COLOR is set.
    static func colorsOnStderr() -> Bool {
        isInteractive(.stderr) && getenv("NO_COLOR") == nil
    }

    /// A terminal that can move the cursor: a TTY whose TERM is not "dumb".
    static func isInteractive(_ stream: Stream) -> Bool {
        guard isatty(stream == .stdout ? 1 : 2) == 1 else { return false }
        guard let term = getenv("TERM") else { return true }
        return String(cString: term) != "dumb"
    }

    /// Columns and rows of the terminal on stdout (80×24 when it does not say).
    static func size() -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
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
