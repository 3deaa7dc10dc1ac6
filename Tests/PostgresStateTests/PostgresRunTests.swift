import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `bulk-import` runs on a PostgreSQL state, as pipelines and teams use it: the built binary, the
/// loopback import double, a real PostgreSQL, several runners, one killed with -9, and the
/// database restarted mid-run. Every job is created exactly once, and the password is never written.
@Suite(
    "runs on a PostgreSQL state", .serialized,
    .enabled(if: PostgresServer.available, "Debian's postgresql package is not installed"),
    .postgresServer)
struct PostgresRunTests {
    static let password = "pw-S3CRET-9f2"

    var server: PostgresServer {
        get throws { try #require(PostgresServer.current, "the suite's PostgreSQL is not running") }
    }

    /// A folder with a manifest of `count` jobs whose state is a new database, its password given
    /// as $<PGPASSWORD>.
    struct Workspace {
        let folder: TemporaryFolder
        let manifest: String
        /// The state's URL with `$<PGPASSWORD>` in it, and the same URL resolved.
        let stateURL: String
        let resolvedURL: String
        let environment: [String: String]

        init(postgres: PostgresServer, imports: ImportTestServer, count: Int) async throws {
            folder = try TemporaryFolder()
            let database = try await postgres.createDatabase()
            // postgres://bulkimport_pw:PASSWORD@127.0.0.1:PORT/DB?sslmode=disable
            let withPassword = database.passwordURL
            let password = try #require(withPassword.split(separator: ":").dropFirst(2).first?.split(separator: "@").first.map(String.init))
            resolvedURL = withPassword
            stateURL = withPassword.replacingOccurrences(of: ":\(password)@", with: ":$<PGPASSWORD>@")
            environment = ["PGPASSWORD": password, "MILVUS_TOKEN": PostgresRunTests.password]
            var text = """
                version: 1
                state: \(stateURL)
                targets:
                  local:
                    milvus:
                      uri: \(imports.baseURL)
                      token: $<MILVUS_TOKEN>
                jobs:

                """
            for i in 0..<count {
                text += "  - {name: job-\(i), target: local, collection_name: products, files: [data/part-\(i).parquet]}\n"
            }
            manifest = try folder.write("imports.yaml", text)
        }

        func run(_ arguments: [String], timeout: Double = 120) async throws -> ProcessResult {
            let (folder, environment) = (folder.url, environment)
            return try await offThePool { try BulkImport.run(arguments, environment: environment, in: folder, timeout: timeout) }
        }

        func start(_ arguments: [String]) throws -> ChildProcess {
            try BulkImport.start(arguments, environment: environment.merging(BulkImport.leakCheckOff) { $1 }, in: folder.url)
        }

        /// Everything written into the folder.
        func written() -> String {
            var text = ""
            let files = FileManager.default.enumerator(at: folder.url, includingPropertiesForKeys: nil)
            while let url = files?.nextObject() as? URL {
                if let data = try? Data(contentsOf: url) { text += String(decoding: data, as: UTF8.self) }
            }
            return text
        }

        func expectNoSecret(_ texts: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let secrets = [environment["PGPASSWORD"]!, PostgresRunTests.password]
            for text in texts + [written()] {
                for secret in secrets {
                    #expect(!text.contains(secret), "a secret was written: \(text)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    static func withImports<T>(
        _ configure: @escaping @Sendable (inout ImportTestServerConfiguration) -> Void = { _ in },
        _ body: (ImportTestServer) async throws -> T
    ) async throws -> T {
        var configuration = ImportTestServerConfiguration()
        configuration.token = PostgresRunTests.password
        configuration.jobTimeline = .polls(2)
        configure(&configuration)
        let started = configuration
        return try await withOpened({ try await ImportTestServer.start(configuration: started) }, close: { try await $0.shutdown() }, body)
    }

    static func createdPerFile(_ server: ImportTestServer) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in await server.jobs() { counts[job.files.first?.first ?? "?", default: 0] += 1 }
        return counts
    }

    @Test func runStatusListExportAndImportOnPostgreSQLWithoutEverWritingThePassword() async throws {
        let postgres = try server
        try await Self.withImports { imports in
            let space = try await Workspace(postgres: postgres, imports: imports, count: 4)
            defer { space.folder.remove() }
            // status before any run: the database has no state, and nothing is created in it.
            let early = try await space.run(["status", space.manifest])
            #expect(early.status == 1 && early.stderr.contains("there is no state at"), "\(early)")

            let first = try await space.run(["run", space.manifest, "--wait", "--poll-interval", "0.05"])
            #expect(first.status == 0 && first.stdout.contains("4 completed"), "\(first)")
            #expect(first.stderr.contains("starting a new, empty state at postgres://bulkimport_pw@"), "\(first)")
            let again = try await space.run(["run", space.manifest])
            #expect(again.status == 0 && again.stdout.contains("4 skipped"), "\(again)")
            let status = try await space.run(["status", space.manifest])
            #expect(status.status == 0, "\(status)")
            let list = try await space.run(["list", "local", space.manifest])
            #expect(list.status == 0 && list.stdout.contains("4 in the ledger"), "\(list)")

            let file = space.folder.url.appendingPathComponent("exported.jsonl").path
            let export = try await space.run(["state", "export", "--from", space.stateURL, "--to", file])
            #expect(export.status == 0 && export.stdout.contains("of 4 jobs"), "\(export)")
            let fromFile = try Ledger.snapshot(path: file)
            #expect(fromFile.count == 4 && fromFile.allSatisfy { $0.status == .completed && $0.jobIDs.count == 1 })

            let other = try await postgres.createDatabase()
            let otherURL = other.passwordURL.replacingOccurrences(of: ":\(space.environment["PGPASSWORD"]!)@", with: ":$<PGPASSWORD>@")
            let imported = try await space.run(["state", "import", "--from", file, "--to", otherURL])
            #expect(imported.status == 0, "\(imported)")
            // Only into an empty state.
            let twice = try await space.run(["state", "import", "--from", file, "--to", otherURL])
            #expect(twice.status == 1 && twice.stderr.contains("already holds"), "\(twice)")
            let onImported = try await space.run(["run", space.manifest, "--state", otherURL])
            #expect(onImported.status == 0 && onImported.stdout.contains("4 skipped"), "\(onImported)")
            #expect(await imports.jobs().count == 4)
            space.expectNoSecret([
                early.output, first.output, again.output, status.output, list.output, export.output, imported.output, twice.output,
                onImported.output,
            ])
        }
    }

    @Test func threeRunnersOneKilledDashNineThenARerunCreateEveryJobExactlyOnce() async throws {
        let postgres = try server
        try await Self.withImports({ $0.latency = .milliseconds(30) }) { imports in
            let count = 90
            let space = try await Workspace(postgres: postgres, imports: imports, count: count)
            defer { space.folder.remove() }
            let arguments = [
                "run", space.manifest, "--concurrency", "4", "--claim-lease", "2", "--request-timeout", "1", "--progress", "lines",
            ]
            // Kill one at a seeded random moment once creates are flowing: as the import double
            // reads the killAt-th create, from its own thread (a test task on a loaded pool can
            // wake after the runners are done).
            var random = SeededRandom(
                seed: UInt64(ProcessInfo.processInfo.environment["DRILL_SEED"] ?? "") ?? UInt64.random(in: 1...1_000_000))
            let killAt = Int.random(in: 5...40, using: &random)
            let cue = SignalCue(SIGKILL)
            await imports.trip(onRequest: killAt, path: "/v2/vectordb/jobs/import/create") { cue.fire() }
            let runners = try (0..<3).map { _ in try space.start(arguments) }
            defer { for runner in runners { runner.signal(SIGKILL) } }
            cue.attach(runners[1])
            try await waitUntil { cue.isDue }
            let killed = await runners[1].finished(timeout: 120)
            #expect(killed.status == 128 + SIGKILL, "the runner ended before its kill; the drill proves nothing: \(killed)")
            let survivors = [await runners[0].finished(timeout: 120), await runners[2].finished(timeout: 120)]
            for result in survivors { #expect(result.status == 0 || result.status == 1, "\(result)") }
            // The killed runner's claims expire after the lease; its unknown creates settle after
            // the request timeout + 5 s. Then a re-run resolves everything from the target.
            try await Task.sleep(for: .seconds(7))
            let rerun = try await space.run(["run", space.manifest, "--request-timeout", "1"])
            #expect(rerun.status == 0, "seed \(random.seed): \(rerun)")
            let perFile = await Self.createdPerFile(imports)
            #expect(
                perFile.count == count && perFile.values.allSatisfy { $0 == 1 }, "seed \(random.seed): \(perFile.filter { $0.value != 1 })")
            // Every created job is in the state under its job's name.
            let exported = space.folder.url.appendingPathComponent("all.jsonl").path
            let export = try await space.run(["state", "export", "--from", space.stateURL, "--to", exported])
            #expect(export.status == 0, "\(export)")
            let entries = try Ledger.snapshot(path: exported)
            #expect(entries.count == count && entries.allSatisfy { $0.status == .submitted || $0.status == .completed })
            #expect(Set(entries.flatMap(\.jobIDs)) == Set(await imports.jobs().map(\.id)))
            space.expectNoSecret(survivors.map(\.output) + [rerun.output])
        }
    }

    @Test func postgreSQLRestartedMidRunLosesNothing() async throws {
        let postgres = try server
        // 250 ms a create, 2 at a time: 4 s of creates are left when the database stops. At 40 ms
        // a loaded machine was still stopping it when the run had ended, and the test proved nothing.
        try await Self.withImports({ $0.latency = .milliseconds(250) }) { imports in
            let count = 40
            let space = try await Workspace(postgres: postgres, imports: imports, count: count)
            defer { space.folder.remove() }
            // A short lease: claims the runner cannot release while the database is away lapse soon.
            let runner = try space.start(["run", space.manifest, "--concurrency", "2", "--claim-lease", "3", "--progress", "lines"])
            defer { runner.signal(SIGKILL) }
            try await waitUntil { await imports.jobs().count >= 8 }
            try await postgres.stop()
            try await Task.sleep(for: .milliseconds(500))
            try await postgres.restart()
            let result = await runner.finished(timeout: 180)
            // The run stopped submitting when the database went, and said why.
            #expect(result.status == 1, "\(result)")
            #expect(result.output.contains("unreachable") || result.output.contains("could not"), "\(result)")
            #expect(await imports.jobs().count < count, "\(result)")
            await imports.setLatency(.zero)
            let rerun = try await space.run(["run", space.manifest, "--request-timeout", "1"])
            if rerun.status != 0 {
                // A create whose outcome stayed unknown settles after the request timeout + 5 s.
                try await Task.sleep(for: .seconds(7))
            }
            let final = rerun.status == 0 ? rerun : try await space.run(["run", space.manifest, "--request-timeout", "1"])
            #expect(final.status == 0, "\(rerun)\n\(final)")
            let perFile = await Self.createdPerFile(imports)
            #expect(perFile.count == count && perFile.values.allSatisfy { $0 == 1 }, "\(perFile.filter { $0.value != 1 })")
            space.expectNoSecret([result.output, rerun.output, final.output])
        }
    }

    @Test func aDeadRunnersClaimsLapseAndAnotherRunnerTakesItsJobs() async throws {
        let postgres = try server
        try await Self.withImports { imports in
            let space = try await Workspace(postgres: postgres, imports: imports, count: 5)
            defer { space.folder.remove() }
            // Make the state, then let a runner claim three jobs and die with them.
            let plan = try await space.run(["state", "import", "--from", try space.folder.write("empty.jsonl", ""), "--to", space.stateURL])
            #expect(plan.status == 0, "\(plan)")
            let holderPath = BulkImport.productsFolder.appendingPathComponent("postgres-claim-holder").path
            let holder = try ChildProcess(
                holderPath, [space.resolvedURL, "dead-runner:1", "3", "job-0", "job-1", "job-2"], environment: ["PATH": "/usr/bin:/bin"])
            defer { holder.signal(SIGKILL) }
            while let line = await holder.nextLine(), line != "ready" {}
            holder.signal(SIGKILL)
            _ = await holder.wait()

            let result = try await space.run(["run", space.manifest, "--progress", "lines"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("claimed    job-0: another runner (dead-runner:1) holds it"), "\(result)")
            #expect(result.stdout.contains("5 submitted"), "\(result)")
            let perFile = await Self.createdPerFile(imports)
            #expect(perFile.count == 5 && perFile.values.allSatisfy { $0 == 1 }, "\(perFile)")
            space.expectNoSecret([result.output])
        }
    }

    @Test func aLiveRunnersJobsAreLeftToItAndOnesItSubmittedAreSkipped() async throws {
        let postgres = try server
        // Creates take 4 s: the first runner holds its jobs, renewing its claims, while the second looks.
        try await Self.withImports({ $0.latency = .seconds(4) }) { imports in
            let space = try await Workspace(postgres: postgres, imports: imports, count: 2)
            defer { space.folder.remove() }
            let first = try space.start(["run", space.manifest, "--claim-lease", "3", "--progress", "lines"])
            defer { first.signal(SIGKILL) }
            try await waitUntil { await imports.statistics().inFlight >= 2 }
            let second = try await space.run(["run", space.manifest, "--claim-lease", "3", "--progress", "lines"])
            let firstResult = await first.finished(timeout: 60)
            #expect(firstResult.status == 0 && firstResult.stdout.contains("2 submitted"), "\(firstResult)")
            #expect(second.status == 0, "\(second)")
            // The second runner saw both jobs held, and either saw the holder renew (alive: left to
            // it) or found them submitted by it once it let go (skipped): never sent them.
            #expect(second.stdout.components(separatedBy: "claimed    job-").count - 1 == 2, "\(second)")
            let leftOrSkipped =
                second.stdout.components(separatedBy: "left to that runner").count - 1
                + second.stdout.components(separatedBy: "done by another runner").count - 1
            #expect(leftOrSkipped == 2, "\(second)")
            #expect(!second.stdout.contains("submitted  job-"), "\(second)")
            let perFile = await Self.createdPerFile(imports)
            #expect(perFile.count == 2 && perFile.values.allSatisfy { $0 == 1 }, "\(perFile)")
        }
    }

    func waitUntil(_ seconds: Double = 60, _ condition: () async -> Bool) async throws {
        let end = Date().addingTimeInterval(seconds)
        while !(await condition()) {
            if Date() > end {
                Issue.record("timed out waiting")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A small, seedable generator, so a failing drill can be replayed with DRILL_SEED.
struct SeededRandom: RandomNumberGenerator {
    let seed: UInt64
    private var state: UInt64
    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
