import Platform

/// The POSIX calls behind ``Ledger`` (internal). Every function retries on `EINTR`.
enum LedgerFileIO {
    /// `strerror(code)`, e.g. "No space left on device".
    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Closes a descriptor (without retrying: on Linux the descriptor is gone even on EINTR).
    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    /// The folder part of `path` ("" for a bare file name, "/" for a file in the root).
    static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Creates the folders leading to the file `path` (like `mkdir -p`), making each new one durable.
    static func makeFolders(for path: String) throws(LedgerError) {
        let folder = folder(of: path)
        guard !folder.isEmpty, folder != "/" else { return }
        var prefixes: [String] = []
        var current = folder
        while !current.isEmpty, current != "/", current != "." {
            prefixes.append(current)
            current = Self.folder(of: current)
        }
        for dir in prefixes.reversed() {
            if mkdir(dir, 0o755) == 0 {
                syncFolder(Self.folder(of: dir))
                continue
            }
            let code = errno
            if code == EEXIST {
                var info = stat()
                if stat(dir, &info) == 0, UInt32(info.st_mode) & UInt32(S_IFMT) != UInt32(S_IFDIR) {
                    throw .cannotOpen(path: path, reason: "\(dir) exists but is not a folder")
                }
                continue
            }
            throw .cannotOpen(path: path, reason: "cannot create the folder \(dir): \(describe(errno: code))")
        }
    }

    /// Makes a folder's entries durable (best effort: some file systems refuse `fsync` on folders).
    static func syncFolder(_ folder: String) {
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard fd >= 0 else { return }
        _ = retrying { fsync(fd) }
        close(fd)
    }

    /// Opens `<path>.lock` and takes an exclusive `flock` on it without waiting, then writes our pid into it.
    /// Returns the lock file's descriptor; closing it releases the lock.
    static func lock(_ path: String) throws(LedgerError) -> Int32 {
        let lockPath = path + ".lock"
        let fd = retrying { open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        guard fd >= 0 else {
            throw .cannotOpen(path: path, reason: "cannot open the lock file \(lockPath): \(describe(errno: errno))")
        }
        if retrying({ flock(fd, LOCK_EX | LOCK_NB) }) != 0 {
            let code = errno
            defer { close(fd) }
            if code == EWOULDBLOCK || code == EAGAIN {
                throw .locked(path: path, pid: readPID(fd))
            }
            throw .cannotOpen(path: path, reason: "cannot lock \(lockPath): \(describe(errno: code))")
        }
        // The pid is only for the message another process shows; failing to write it is harmless.
        var text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeMutableBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return fd
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).filter { $0.isNumber }
        return Int32(text)
    }

    /// Opens (creating it, durably, if needed) the ledger file for reading and appending.
    /// Opens for reading only; nil when the file does not exist.
    static func openForReading(_ path: String) throws(LedgerError) -> Int32? {
        let fd = retrying { open(path, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .cannotOpen(path: path, reason: describe(errno: errno))
        }
        return fd
    }

    static func openFile(_ path: String) throws(LedgerError) -> Int32 {
        var fd = retrying { open(path, O_RDWR | O_APPEND | O_CLOEXEC) }
        if fd < 0, errno == ENOENT {
            fd = retrying { open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
            if fd >= 0 { syncFolder(folder(of: path)) }
        }
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: describe(errno: errno)) }
        var info = stat()
        if fstat(fd, &info) != 0 || UInt32(info.st_mode) & UInt32(S_IFMT) != UInt32(S_IFREG) {
            close(fd)
            throw .cannotOpen(path: path, reason: "it is not a regular file")
        }
        return fd
    }

    /// Reads the whole file.
    static func readAll(_ fd: Int32, path: String) throws(LedgerError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { buffer in retrying { pread(fd, buffer.baseAddress, buffer.count, offset) } }
            if n < 0 { throw .cannotOpen(path: path, reason: "cannot read it: \(describe(errno: errno))") }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            offset += off_t(n)
        }
    }

    /// Appends `bytes` with as few `write` calls as the kernel allows, then `fsync`s.
    /// Returns `nil` on success, otherwise why it failed. After a failed `write` the file is cut
    /// back to its previous size (best effort), so that no half record stays behind.
    static func appendDurably(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var info = stat()
        let sizeBefore: off_t? = fstat(fd, &info) == 0 ? info.st_size : nil
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                retrying { write(fd, buffer.baseAddress! + written, buffer.count - written) }
            }
            if n < 0 {
                let reason = describe(errno: errno)
                if let sizeBefore { _ = ftruncate(fd, sizeBefore) }
                return reason
            }
            written += n
        }
        if retrying({ fsync(fd) }) != 0 {
            return "fsync failed: \(describe(errno: errno))"
        }
        return nil
    }

    private static func retrying<T: SignedInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1, errno == EINTR { continue }
            return result
        }
    }
}
