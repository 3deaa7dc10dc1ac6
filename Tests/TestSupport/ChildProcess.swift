import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program the test started: the one process runner of the test suite. It reads stdout and
/// stderr while the program runs (``nextLine()`` streams stdout), can write to its stdin, signal
/// it, and waits for it with a timeout that kills it, so a hang fails one test instead of the run.
///
/// The program runs in a process group of its own, so the timeout and ``signal(_:)`` reach what
/// it started too. With `measuringPeakMemory`, it runs under GNU time (Debian's `time` package):
/// waiting on the program ourselves gives no good figure, because posix_spawn runs it in our memory
/// until its exec and Linux carries the peak from before the exec into its ru_maxrss, so the figure
/// would be this test process's. GNU time forks the program from its own small process.
public final class ChildProcess: @unchecked Sendable {
    /// What the program's standard input is.
    public enum Input: Sendable {
        /// /dev/null.
        case none
        /// A pipe: ``write(_:)`` and ``closeInput()``.
        case pipe
    }

    public let pid: pid_t
    private let stdout: OutputReader
    private let stderr: OutputReader
    private let start = ContinuousClock.now
    private let peakMemoryFile: String?
    private let lock = NSLock()
    private var input: Int32?
    private var result: ProcessResult?

    /// GNU time, for ``init(_:_:environment:in:input:measuringPeakMemory:)``.
    public static let gnuTime = "/usr/bin/time"

