// The C library of the platform, imported in this one place: every target that calls into libc
// (open, read, fsync, flock, clock_gettime, signals, isatty) imports Platform instead of choosing
// between Glibc, Musl and Darwin itself.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Musl)
    @_exported import Musl
#elseif canImport(Darwin)
    @_exported import Darwin
#else
    #error("bulk-import needs a POSIX C library (Glibc, Musl or Darwin)")
#endif

/// The message of the C library's current `errno`.
public func errnoMessage(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

/// `write(2)`, under a name that a type with a `write` method of its own can call unqualified
/// (`Glibc.write` would tie the caller to one C library).
public func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// `read(2)`, for the same reason as ``systemWrite(_:_:_:)``.
public func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// The process's current folder, or nil when it cannot be read (removed, too long).
public func currentDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(cString: buffer)
}
