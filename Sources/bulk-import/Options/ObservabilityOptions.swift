import ArgumentParser
import BulkImportKit
import Logging
import Platform

/// `--log-level` and `--metrics-file`: what `run` and `status` tell a pipeline besides their output.
struct ObservabilityOptions: ParsableArguments {
    /// The environment variable `--log-level` falls back to.
    static let logLevelVariable = "BULK_IMPORT_LOG_LEVEL"

    @Option(
        help: ArgumentHelp(
            "What to log on stderr.",
            discussion:
                "debug logs a line per request and per response (method, url, status, duration, trace id, bodies clipped, secrets masked). Default: $BULK_IMPORT_LOG_LEVEL, else info.",
            valueName: "level"))
    var logLevel: LogLevel?

    @Option(
        help: ArgumentHelp(
            "Write the run in the Prometheus text format to this file when it ends (also on Ctrl-C).",
            discussion: "Written atomically (a temporary file, then renamed), for node_exporter's textfile collector.",
            valueName: "path"))
    var metricsFile: String?

    func validate() throws {
        _ = try level(in: Terminal.environment())
        if let metricsFile {
            if metricsFile.isEmpty { throw ValidationError("--metrics-file needs a file name, e.g. --metrics-file bulk_import.prom") }
            let folder = metricsFile.contains("/") ? String(metricsFile[..<metricsFile.lastIndex(of: "/")!]) : "."
            var info = stat()
            if stat(metricsFile, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw ValidationError(
                    "--metrics-file \(quoted: metricsFile) is a folder: name a file in it, e.g. \(metricsFile)/bulk_import.prom")
            }
            if access(folder.isEmpty ? "/" : folder, W_OK) != 0 {
                throw ValidationError(
                    "--metrics-file \(quoted: metricsFile): its folder cannot be written (\(errnoMessage())); create it or choose another path"
                )
            }
        }
    }

    /// `--log-level`, else `BULK_IMPORT_LOG_LEVEL` (when set and not empty), else info.
    func level(in environment: Environment) throws -> Logger.Level {
        if let logLevel { return logLevel.level }
        guard let text = environment[Self.logLevelVariable], !text.isEmpty else { return .info }
        guard let level = LogLevel(rawValue: text.lowercased()) else {
            throw ValidationError(
                "\(Self.logLevelVariable) is \(quoted: text), which is not a log level: use one of "
                    + LogLevel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level.level
    }

    /// The logger of the requests the run sends, writing on stderr with `redactor`'s secrets masked.
    func requestLogger(redactor: Redactor) -> RequestLogger {
        let level = (try? level(in: Terminal.environment())) ?? .info
        let logger = Logger(label: "bulk-import.http") { StderrLogHandler(label: $0, level: level, redactor: redactor) }
        return RequestLogger(logger: logger, redactor: redactor)
    }

    /// Writes `report` to `--metrics-file`, if given. Returns false, having said why on stderr,
    /// when it could not be written.
    func writeMetrics(_ report: @autoclosure () -> MetricsReport, redactor: Redactor) -> Bool {
        guard let metricsFile else { return true }
        do {
            try report().write(to: metricsFile, redactor: redactor)
            return true
        } catch {
            Terminal.write("error: \(error)\n", to: .stderr, redactor: redactor)
            return false
        }
    }
}

/// The levels of swift-log, as `--log-level` spells them.
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}
