import Logging
import Platform
import PostgresNIO

/// How ``PostgresState`` connects: the connection settings made from a ``PostgresURL``, a bounded
/// connect, and the translation of postgres-nio's errors into ``PostgresStateError``s that never
/// hold the password (internal).
///
/// The state uses single `PostgresConnection`s rather than a `PostgresClient` pool: a pool retries
/// connecting in the background and queues requests meanwhile, while the state must fail at once,
/// with a clear error, when the database goes away (and then try again on the next call).
struct PostgresConnector: Sendable {
    let url: PostgresURL
    let configuration: PostgresConnection.Configuration

    /// postgres-nio logs nothing the user should see: discard it all (and with it any chance of a
    /// connection detail reaching an output).
    static let logger = Logger(label: "bulk-import.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// How long connecting (TCP, TLS and authentication) may take.
    static let connectTimeout: Duration = .seconds(5)

    init(url: PostgresURL) throws(PostgresStateError) {
        self.url = url
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch url.sslMode {
            case .disable:
                tls = .disable
            case .prefer:
                tls = .prefer(try Self.context(.none))
            case .require:
                tls = .require(try Self.context(.none))
            case .verifyCA:
                tls = .require(try Self.context(.noHostnameVerification))
            case .verifyFull:
                tls = .require(try Self.context(.fullVerification))
            }
        } catch {
            throw .tls(location: url.redacted, reason: Self.describe(error, url: url))
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(Self.connectTimeout.components.seconds))
        self.configuration = configuration
    }

    private static func context(_ verification: CertificateVerification) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = verification
        return try NIOSSLContext(configuration: tls)
    }

    /// Connects, or throws ``PostgresStateError/unreachable(location:reason:)`` (or `refused`, `tls`)
    /// within a few seconds.
    func connect(id: Int) async throws(PostgresStateError) -> PostgresConnection {
        let configuration = configuration
        do {
            // postgres-nio bounds the TCP connect; this bounds the rest (TLS, authentication) too.
            return try await withThrowingTaskGroup(of: PostgresConnection?.self) { group in
                group.addTask {
                    try await PostgresConnection.connect(configuration: configuration, id: id, logger: Self.logger)
                }
                group.addTask {
                    try await Task.sleep(for: Self.connectTimeout * 2)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let connection = first else {
                    throw TimedOut()
                }
                return connection
            }
        } catch let error as TimedOut {
            _ = error
            throw .unreachable(location: url.redacted, reason: "no answer within \(Self.connectTimeout * 2)")
        } catch {
            throw translate(error, connectionLost: true)
        }
    }

    private struct TimedOut: Error {}

    /// The state's error for `error`. `connectionLost`: the connection is gone (or never came), so
    /// the server is taken as unreachable unless it answered with a refusal.
    func translate(_ error: any Error, connectionLost: Bool) -> PostgresStateError {
        let location = url.redacted
        let reason = Self.describe(error, url: url)
        if error is NIOSSLError || (error as? PSQLError)?.underlying is NIOSSLError {
            return .tls(location: location, reason: reason)
        }
        if let error = error as? PSQLError {
            let sqlState = error.serverInfo?[.sqlState] ?? ""
            // 28: invalid authorization; 3D000: no such database.
            if sqlState.hasPrefix("28") || sqlState == "3D000" { return .refused(location: location, reason: reason) }
            // 08: connection exception; 57: operator intervention (shutdown, starting up).
            if sqlState.hasPrefix("08") || sqlState.hasPrefix("57") { return .unreachable(location: location, reason: reason) }
            switch error.code {
            case .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
                return .tls(location: location, reason: reason)
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return .unreachable(location: location, reason: reason)
            case .server where !connectionLost:
                return .queryFailed(location: location, reason: reason)
            default:
                break
            }
        }
        return connectionLost ? .unreachable(location: location, reason: reason) : .queryFailed(location: location, reason: reason)
    }

    /// A socket error in words: "connection refused by 127.0.0.1:5432".
    private static func describeUnderlying(_ error: any Error) -> String {
        if let error = error as? NIOSSLError {
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the TLS handshake failed: the server's certificate is not signed by a trusted authority"
            }
            if text.contains("hostname") || text.contains("Hostname") {
                return "the TLS handshake failed: the server's certificate does not name the host"
            }
            return "the TLS handshake failed: \(text)"
        }
        guard let error = error as? NIOConnectionError else { return String(describing: error) }
        if error.connectionErrors.isEmpty {
            let dns = error.dnsAError ?? error.dnsAAAAError
            return "the host name \(error.host) could not be resolved" + (dns.map { " (\($0))" } ?? "")
        }
        return error.connectionErrors.map { failure in
            let address = failure.target.ipAddress.map { "\($0):\(failure.target.port ?? error.port)" } ?? "\(failure.target)"
            if let io = failure.error as? IOError {
                return "\(errnoMessage(io.errnoCode).lowercased()) at \(address)"
            }
            return "\(failure.error) at \(address)"
        }.joined(separator: "; ")
    }

    /// What went wrong, in words, with the password (should any part of it be echoed) masked.
    static func describe(_ error: any Error, url: PostgresURL) -> String {
        var text: String
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                text = message
                if let detail = error.serverInfo?[.detail] { text += " (\(detail))" }
                if let state = error.serverInfo?[.sqlState] { text += " [SQLSTATE \(state)]" }
            } else if let underlying = error.underlying {
                text = describeUnderlying(underlying)
            } else {
                switch error.code {
                case .serverClosedConnection, .uncleanShutdown: text = "the server closed the connection"
                case .clientClosedConnection: text = "the connection was closed"
                case .connectionError: text = "the connection failed"
                case .sslUnsupported: text = "the server does not support TLS"
                default: text = error.code.description
                }
            }
        } else {
            text = describeUnderlying(error)
        }
        if let password = url.password, !password.isEmpty {
            text = text.replacing(password, with: "***")
        }
        return text
    }
}
