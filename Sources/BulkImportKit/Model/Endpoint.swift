/// A parsed http(s) base URL of a target: scheme, host, optional port and path prefix.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// The path prefix without a trailing slash ("" for none).
    public var path: String

    /// Why a url did not parse, and how to fix it.
    public struct ParseError: Error, Sendable, Hashable {
        public var message: String
        public var fix: String
    }

    /// Parses `text`. `defaultScheme` is used when the text has none (Zilliz's seed form); when it
    /// is nil, a missing scheme is an error.
    public init(parsing raw: String, defaultScheme: String?) throws(ParseError) {
        // Messages show the url without any credentials written in it.
        let text = Self.withoutCredentials(raw)
        var rest = Substring(raw.trimmingWhitespace())
        if let range = rest.firstRange(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        } else if let defaultScheme {
            scheme = defaultScheme
        } else {
            throw ParseError(
                message: "\(quoted: text) has no scheme", fix: "write it as http://\(text.clipped()) or https://\(text.clipped())")
        }
        guard scheme == "http" || scheme == "https" else {
            throw ParseError(
                message: "\(quoted: text) uses \(scheme)://, but the import API is served over HTTP",
                fix: "use an http:// or https:// address")
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        var path = String(rest[slash...])
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            throw ParseError(message: "\(quoted: text) has a query or fragment \(quoted: path[q...])", fix: "remove it")
        }
        while path.hasSuffix("/") { path.removeLast() }
        if authority.contains("@") {
            throw ParseError(
                message: "\(quoted: text) holds credentials before '@'",
                fix: "remove them from the address and use `token` (or `api_key`) with a $<ENV> reference")
        }
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let portText = authority[authority.index(after: colon)...]
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw ParseError(message: "\(quoted: text) has an invalid port \(quoted: portText)", fix: "use a port from 1 to 65535")
            }
            port = p
            authority = authority[..<colon]
        }
        guard !authority.isEmpty else {
            throw ParseError(message: "\(quoted: text) has no host", fix: "write it as scheme://host[:port]")
        }
        let allowed = authority.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "." || $0 == "-" || $0 == "_" || $0 == "[" || $0 == "]" || $0 == ":"
        }
        guard allowed else {
            throw ParseError(message: "\(quoted: text) has an invalid host \(quoted: authority)", fix: "check for spaces or typos")
        }
        host = String(authority)
        self.port = port
        self.path = path
    }

    static func withoutCredentials(_ url: String) -> String {
        let afterScheme = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        let authorityEnd = url[afterScheme...].firstIndex(of: "/") ?? url.endIndex
        guard let at = url[afterScheme..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<afterScheme]) + "***" + String(url[at...])
    }

    /// The base URL, e.g. `http://localhost:19530`.
    public var description: String {
        "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")\(path)"
    }

    /// The full URL of `path` below this endpoint.
    public func url(_ path: String) -> String { description + path }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
