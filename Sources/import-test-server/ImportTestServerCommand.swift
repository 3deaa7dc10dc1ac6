// import-test-server: runs the ImportTestServer test double (NOT a Milvus) on loopback, for
// benchmarks and for tests in other languages. Prints one line, `listening on http://127.0.0.1:PORT`,
// then serves until SIGINT, SIGTERM or the exit of its parent process (or of --watch-pid's), and,
// with --exit-on-stdin-close, until standard input closes.

import ArgumentParser
import Foundation
import ImportTestServer

@main
struct ImportTestServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-test-server",
        abstract: "A loopback TEST DOUBLE of the Milvus / Zilliz Cloud bulk-import HTTP APIs (not a Milvus).",
        discussion: """
            Prints `listening on http://127.0.0.1:PORT` and serves in the background until SIGINT or \
            SIGTERM, or until the process that started it (or --watch-pid's) exits; with \
            --exit-on-stdin-close also when its standard input closes (a child of a test or a script).
            """
    )

    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one.", valueName: "n"))
    var port = 0

    @Option(name: .customLong("latency-ms"), help: ArgumentHelp("Delay added to every request.", valueName: "n"))
    var latencyMilliseconds = 0

    @Option(help: ArgumentHelp("Require `Authorization: Bearer T`.", valueName: "t"))
    var token: String?

    @Option(help: ArgumentHelp("Known collections; others are refused (default: any).", valueName: "a,b"))
    var collections: String?

    @Flag(
        name: [.customLong("honour-idempotency"), .customLong("honor-idempotency")],
        help: "Honour Idempotency-Key on Milvus v2 create.")
    var honourIdempotency = false

    @Option(
        name: .customLong("job-duration-ms"),
        help: ArgumentHelp("Time from create to Completed (default 500; 0: at once).", valueName: "n"))
    var jobDurationMilliseconds: Int?

    @Option(
        name: .customLong("job-polls"),
        help: ArgumentHelp("Instead: a job is terminal on its N-th progress query.", valueName: "n"))
    var jobPolls: Int?

    @Option(
        name: .customLong("job-limit"),
        help: ArgumentHelp("Unfinished Milvus job limit (default 1024; 0: none).", valueName: "n"))
    var jobLimit: Int?

    @Option(
        name: .customLong("fail-marker"),
        help: ArgumentHelp(#"Jobs with a file containing TEXT fail (default "fail"; "" none)."#, valueName: "text"))
    var failMarker: String?

    @Flag(name: .customLong("no-request-log"), help: "Keep no request log (long benchmarks).")
    var noRequestLog = false

    @Flag(name: .customLong("exit-on-stdin-close"), help: "Stop when standard input closes (for a parent that holds a pipe to it).")
    var exitOnStdinClose = false

    @Option(name: .customLong("watch-pid"), help: ArgumentHelp("Stop when this process exits.", valueName: "pid"))
    var watchPID: Int32?

    /// Once needed to keep the server running with stdin closed; that is now the default.
    @Flag(name: .customLong("ignore-stdin"), help: .hidden)
    var ignoreStdin = false

    func validate() throws {
        let numbers: [(String, Int?)] = [
            ("--port", port), ("--latency-ms", latencyMilliseconds), ("--job-duration-ms", jobDurationMilliseconds),
            ("--job-polls", jobPolls), ("--job-limit", jobLimit),
        ]
        for case (let name, let number?) in numbers where number < 0 {
            throw ValidationError("\(name) needs a whole number of at least 0, not '\(number)'")
        }
        if let watchPID, watchPID <= 1 { throw ValidationError("--watch-pid needs the id of a running process, not '\(watchPID)'") }
        guard port <= 65535 else { throw ValidationError("--port must be at most 65535") }
        if jobDurationMilliseconds != nil && jobPolls != nil {
            throw ValidationError("give --job-duration-ms or --job-polls, not both")
        }
    }

    /// The server's settings from the options.
    var serverConfiguration: ImportTestServerConfiguration {
        var configuration = ImportTestServerConfiguration()
        configuration.latency = .milliseconds(latencyMilliseconds)
        configuration.token = token
        if let collections {
            let names = collections.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            configuration.knownCollections = Set(names.filter { !$0.isEmpty })
        }
        if honourIdempotency { configuration.honoursIdempotencyKey = true }
        if let jobDurationMilliseconds {
            configuration.jobTimeline = jobDurationMilliseconds == 0 ? .immediate : .duration(.milliseconds(jobDurationMilliseconds))
        }
        if let jobPolls { configuration.jobTimeline = .polls(max(1, jobPolls)) }
        if let jobLimit { configuration.unfinishedJobLimit = jobLimit == 0 ? nil : jobLimit }
        if let failMarker { configuration.failMarker = failMarker.isEmpty ? nil : failMarker }
        if noRequestLog { configuration.recordRequests = false }
        return configuration
    }

    func run() async throws {
        let stop = StopSignal()
        let signalSources = stop.watchSignals()
        stop.watchParent()
        if let watchPID {
            guard kill(watchPID, 0) == 0 || errno == EPERM else {
                writeError("error: --watch-pid \(watchPID): no such process; give the id of a running process")
                throw ExitCode.failure
            }
            stop.watch(pid: watchPID)
        }

        let server: ImportTestServer
        do {
            server = try await ImportTestServer.start(host: "127.0.0.1", port: port, configuration: serverConfiguration)
        } catch {
            writeError("error: could not start: \(error)")
            throw ExitCode.failure
        }
        // Written straight to the file descriptor: no stdio buffer to flush.
        FileHandle.standardOutput.write(Data("listening on \(server.baseURL)\n".utf8))

        if exitOnStdinClose && !ignoreStdin { stop.watchStandardInput() }

        let why = await stop.wait()
        writeError("import-test-server: stopping (\(why))")
        do {
            try await server.shutdown()
        } catch {
            writeError("error: shutdown: \(error)")
            throw ExitCode.failure
        }
        withExtendedLifetime(signalSources) {}
    }
}

func writeError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
