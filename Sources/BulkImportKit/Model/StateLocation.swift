import Platform

/// Where the state of a manifest's jobs is kept: a ledger file, or a PostgreSQL database shared by
/// many runners. Written as the manifest's top-level `state:` or given with `--state`.
public enum StateLocation: Sendable, Hashable, CustomStringConvertible {
    /// A ledger file: an absolute, lexically normalised path.
    case file(String)
    /// A PostgreSQL database: the URL as resolved, with its password when one is given.
    case postgres(String)

    /// The file a manifest's jobs are recorded in when neither `state:` nor `--state` says.
    public static let defaultFileName = ".bulk-import/state.jsonl"

    /// Why a `state` value cannot be used.
    public struct ParseError: Error, Sendable, Hashable {
        public var message: String
        public var fix: String
    }

    /// Reads `text`: a `postgres://` or `postgresql://` URL, or a path resolved against `folder`
    /// (itself resolved against the current folder when relative).
    public init(parsing text: String, relativeTo folder: String) throws(ParseError) {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            guard Self.hostPart(of: text).map({ !$0.isEmpty }) ?? false else {
                throw ParseError(
                    message: "the PostgreSQL URL names no host",
                    fix: "write it as postgres://USER@HOST:5432/DATABASE?sslmode=require, the password as $<ENV>")
            }
            self = .postgres(text)
            return
        }
        if let colon = text.firstIndex(of: ":"), let slash = text.firstIndex(of: "/"), colon < slash,
            text[text.index(after: colon)...].hasPrefix("//")
        {
            throw ParseError(
                message: "\(quoted: text[..<colon] + "://") is not a kind of state bulk-import keeps",
                fix: "use a file path (resolved against the manifest's folder) or a postgres:// URL")
        }
        guard !text.isEmpty else {
            throw ParseError(message: "the state is empty", fix: "use a file path or a postgres:// URL")
        }
        if text.hasSuffix("/") {
            throw ParseError(
                message: "the state \(quoted: text) names a folder, not a file",
                fix: "name the file, e.g. \((text + "state.jsonl").clipped())")
        }
        self = .file(Self.normalise(text.hasPrefix("/") ? text : Self.join(Self.absolute(folder), text)))
    }

    /// The state of a manifest at `manifestFile` that has no `state:`: the default file in its folder.
    public static func defaultState(forManifest manifestFile: String) -> StateLocation {
        .file(normalise(join(absolute(folder(of: manifestFile)), defaultFileName)))
    }

    /// The folder a path is in (`.` for a bare name).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The path or URL, without a password.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .postgres(let url): return Self.withoutPassword(url)
        }
    }

    /// The password written in a postgres URL, if any (to be masked wherever the tool writes).
    public var password: String? {
        guard case .postgres(let url) = self, let userInfo = Self.userInfo(of: url), let colon = userInfo.firstIndex(of: ":") else {
            return nil
        }
        let password = String(userInfo[userInfo.index(after: colon)...])
        return password.isEmpty ? nil : password
    }

    /// `url` with the password of its user part removed.
    static func withoutPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let userInfo = userInfo(of: url), let colon = userInfo.firstIndex(of: ":") else {
            return url
        }
        let rest = url[scheme.upperBound...]
        let afterUserInfo = rest[rest.index(rest.startIndex, offsetBy: userInfo.count)...]
        return String(url[..<scheme.upperBound]) + userInfo[..<colon] + afterUserInfo
    }

    /// The `user[:password]` part of a URL, if it has one.
    private static func userInfo(of url: String) -> Substring? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return nil }
        return authority[..<at]
    }

    private static func hostPart(of url: String) -> Substring? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        return host
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return join(currentDirectory() ?? ".", path)
    }

    private static func join(_ folder: String, _ path: String) -> String {
        folder.hasSuffix("/") ? folder + path : folder + "/" + path
    }

    /// Removes `.` and `..` components and repeated slashes, without asking the file system.
    static func normalise(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !isAbsolute {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        return (isAbsolute ? "/" : "") + parts.joined(separator: "/")
    }
}
