// import-test-server: runs the ImportTestServer test double (NOT a Milvus) on loopback, for
// benchmarks and for tests in other languages. Prints one line, `listening on http://127.0.0.1:PORT`,
// then serves until SIGINT, SIGTERM or the end of standard input.

import Dispatch
import Foundation
import ImportTestServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: import-test-server [options]

    A loopback TEST DOUBLE of the Milvus / Zilliz Cloud bulk-import HTTP APIs (not a Milvus).
    Prints `listening on http://127.0.0.1:PORT` and serves until SIGINT, SIGTERM or stdin closes.

    options:
      --port N                 port to listen on; 0 (default) picks a free one
      --latency-ms N           delay added to every request (default 0)
      --token T                require `Authorization: Bearer T`
      --collections a,b        known collections; others are refused (default: any)
      --honour-idempotency     honour Idempotency-Key on Milvus v2 create
      --job-duration-ms N      time from create to Completed (default 500; 0: at once)
      --job-polls N            instead: a job is terminal on its N-th progress query
      --job-limit N            unfinished Milvus job limit (default 1024; 0: none)
      --fail-marker TEXT       jobs with a file containing TEXT fail (default "fail"; "" none)
      --no-request-log         keep no request log (long benchmarks)
      --ignore-stdin           do not stop when standard input closes
      -h, --help               show this help
    """

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

func parseArguments(_ arguments: [String]) throws -> (ImportTestServerConfiguration, port: Int, ignoreStdin: Bool)? {
    var configuration = ImportTestServerConfiguration()
    var port = 0
    var ignoreStdin = false
    var index = 0
    func value(_ name: String, inline: String?) throws -> String {
        if let inline { return inline }
        index += 1
        guard index < arguments.count else { throw UsageError(description: "\(name) needs a value") }
        return arguments[index]
    }
    func integer(_ name: String, _ text: String) throws -> Int {
        guard let number = Int(text), number >= 0 else {
            throw UsageError(description: "\(name) needs a whole number of at least 0, not '\(text)'")
        }
        return number
    }
    while index < arguments.count {
        let argument = arguments[index]
        var name = argument
        var inline: String?
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            name = String(argument[..<equals])
            inline = String(argument[argument.index(after: equals)...])
        }
        switch name {
        case "-h", "--help":
            return nil
        case "--port":
            port = try integer(name, try value(name, inline: inline))
            guard port <= 65535 else { throw UsageError(description: "--port must be at most 65535") }
        case "--latency-ms":
            configuration.latency = .milliseconds(try integer(name, try value(name, inline: inline)))
        case "--token":
            configuration.token = try value(name, inline: inline)
        case "--collections":
            let names = try value(name, inline: inline).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            configuration.knownCollections = Set(names.filter { !$0.isEmpty })
        case "--honour-idempotency", "--honor-idempotency":
            configuration.honoursIdempotencyKey = true
        case "--job-duration-ms":
            let ms = try integer(name, try value(name, inline: inline))
            configuration.jobTimeline = ms == 0 ? .immediate : .duration(.milliseconds(ms))
        case "--job-polls":
            configuration.jobTimeline = .polls(max(1, try integer(name, try value(name, inline: inline))))
        case "--job-limit":
            let limit = try integer(name, try value(name, inline: inline))
            configuration.unfinishedJobLimit = limit == 0 ? nil : limit
        case "--fail-marker":
            let marker = try value(name, inline: inline)
            configuration.failMarker = marker.isEmpty ? nil : marker
        case "--no-request-log":
            configuration.recordRequests = false
        case "--ignore-stdin":
            ignoreStdin = true
        default:
            throw UsageError(description: "unknown option '\(argument)'")
        }
        index += 1
    }
    return (configuration, port, ignoreStdin)
}

/// Resumes the waiting task once, whichever of the stop conditions comes first.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<String, Never>?
    private var reason: String?

    func wait() async -> String {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let reason {
                lock.unlock()
                continuation.resume(returning: reason)
            } else {
                self.continuation = continuation
                lock.unlock()
            }
        }
    }

    func fire(_ why: String) {
        lock.lock()
        guard reason == nil else {
            lock.unlock()
            return
        }
        reason = why
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: why)
    }
}

func writeError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

let parsed: (ImportTestServerConfiguration, port: Int, ignoreStdin: Bool)?
do {
    parsed = try parseArguments(Array(CommandLine.arguments.dropFirst()))
} catch {
    writeError("error: \(error)\n\n\(usage)")
    exit(64)
}
guard let (configuration, port, ignoreStdin) = parsed else {
    print(usage)
    exit(0)
}

/// Turns SIGINT and SIGTERM into `stop`. Not main-actor code: the handlers run on a global queue.
nonisolated func watchSignals(_ stop: StopSignal) -> [any DispatchSourceSignal] {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    return [SIGINT, SIGTERM].map { number in
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { @Sendable in stop.fire(number == SIGINT ? "SIGINT" : "SIGTERM") }
        source.resume()
        return source
    }
}

/// Fires `stop` when standard input reaches its end (or fails), from a thread of its own.
nonisolated func watchStandardInput(_ stop: StopSignal) {
    Thread.detachNewThread { @Sendable in
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        stop.fire("end of standard input")
    }
}

let stop = StopSignal()
let signalSources = watchSignals(stop)

let server: ImportTestServer
do {
    server = try await ImportTestServer.start(host: "127.0.0.1", port: port, configuration: configuration)
} catch {
    writeError("error: could not start: \(error)")
    exit(1)
}
// Written straight to the file descriptor: no stdio buffer to flush.
FileHandle.standardOutput.write(Data("listening on \(server.baseURL)\n".utf8))

if !ignoreStdin {
    watchStandardInput(stop)
}

let why = await stop.wait()
writeError("import-test-server: stopping (\(why))")
do {
    try await server.shutdown()
} catch {
    writeError("error: shutdown: \(error)")
    exit(1)
}
withExtendedLifetime(signalSources) {}
exit(0)
