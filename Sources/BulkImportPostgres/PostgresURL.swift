/// A `postgres://user[:password]@host[:port]/database[?sslmode=...]` URL (also `postgresql://`),
/// the way a PostgreSQL state is named. User, password and database may be percent-encoded.
///
/// The password is kept only to connect: ``redacted`` (used for every message) leaves it out, and
/// no ``PostgresURLError`` repeats it.
public struct PostgresURL: Sendable, Hashable {
    /// How the connection is encrypted, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS if the server offers it, without verifying its certificate; plain otherwise (libpq's default).
        case prefer
        /// TLS, without verifying the server's certificate.
        case require
        /// TLS, verifying that the certificate is signed by a trusted authority (not the host name).
        case verifyCA = "verify-ca"
        /// TLS, verifying the certificate and that it names the host.
        case verifyFull = "verify-full"
    }

    /// The user to connect as.
    public var user: String
    /// The password, decoded; `nil` when the URL has none.
    public var password: String?
    /// The host name or address (an IPv6 address without its brackets).
    public var host: String
    /// The port (5432 unless given).
    public var port: Int
    /// The database.
    public var database: String
    /// How the connection is encrypted (`prefer` unless given).
    public var sslMode: SSLMode

    /// The URL without the password, for messages: `postgres://user@host:5432/db`.
    public var redacted: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(Self.encode(user))@\(shownHost):\(port)/\(Self.encode(database))"
    }

    /// Parses `string`.
    ///
    /// - Throws: ``PostgresURLError``, which says what is wrong and how to write it instead.
    public init(_ string: String) throws(PostgresURLError) {
        var rest = Substring(string)
        if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else {
            throw .notPostgres
        }

        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if rest.contains("#") { throw .fragment }

        guard let slash = rest.firstIndex(of: "/") else { throw .missingDatabase }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]
        guard !path.isEmpty else { throw .missingDatabase }
        guard !path.contains("/") else { throw .missingDatabase }
        database = try Self.decode(path, part: "database")

        // The password may itself hold an unencoded `@`: the host starts after the last one.
        guard let at = authority.lastIndex(of: "@") else { throw .missingUser }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        if let colon = userInfo.firstIndex(of: ":") {
            user = try Self.decode(userInfo[..<colon], part: "user")
            password = try Self.decode(userInfo[userInfo.index(after: colon)...], part: "password")
        } else {
            user = try Self.decode(userInfo, part: "user")
            password = nil
        }
        guard !user.isEmpty else { throw .missingUser }

        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw .badHost }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .badHost }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else { throw .missingHost }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { throw .badPort(String(portText)) }
            port = value
        } else {
            port = 5432
        }

        sslMode = .prefer
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            guard name == "sslmode" else { throw .unknownParameter(name) }
            guard let mode = SSLMode(rawValue: value) else { throw .badSSLMode(value) }
            sslMode = mode
        }
    }

    /// Percent-decodes one part of the URL.
    private static func decode(_ text: Substring, part: String) throws(PostgresURLError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else {
                throw .badPercentEncoding(part: part)
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .badPercentEncoding(part: part) }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes what would not read back as one part of the URL.
    private static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 0xF)])
            }
        }
        return out
    }
}

/// What is wrong with a PostgreSQL state URL. No description repeats the URL's password.
public enum PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL does not start with `postgres://` or `postgresql://`.
    case notPostgres
    /// A `#fragment`, which a PostgreSQL URL cannot have.
    case fragment
    /// No `user@` before the host.
    case missingUser
    /// No host after `@`.
    case missingHost
    /// A host in brackets that does not close, or text after the brackets that is not a port.
    case badHost
    /// A port that is not a number in 1...65535.
    case badPort(String)
    /// No `/database` after the host, or a path of more than one part.
    case missingDatabase
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8, in `part`.
    case badPercentEncoding(part: String)
    /// A query parameter other than `sslmode`.
    case unknownParameter(String)
    /// An `sslmode` that is not one of ``PostgresURL/SSLMode``.
    case badSSLMode(String)

    private static let form = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-ca|verify-full]"

    /// A sentence that says what is wrong and the fix.
    public var description: String {
        let problem: String
        switch self {
        case .notPostgres:
            problem = "it does not start with postgres:// or postgresql://"
        case .fragment:
            problem = "it has a #fragment, which a PostgreSQL URL cannot have (percent-encode a # in the password as %23)"
        case .missingUser:
            problem = "it names no user: write USER@ before the host"
        case .missingHost:
            problem = "it names no host after the @"
        case .badHost:
            problem = "its host is not a name, an address, or an IPv6 address in [brackets] followed by :PORT"
        case .badPort(let port):
            problem = "its port \"\(port)\" is not a number from 1 to 65535"
        case .missingDatabase:
            problem = "it names no database: end it with /DATABASE (one path part)"
        case .badPercentEncoding(let part):
            problem =
                "its \(part) has a % that is not followed by two hex digits, or does not decode to UTF-8 "
                + "(write a % itself as %25)"
        case .unknownParameter(let name):
            problem = "it has the parameter \"\(name)\"; bulk-import understands only sslmode"
        case .badSSLMode(let mode):
            problem =
                "its sslmode \"\(mode)\" is not one of "
                + PostgresURL.SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
        }
        return "the PostgreSQL state URL is not valid: \(problem). Write it as \(Self.form)."
    }
}
