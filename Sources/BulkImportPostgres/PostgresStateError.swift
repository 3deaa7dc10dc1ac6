/// Why the PostgreSQL state cannot be opened, read or written. `location` is the URL without its
/// password; no case carries the password anywhere.
public enum PostgresStateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server cannot be reached or went away (not running, restarted, network down, timed out).
    case unreachable(location: String, reason: String)
    /// The server refused this user, password or database.
    case refused(location: String, reason: String)
    /// TLS could not be set up as the URL's `sslmode` asks.
    case tls(location: String, reason: String)
    /// The state's tables were written by a newer bulk-import (a higher schema version).
    case newerSchema(location: String, version: String)
    /// The database holds no bulk-import state (no tables), and the command only reads one.
    case noState(location: String)
    /// A statement failed for another reason (permissions, a full disk...).
    case queryFailed(location: String, reason: String)
    /// The store was closed before the call (a bug in bulk-import).
    case closed(location: String)

    /// A sentence that says what happened, where, and the fix.
    public var description: String {
        switch self {
        case .unreachable(let location, let reason):
            return "the PostgreSQL state at \(location) is unreachable: \(reason). "
                + "No further jobs are submitted; nothing recorded is lost. "
                + "Run again when it is back (check that the server runs and that host, port and sslmode are right)."
        case .refused(let location, let reason):
            return "the PostgreSQL server at \(location) refused the connection: \(reason). "
                + "Check the user, the password and the database in the state URL (the database must exist)."
        case .tls(let location, let reason):
            return "cannot set up TLS for the PostgreSQL state at \(location): \(reason). "
                + "Check the server's certificate, or choose another sslmode in the state URL."
        case .newerSchema(let location, let version):
            return "the PostgreSQL state at \(location) was written by a newer bulk-import (schema version \(version); "
                + "this one knows version 1). Upgrade bulk-import to use it; it is left untouched."
        case .noState(let location):
            return "the PostgreSQL database at \(location) holds no bulk-import state (no bulk_import_records table). "
                + "Check the state URL (host, port and database), or run the manifest first: `run` creates the tables."
        case .queryFailed(let location, let reason):
            return "the PostgreSQL state at \(location) could not be read or written: \(reason). "
                + "Nothing recorded is lost. Check the user's permissions on the bulk_import_* tables and the server's log, then run again."
        case .closed(let location):
            return "the PostgreSQL state at \(location) was already closed when it was used (a bug in bulk-import)."
        }
    }
}