    /// Starts `executable` with `arguments`, exactly `environment` and the working directory
    /// `directory` (this process's if nil).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], in directory: String? = nil,
        input: Input = .none, measuringPeakMemory: Bool = false
    ) throws {
        var argv = [executable] + arguments
        if measuringPeakMemory {
            guard FileManager.default.isExecutableFile(atPath: Self.gnuTime) else {
                throw ChildProcessError("install Debian's time package (\(Self.gnuTime)) to measure peak memory")
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("peak-\(UUID().uuidString).txt").path
            argv = [Self.gnuTime, "-f", "%U %S %M", "-o", file] + argv
            peakMemoryFile = file
        } else {
            peakMemoryFile = nil
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let out = try Self.pipe()
        let err = try Self.pipe()
        var inPipe: (read: Int32, write: Int32)?
        if input == .pipe {
            inPipe = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, inPipe!.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        if let directory { try Self.addChangeDirectory(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (pgid = its pid); and default signal dispositions, whatever this
        // process ignores.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for variable in cEnvironment { free(variable) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, argv[0], &actions, &attributes, cArguments, cEnvironment)
        close(out.write)
        close(err.write)
        if let inPipe { close(inPipe.read) }
        guard spawned == 0 else {
            close(out.read)
            close(err.read)
            if let inPipe { close(inPipe.write) }
            throw ChildProcessError("cannot start \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        pid = child
        stdout = OutputReader(out.read)
        stderr = OutputReader(err.read)
        self.input = inPipe?.write
    }

    deinit {
        lock.withLock {
            if let input { close(input) }
            // Never leave a child behind, nor a zombie: a test that forgot to wait kills it here.
            if result == nil {
                kill(-pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
        }
    }

    /// Runs a program to its end and returns what it gave.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], in directory: String? = nil,
        measuringPeakMemory: Bool = false, timeout: Double = 30
    ) throws -> ProcessResult {
        try ChildProcess(executable, arguments, environment: environment, in: directory, measuringPeakMemory: measuringPeakMemory)
            .wait(timeout: timeout)
    }

    /// Sends `number` to the program's process group.
    public func signal(_ number: Int32) { kill(-pid, number) }

    /// The next line of stdout, waiting for it; nil at its end. Blocks: call it off the pool.
    public func nextLine() -> String? { stdout.nextLine() }

    /// ``nextLine()`` off the cooperative pool: the overload async code gets.
    public func nextLine() async -> String? { await offThePool { self.stdout.nextLine() } }

    /// The next line of stderr, waiting for it; nil at its end. What it returns stays in the
    /// result's `stderr`. Blocks: async code gets the async overload.
    public func nextErrorLine() -> String? { stderr.nextLine() }

    /// ``nextErrorLine()`` off the cooperative pool.
    public func nextErrorLine() async -> String? { await offThePool { self.stderr.nextLine() } }

    /// Waits, off the pool, for a line of stderr that contains `text`; false if stderr ended first.
    public func waitForError(containing text: String) async -> Bool {
        await offThePool {
            while let line = self.stderr.nextLine() { if line.contains(text) { return true } }
            return false
        }
    }

    /// What stdout carried after the lines ``nextLine()`` returned, once it ended.
    public func remainingOutput() -> String { stdout.rest() }

    /// Writes to the program's stdin (started with `input: .pipe`).
    public func write(_ text: String) {
        lock.withLock {
            guard let input else { return }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { systemWrite(input, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                bytes = bytes.dropFirst(n)
            }
        }
    }

    /// Closes the program's stdin: it reads its end.
    public func closeInput() {
        lock.withLock {
            if let input { close(input) }
            input = nil
        }
    }

    /// Waits for the exit, killing the process group after `timeout` seconds, and returns what it
    /// gave. Blocks: in async code use ``finished(timeout:)``. Later calls return the same result.
    public func wait(timeout: Double = 30) -> ProcessResult {
        if let done = lock.withLock({ result }) { return done }
        let pid = self.pid
        let watchdog = DispatchWorkItem { kill(-pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        Self.waitForExit(pid)
        watchdog.cancel()
        // Whatever it left running in its group (a program it started in the background) would
        // hold the pipes open, and the test would wait for their end forever.
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let signalled = status & 0x7F != 0
        var peak: Double?
        var cpu: Double?
        if let peakMemoryFile {
            // time writes "Command exited with non-zero status N" (or "... terminated by signal N")
            // before the figures on the last line: user and system seconds, then the peak in KiB.
            let figures = (try? String(contentsOfFile: peakMemoryFile, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: peakMemoryFile)
            let last = (figures.split(separator: "\n").last ?? "").split(separator: " ").compactMap { Double($0) }
            peak = (last.count == 3 ? last[2] : .infinity) / 1024
            cpu = last.count == 3 ? last[0] + last[1] : .infinity
        }
        let finished = ProcessResult(
            status: signalled ? 128 + (status & 0x7F) : (status >> 8) & 0xFF, signal: signalled ? status & 0x7F : nil,
            stdout: stdout.all(), stderr: stderr.all(), seconds: seconds, peakMemoryMiB: peak,
            cpuSeconds: cpu)
        lock.withLock { result = finished }
        return finished
    }

    /// ``wait(timeout:)`` off the cooperative pool.
    public func finished(timeout: Double = 30) async -> ProcessResult {
        await offThePool { self.wait(timeout: timeout) }
    }

    /// ``wait(timeout:)`` off the cooperative pool: the overload async code gets, so a blocking
    /// wait on the pool does not compile.
    public func wait(timeout: Double = 30) async -> ProcessResult { await finished(timeout: timeout) }

    /// ``run(_:_:environment:in:measuringPeakMemory:timeout:)`` off the cooperative pool.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], in directory: String? = nil,
        measuringPeakMemory: Bool = false, timeout: Double = 30
    ) async throws -> ProcessResult {
        try await offThePool {
            try run(
                executable, arguments, environment: environment, in: directory, measuringPeakMemory: measuringPeakMemory, timeout: timeout)
        }
    }

    /// Waits until `pid` has ended but leaves it unreaped: while it is a zombie, its pid and its
    /// process group id cannot be given to another process.
    private static func waitForExit(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    }

    /// A pipe whose descriptors close on exec, set atomically: a program another thread starts at
    /// the same moment must not inherit our end and hold it open.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        #if canImport(Glibc)
            typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pipe2") else { throw ChildProcessError("no pipe2") }
            let pipe2 = unsafeBitCast(symbol, to: Pipe2.self)
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw ChildProcessError("pipe2: \(String(cString: strerror(errno)))") }
        #else
            guard Darwin.pipe(&fds) == 0 else { throw ChildProcessError("pipe: \(String(cString: strerror(errno)))") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        #endif
        return (fds[0], fds[1])
    }

    /// posix_spawn_file_actions_addchdir_np: in glibc 2.29 and later and in macOS, but the Swift
    /// Glibc module does not declare it (it is behind _GNU_SOURCE), so it is looked up.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        #if canImport(Glibc)
            typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np") else {
                throw ChildProcessError("this C library has no posix_spawn_file_actions_addchdir_np")
            }
            let addChdir = unsafeBitCast(symbol, to: AddChdir.self)
            guard addChdir(&actions, directory) == 0 else { throw ChildProcessError("cannot change directory to \(directory)") }
        #else
            guard posix_spawn_file_actions_addchdir_np(&actions, directory) == 0 else {
                throw ChildProcessError("cannot change directory to \(directory)")
            }
        #endif
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#else
    private let systemWrite = Darwin.write
#endif

/// Why a program could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
