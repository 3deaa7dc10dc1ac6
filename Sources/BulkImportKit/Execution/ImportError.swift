/// Whether a failed request may be sent again.
public enum RetryClass: String, Sendable, Hashable {
    /// The request certainly did not take effect (never reached the server, rate-limited, not ready).
    case retryable
    /// The server refused it for a reason a retry does not change.
    case permanent
    /// It may or may not have taken effect: a create that timed out or lost its connection after it
    /// was sent. Sending it again could import the same data twice.
    case ambiguous
}

/// A failed import API call, with everything the server said.
///
/// A struct around a private enum, so new kinds of failure break no caller.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case server
        case transport(sent: Bool)
        /// Nothing at the target's address can be reached this way (a host that does not resolve,
        /// a TLS handshake that fails): no request left, and sending it again changes nothing.
        case unreachable
        case malformedResponse
    }

    private let kind: Kind
    /// The HTTP status, when a response arrived.
    public let httpStatus: Int?
    /// The `code` of the response body, when it had one.
    public let code: Int?
    /// The server's message, or what went wrong on the way.
    public let message: String
    /// `X-Milvus-Trace-Id`, for the server's logs.
    public let traceID: String?
    /// `Retry-After`, in seconds, when the server sent one.
    public let retryAfter: Double?

    /// An error the server answered with.
    public static func server(httpStatus: Int, code: Int?, message: String, traceID: String? = nil, retryAfter: Double? = nil)
        -> ImportError
    {
        ImportError(kind: .server, httpStatus: httpStatus, code: code, message: message, traceID: traceID, retryAfter: retryAfter)
    }

    /// A connection-level failure; `sent` says whether the request may have reached the server.
    public static func transport(_ message: String, sent: Bool) -> ImportError {
        ImportError(kind: .transport(sent: sent), httpStatus: nil, code: nil, message: message, traceID: nil, retryAfter: nil)
    }

    /// The target cannot be reached at all: `message` says why in a sentence (e.g. "cannot resolve
    /// host 'x'"). Never retried, and nothing was sent.
    public static func unreachable(_ message: String) -> ImportError {
        ImportError(kind: .unreachable, httpStatus: nil, code: nil, message: message, traceID: nil, retryAfter: nil)
    }

    /// Whether the target cannot be reached at all (see ``unreachable(_:)``).
    public var isUnreachable: Bool { kind == .unreachable }

    /// Whether no request reached the server (a refused connection, a host that does not resolve).
    public var wasNotSent: Bool {
        switch kind {
        case .transport(let sent): !sent
        case .unreachable: true
        default: false
        }
    }

    /// A response that is not the documented JSON (HTML from a proxy, a truncated body).
    public static func malformed(httpStatus: Int, message: String, traceID: String? = nil) -> ImportError {
        ImportError(kind: .malformedResponse, httpStatus: httpStatus, code: nil, message: message, traceID: traceID, retryAfter: nil)
    }

    /// How a create that failed this way may be retried (the table in the import API reference).
    public var createRetryClass: RetryClass {
        switch kind {
        case .transport(let sent):
            return sent ? .ambiguous : .retryable
        case .unreachable:
            return .permanent
        case .malformedResponse:
            // A 200 we cannot read may well have created the job.
            if let s = httpStatus, s == 429 || s == 503 { return .retryable }
            return .ambiguous
        case .server:
            if let code, [1, 2, 4, 8, 1807].contains(code) { return .retryable }
            if code == 2100, message.lowercased().contains("number of jobs has reached the limit") { return .retryable }
            if code == 10001 { return .ambiguous }
            if let status = httpStatus {
                if status == 429 || status == 503 { return .retryable }
                // A 5xx may come after the request was handled, whatever code its body carries.
                if status == 408 || status >= 500 { return .ambiguous }
            }
            return .permanent
        }
    }

    /// How a read (progress, list) that failed this way may be retried: reads change nothing, so
    /// anything not permanent is retried.
    public var readRetryClass: RetryClass {
        createRetryClass == .ambiguous ? .retryable : createRetryClass
    }

    /// Whether the server refused the request's credentials (a missing or wrong token or API key,
    /// or one without the privilege): each API's client decides it from its own answers
    /// (``ImportAPIClient/meansAuthenticationFailure(_:)``). Nothing sent to that target with the
    /// same credentials can succeed.
    public private(set) var isAuthenticationFailure = false

    /// This error, marked as the server refusing the credentials.
    func markedAsAuthenticationFailure() -> ImportError {
        var copy = self
        copy.isAuthenticationFailure = true
        return copy
    }

    /// Whether the server says the job does not exist (any more): finished jobs are cleaned up after
    /// some hours, and that is not a failure of the data. Each API's client decides it from its own
    /// answers (``ImportAPIClient/meansJobNotFound(_:)``).
    public private(set) var isJobNotFound = false

    /// This error, marked as the server saying that the job does not exist.
    func markedAsJobNotFound() -> ImportError {
        var copy = self
        copy.isJobNotFound = true
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let code { parts.append("code \(code)") }
        // The server's words, clipped and on one line: a hostile answer cannot flood the output.
        let said = message.clipped(to: 1000)
        var text = parts.isEmpty ? said : "\(parts.joined(separator: ", ")): \(said)"
        if let traceID { text += " (trace id \(traceID.clipped()))" }
        return text
    }
}
