/// Why the ledger cannot be opened or written.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process holds the ledger's lock file (`<path>.lock`); `pid` is the holder's, when it could be read.
    case locked(path: String, pid: Int32?)
    /// The ledger's folder or file could not be created, opened or read.
    case cannotOpen(path: String, reason: String)
    /// A record could not be written or made durable (disk full, I/O error...). After this the
    /// ledger refuses further appends.
    case writeFailed(path: String, reason: String)
    /// The ledger was closed before the append.
    case closed(path: String)
    /// The ledger was read without its lock (a run holds it), so nothing may be written to it.
    case readOnly(path: String)

    /// A sentence that names the path and the fix.
    public var description: String {
        switch self {
        case .locked(let path, let pid):
            let holder = pid.map { "another bulk-import process (pid \($0))" } ?? "another bulk-import process"
            return "the state file \(path) is in use by \(holder), which holds \(path).lock. "
                + "Wait for that run to finish or stop it; two runs sharing one state file could import the same data twice. "
                + "To run both at once, give this one a different state file."
        case .cannotOpen(let path, let reason):
            return "cannot open the state file \(path): \(reason). "
                + "Check that its folder exists or can be created and is writable, or choose another state file."
        case .writeFailed(let path, let reason):
            return "cannot write to the state file \(path): \(reason). "
                + "No further jobs are submitted. Fix the cause (free disk space, check the disk) and run again: "
                + "jobs already recorded there will not be imported twice."
        case .readOnly(let path):
            return
                "the state file \(path) is held by a run and was read without recording anything; run status again when that run ends to record what it finds."
        case .closed(let path):
            return "the state file \(path) was already closed when a record was written to it (a bug in bulk-import)."
        }
    }
}
