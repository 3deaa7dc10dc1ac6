import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Turns what the HTTP stack throws into an ``ImportError`` whose message is a sentence a person
/// reads: what failed, and whether the request may have reached the server. No Swift type name
/// ever reaches the output (`SocketAddressError.UnknownHost`, `HTTPClientError.readTimeout`).
enum TransportFailure {
    static func importError(from error: any Error) -> ImportError {
        if let error = error as? ImportError { return error }
        if error is CancellationError { return .transport("cancelled", sent: true) }
        if let e = error as? SocketAddressError.UnknownHost { return unknownHost(e.host) }
        if let e = error as? NIOConnectionError {
            // Every address failed: the first connection error says why; without any, the DNS did.
            if let first = e.connectionErrors.first { return importError(from: first.error) }
            if e.dnsAError != nil || e.dnsAAAAError != nil { return unknownHost(e.host) }
            return .transport("could not connect to \(quoted: e.host) port \(e.port)", sent: false)
        }
        if let e = error as? HTTPClientError { return clientError(e) }
        if let e = error as? IOError {
            let notSent: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]
            let reason = String(cString: strerror(e.errnoCode))
            if e.errnoCode == ECONNREFUSED {
                return .transport("connection refused: nothing listens at that address and port (is the server running?)", sent: false)
            }
            return .transport("connection failed: \(reason) (errno \(e.errnoCode))", sent: !notSent.contains(e.errnoCode))
        }
        if let e = error as? ChannelError {
            switch e {
            case .connectTimeout(let after):
                return .transport("could not connect within \(after.nanoseconds / 1_000_000_000) s", sent: false)
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed:
                return .transport("the connection closed before the server answered", sent: true)
            default: break
            }
        }
        let typeName = String(reflecting: type(of: error))
        if typeName.contains("SSL") || typeName.contains("TLS") || typeName.contains("Certificate") {
            return .unreachable(
                "the TLS connection failed (\(plain(error))): check the uri's scheme (https only where the server speaks TLS) and its certificate"
            )
        }
        return .transport("the request failed: \(plain(error))", sent: true)
    }

    private static func unknownHost(_ host: String) -> ImportError {
        .unreachable("cannot resolve host \(quoted: host): check the uri's host name")
    }

    private static func clientError(_ e: HTTPClientError) -> ImportError {
        switch e {
        case .connectTimeout: return .transport("could not connect within the connect timeout", sent: false)
        case .getConnectionFromPoolTimeout: return .transport("no connection to the server became free in time", sent: false)
        case .invalidURL: return .unreachable("the url is not valid")
        case .emptyHost: return .unreachable("the url has no host")
        case .emptyScheme: return .unreachable("the url has no scheme (http:// or https://)")
        case .tlsHandshakeTimeout: return .unreachable("the TLS handshake timed out: check that the server speaks TLS on that port")
        case .readTimeout, .deadlineExceeded:
            return .transport("no response within the request timeout (--request-timeout)", sent: true)
        case .writeTimeout: return .transport("the request could not be written within the timeout", sent: true)
        case .remoteConnectionClosed: return .transport("the server closed the connection before it answered", sent: true)
        case .cancelled: return .transport("cancelled", sent: true)
        case .proxyAuthenticationRequired: return .unreachable("the proxy asks for authentication")
        case .alreadyShutdown: return .transport("the HTTP client was already shut down", sent: false)
        default: return .transport("the request failed: \(plain(e))", sent: true)
        }
    }

    /// What an error says, without the type name its description may start with
    /// (`HTTPClientError.readTimeout` → "read timeout"), clipped.
    static func plain(_ error: any Error) -> String {
        var text = String(describing: error)
        let short = String(describing: type(of: error))
        for name in [String(reflecting: type(of: error)), short] where text.hasPrefix(name) {
            text.removeFirst(name.count)
            break
        }
        while let first = text.first, first == "." || first == ":" || first == " " { text.removeFirst() }
        // A leading identifier in camel case ("readTimeout") becomes words.
        var words = ""
        var inIdentifier = true
        for c in text {
            if inIdentifier && c.isUppercase && !words.isEmpty {
                words.append(" ")
                words.append(Character(c.lowercased()))
            } else {
                if !(c.isLetter || c.isNumber) { inIdentifier = false }
                words.append(c)
            }
        }
        return words.isEmpty ? "no details" : words.clipped()
    }
}
