import JSON
import Logging

/// What the transport says about each request it sends, for `--log-level debug`: one line when a
/// request leaves and one when its answer (or its failure) comes back, sharing a trace id.
///
/// Nothing secret reaches the logger. Headers are never logged (they carry the credentials). The
/// url loses its user info and the values of query parameters named like credentials. Bodies are
/// decoded, masked value by value with the run's ``Redactor`` (so a secret is found even where JSON
/// escaped it on the wire), fields named like credentials are masked whatever they hold, and the
/// result is clipped to ``bodyLimit`` characters on one line.
public struct RequestLogger: Sendable {
    /// Where the lines go; its level decides whether anything is written.
    public var logger: Logger
    /// The run's secrets, masked wherever they appear.
    public var redactor: Redactor
    /// The most characters of a body kept in a line.
    public var bodyLimit: Int

    public init(logger: Logger, redactor: Redactor = Redactor(), bodyLimit: Int = 512) {
        self.logger = logger
        self.redactor = redactor
        self.bodyLimit = bodyLimit
    }

    /// Logs nothing: for a transport nobody watches.
    public static let disabled = RequestLogger(logger: Logger(label: "bulk-import.http", factory: { _ in SwiftLogNoOpLogHandler() }))

    /// Whether request and response lines are written at all.
    public var isEnabled: Bool { logger.logLevel <= .debug }

    /// The logger handed to async-http-client for one request: it carries the trace id, and lets the
    /// client's own connection lines through only at `trace`, so `debug` stays one line each way.
    func clientLogger(traceID: String) -> Logger {
        var client = logger
        client[metadataKey: "trace_id"] = .string(traceID)
        if client.logLevel > .trace { client.logLevel = max(client.logLevel, .info) }
        return client
    }

    /// A new id for one request: 16 hex digits.
    static func newTraceID() -> String {
        let hex = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    func request(_ request: ImportRequest, traceID: String) {
        guard isEnabled else { return }
        var metadata: Logger.Metadata = [
            "trace_id": .string(traceID), "method": .string(request.method), "url": .string(maskedURL(request.url)),
        ]
        if let body = request.body { metadata["body"] = .string(maskedBody(body)) }
        logger.debug("http request", metadata: metadata)
    }

    func response(_ request: ImportRequest, status: Int, body: [UInt8], duration: Duration, traceID: String) {
        guard isEnabled else { return }
        var metadata: Logger.Metadata = [
            "trace_id": .string(traceID), "method": .string(request.method), "url": .string(maskedURL(request.url)),
            "status": .stringConvertible(status), "duration_ms": .string(Self.milliseconds(duration)),
        ]
        if !body.isEmpty { metadata["body"] = .string(maskedBody(body)) }
        logger.debug("http response", metadata: metadata)
    }

    func failure(_ request: ImportRequest, error: ImportError, duration: Duration, traceID: String) {
        guard isEnabled else { return }
        logger.debug(
            "http failure",
            metadata: [
                "trace_id": .string(traceID), "method": .string(request.method), "url": .string(maskedURL(request.url)),
                "duration_ms": .string(Self.milliseconds(duration)),
                "error": .string(redactor.redact("\(error)").clipped(to: bodyLimit)),
            ])
    }

    // MARK: - Masking

    /// `url` without user info, with the values of credential-like query parameters masked, and
    /// every secret value masked.
    public func maskedURL(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex { "/?#".contains($0) } ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
                text.replaceSubrange(scheme.upperBound..<at, with: Secret.placeholder)
            }
        }
        if let question = text.firstIndex(of: "?") {
            let queryStart = text.index(after: question)
            let queryEnd = text[queryStart...].firstIndex(of: "#") ?? text.endIndex
            let masked = text[queryStart..<queryEnd].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                guard let eq = pair.firstIndex(of: "="), Self.namesCredential(pair[..<eq]) else { return String(pair) }
                return String(pair[..<eq]) + "=" + Secret.placeholder
            }
            text.replaceSubrange(queryStart..<queryEnd, with: masked.joined(separator: "&"))
        }
        return redactor.redact(text).clipped(to: 2 * ClippedValue.limit)
    }

    /// A body as sent or received, masked and clipped to one line of at most ``bodyLimit`` characters.
    public func maskedBody(_ bytes: [UInt8]) -> String {
        // A body too large to be worth decoding for one clipped line is masked as text, from its start.
        if bytes.count <= 1 << 20, let value = try? JSONParser.parse(bytes) { return maskedBody(value) }
        return redactor.redact(String(decoding: bytes.prefix(64 << 10), as: UTF8.self)).clipped(to: bodyLimit)
    }

    /// A JSON body masked and clipped to one line of at most ``bodyLimit`` characters.
    public func maskedBody(_ value: JSONValue) -> String {
        JSONWriter.write(Self.maskingCredentialFields(redactor.redact(value))).clipped(to: bodyLimit)
    }

    private static func maskingCredentialFields(_ value: JSONValue) -> JSONValue {
        switch value {
        case .null, .bool, .int, .double, .string: return value
        case .array(let items): return .array(items.map(maskingCredentialFields))
        case .object(let members):
            return .object(
                members.map { key, value in
                    if namesCredential(key), case .string(let text) = value, !text.isEmpty { return (key, .string(Secret.placeholder)) }
                    return (key, maskingCredentialFields(value))
                })
        }
    }

    /// Whether a field or parameter name says it holds a credential (`accessKey`, `secret_key`,
    /// `token`, `X-Api-Key`, `password`, `sig`).
    static func namesCredential(_ name: some StringProtocol) -> Bool {
        let letters = String(name.lowercased().filter { $0.isLetter })
        if ["sig", "auth", "key", "pwd"].contains(letters) { return true }
        return ["token", "secret", "password", "passwd", "apikey", "accesskey", "signature", "credential", "authorization", "session"]
            .contains { letters.contains($0) }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
