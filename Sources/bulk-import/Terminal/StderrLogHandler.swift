import BulkImportKit
import Logging
import Platform

/// The tool's log lines: one line each on stderr, never on stdout (where `--format json` documents
/// go), as `2026-11-30T16:40:00.123Z debug http response key=value ... body=...`.
///
/// Keys are sorted, with `body` last and unquoted (it is the long one); other values are quoted
/// when they hold a space. Every value is escaped onto one line, and the whole line is masked by
/// the run's redactor as it is written.
struct StderrLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let redactor: Redactor

    init(label: String, level: Logger.Level = .info, redactor: Redactor = Redactor()) {
        self.label = label
        self.logLevel = level
        self.redactor = redactor
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let given = event.metadata { all.merge(given) { $1 } }
        var line = Self.timestamp() + " " + event.level.rawValue + " " + "\(event.message)".clipped(to: 1000)
        for key in all.keys.sorted(by: { ($0 == "body" ? 1 : 0, $0) < ($1 == "body" ? 1 : 0, $1) }) {
            // Limits far above the request logger's own clipping: only escaping is left to do here.
            let value = "\(all[key]!)".clipped(to: 4000)
            let quoted = key != "body" && (value.isEmpty || value.contains(" ")) ? "\"" + value.replacing("\"", with: "\\\"") + "\"" : value
            line += " " + key.clipped(to: 100) + "=" + quoted
        }
        Terminal.write(line + "\n", to: .stderr, redactor: redactor)
    }

    /// The current time in UTC, to the millisecond: `2026-11-30T16:40:00.123Z`.
    static func timestamp() -> String {
        let now = WallClock.now()
        var seconds = time_t(now.rounded(.down))
        let millis = Int((now - now.rounded(.down)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}
