import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// Collects run events for assertions.
final class EventLog: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [RunEvent] = []
    private var standingStorage: [JobStanding] = []
    func handle(_ event: RunEvent) { lock.withLock { storage.append(event) } }
    func standing(_ standing: JobStanding) { lock.withLock { standingStorage.append(standing) } }
    var events: [RunEvent] { lock.withLock { storage } }
    var standings: [JobStanding] { lock.withLock { standingStorage } }
    var lines: [String] { events.compactMap { RunEventFormatter().text($0) } }
    var json: [String] { events.map { RunEventFormatter().json($0) } }
}

/// A loopback test server, a transport and a ledger path for one test, opened only through
/// ``with(_:_:)``, which closes them whatever the test does.
struct Harness {
    let server: ImportTestServer
    let ledgerPath: String
    var transport: AsyncHTTPTransport { resources.transport }
    private let resources: Resources

    /// What a harness opened. If `stop()` is never reached (a body that never returns), they are
    /// closed when the last copy of the harness goes: an HTTPClient released without its shutdown
    /// traps ("Client not shut down before the deinit") and takes the whole test process down.
    private final class Resources: @unchecked Sendable {
        let transport = AsyncHTTPTransport()
        let server: ImportTestServer
        let folder: String
        private let lock = NSLock()
        private var stopped = false

        init(server: ImportTestServer, folder: String) {
            self.server = server
            self.folder = folder
        }

        func stop() async {
            guard
                lock.withLock({ () -> Bool in
                    defer { stopped = true }
                    return !stopped
                })
            else { return }
            await Self.close(transport, server, folder)
        }

        deinit {
            guard !lock.withLock({ stopped }) else { return }
            // The task keeps the transport alive until its shutdown has finished.
            let (transport, server, folder) = (transport, server, folder)
            Task { await Self.close(transport, server, folder) }
        }

        private static func close(_ transport: AsyncHTTPTransport, _ server: ImportTestServer, _ folder: String) async {
            await transport.shutdown()
            try? await server.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    private static func start(_ configure: (inout ImportTestServerConfiguration) -> Void = { _ in }) async throws -> Harness {
        var configuration = ImportTestServerConfiguration()
        configuration.jobTimeline = .polls(2)
        configure(&configuration)
        let server = try await ImportTestServer.start(configuration: configuration)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bi-exec-\(UUID().uuidString)").path
        return Harness(server: server, ledgerPath: dir + "/state.jsonl", resources: Resources(server: server, folder: dir))
    }

    /// Runs `body` with a fresh harness and stops it afterwards, whether `body` returns or throws.
    static func with<T>(
        _ configure: (inout ImportTestServerConfiguration) -> Void = { _ in }, _ body: (Harness) async throws -> T
    ) async throws -> T {
        let harness = try await start(configure)
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    /// A job importing `files`, by default a file of its own (`data/NAME.parquet`): two jobs of one
    /// run importing the same file into one collection would be one import on the target, and
    /// reconciliation could adopt one's job for the other.
    func milvusJob(
        _ name: String, collection: String = "products", files: [[String]]? = nil, token: String? = "root:Milvus-s3cr3t",
        api: BulkImportKit.ImportAPI = .milvusV2
    ) -> ImportJob {
        let files = files ?? [["data/\(name).parquet"]]
        var target = ImportTarget(name: "local", api: api, endpoint: try! Endpoint(parsing: server.baseURL, defaultScheme: nil))
        target.token = token.map(Secret.init)
        return ImportJob(
            name: name, location: ManifestLocation(file: "m.yaml"), target: target, collectionName: collection,
            files: files, options: [ImportOption("timeout", "300s")])
    }

    func zillizJob(_ name: String, api: BulkImportKit.ImportAPI = .zillizV2) -> ImportJob {
        var target = ImportTarget(name: "cloud", api: api, endpoint: try! Endpoint(parsing: server.baseURL, defaultScheme: nil))
        target.apiKey = Secret("zk-API-s3cr3t")
        target.clusterID = "in01-0123456789abcdef"
        return ImportJob(
            name: name, location: ManifestLocation(file: "m.yaml"), target: target, collectionName: "articles",
            files: [["s3://bucket/articles/1.parquet"]], accessKey: Secret("AKIA-s3cr3t"), secretKey: Secret("SK-s3cr3t-value"))
    }

    func run(
        _ jobs: [ImportJob], options: RunOptions = RunOptions(), log: EventLog = EventLog(),
        requestTimeout: Duration = .seconds(5), redactor: Redactor = Redactor(),
        maxRetryAfter: Duration = .seconds(2), interrupt: InterruptFlag = InterruptFlag()
    ) async throws -> RunSummary {
        let ledger = try await openLedger()
        let executor = executor(
            ledger, options: options, log: log, requestTimeout: requestTimeout, redactor: redactor,
            maxRetryAfter: maxRetryAfter, interrupt: interrupt)
        let summary = await executor.run(jobs)
        await ledger.close()
        return summary
    }

    /// `bulk-import status` over `jobs`: polls once, or to the end with `options.wait`.
    func status(_ jobs: [ImportJob], options: RunOptions, log: EventLog = EventLog()) async throws -> RunSummary {
        let ledger = try await openLedger()
        let summary = try await executor(ledger, options: options, log: log).status(jobs)
        await ledger.close()
        return summary
    }

    private func executor(
        _ ledger: Ledger, options: RunOptions, log: EventLog, requestTimeout: Duration = .seconds(5), redactor: Redactor = Redactor(),
        maxRetryAfter: Duration = .seconds(2), interrupt: InterruptFlag = InterruptFlag()
    ) -> ImportExecutor {
        var options = options
        options.retry = RetryPolicy(
            maxAttempts: options.retry.maxAttempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50), maxRetryAfter: maxRetryAfter)
        options.pollInterval = .milliseconds(20)
        return ImportExecutor(
            service: HTTPImportService(transport: transport, timeout: requestTimeout), ledger: ledger,
            options: options, observer: log, interrupt: interrupt, redactor: redactor)
    }

    /// Opens the ledger, which the previous `run` may have closed a moment ago. `close()` releases
    /// the flock at once, but a child process that another test is spawning at that moment holds a
    /// copy of the lock's descriptor until its exec (O_CLOEXEC closes it only then), and under load
    /// that window is long enough to be hit (a machine running every suite at once held it for
    /// over 2 s). So wait it out, up to a minute, as LedgerTests' `openAfterClose` does.
    func openLedger() async throws -> Ledger {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try Ledger.open(path: ledgerPath)
            } catch LedgerError.locked(_, let pid) where pid == getpid() && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    func creates() async -> [RecordedRequest] {
        await server.requests().filter {
            $0.path.hasSuffix("/create") || $0.path == "/api/v1/import" || $0.path.hasSuffix("collections/import")
        }
    }

    /// Shuts the transport and the server down and removes the ledger's folder. Twice is fine.
    private func stop() async {
        await resources.stop()
    }
}

extension RunOptions {
    /// Options that follow every job to its end, as `--wait` does.
    static var waiting: RunOptions {
        var options = RunOptions()
        options.wait = true
        return options
    }
}

@Suite("Executor against the loopback test server")
struct ExecutorTests {
    @Test func milvusCreateSendsTheDocumentedBodyAndHeaders() async throws {
        try await Harness.with { h in
            let summary = try await h.run([h.milvusJob("p1")])
            #expect(summary.submitted == 1 && summary.exitCode == 0)
            let create = try #require(await h.creates().first)
            #expect(create.method == "POST")
            #expect(create.path == "/v2/vectordb/jobs/import/create")
            #expect(create.header("Authorization") == "Bearer root:Milvus-s3cr3t")
            #expect(create.header("Request-Timeout") == "60")
            #expect(create.header("User-Agent") == "bulk-import/\(BulkImportVersion.current)")
            #expect(create.header("Idempotency-Key")?.hasPrefix("bulk-import-") == true)
            #expect(create.bodyText == #"{"collectionName":"products","files":[["data/p1.parquet"]],"options":{"timeout":"300s"}}"#)
        }
    }

    @Test func zillizV2AndV1CreatesFollowTheReference() async throws {
        try await Harness.with { h in
            // Two different objects: the same object in the same collection would be one import,
            // and whichever job came second would adopt the first one's job on the target.
            var v1Job = h.zillizJob("z1", api: .zillizV1)
            v1Job.files = [["s3://bucket/articles/2.parquet"]]
            let summary = try await h.run([h.zillizJob("z2"), v1Job])
            #expect(summary.submitted == 2)
            let creates = await h.creates()
            let v2 = try #require(creates.first { $0.path == "/v2/vectordb/jobs/import/create" })
            #expect(v2.bodyText.contains(#""objectUrls":[["s3://bucket/articles/1.parquet"]]"#))
            #expect(v2.bodyText.contains(#""clusterId":"in01-0123456789abcdef""#))
            #expect(v2.header("Authorization") == "Bearer zk-API-s3cr3t")
            let v1 = try #require(creates.first { $0.path == "/v1/vector/collections/import" })
            #expect(v1.bodyText.contains(#""objectUrl":"s3://bucket/articles/2.parquet""#))
        }
    }

    @Test func rateLimitAndNotReadyAreRetriedHonouringRetryAfter() async throws {
        try await Harness.with { h in
            await h.server.inject(.unavailable(retryAfter: 1, times: 1, path: "/v2/vectordb/jobs/import/create"))
            await h.server.inject(.businessError(code: 8, times: 1, path: "/v2/vectordb/jobs/import/create"))
            let log = EventLog()
            let summary = try await h.run([h.milvusJob("p1")], log: log)
            #expect(summary.submitted == 1)
            #expect(await h.creates().count == 3)
            #expect(await h.server.jobsCreated(collection: "products") == 1)
            let retries = log.events.compactMap { if case .retrying(_, _, let d, _, _) = $0 { return d } else { return nil } }
            #expect(retries.count == 2)
            #expect(retries[0] >= 0.99)  // Retry-After: 1
        }
    }

    @Test func aRetryAfterOfAnHourIsClampedAndReported() async throws {
        try await Harness.with { h in
            await h.server.inject(.rateLimited(retryAfter: 3600, times: 1, path: "/v2/vectordb/jobs/import/create"))
            let log = EventLog()
            _ = try await h.run([h.milvusJob("p1")], log: log)
            #expect(log.events.contains { if case .retrying(_, _, let d, _, true) = $0 { return d <= 2 } else { return false } })
        }
    }

    @Test func permanentErrorsAreNotRetried() async throws {
        try await Harness.with({ $0.knownCollections = ["products"] }) { h in
            let log = EventLog()
            let summary = try await h.run([h.milvusJob("nope", collection: "missing")], log: log)
            #expect(summary.failed == 1 && summary.exitCode == 1)
            #expect(await h.creates().count == 1)
            #expect(log.lines.contains { $0.contains("failed") && $0.contains("code 100") })
        }
    }

    @Test func anAmbiguousCreateIsUnknownAndNeverResentSilently() async throws {
        try await Harness.with { h in
            await h.server.inject(.dropConnection(afterProcessing: true, times: 1, path: "/v2/vectordb/jobs/import/create"))
            let first = try await h.run([h.milvusJob("p1")])
            #expect(first.unknown == 1 && first.exitCode == 1)
            #expect(await h.server.jobsCreated(collection: "products") == 1)
            // A plain re-run that does not ask the target does not send it again.
            var options = RunOptions()
            options.reconcile = false
            let again = try await h.run([h.milvusJob("p1")], options: options)
            #expect(again.unknown == 1)
            #expect(await h.creates().count == 1)
            // One that asks finds it, and adopts it with the target's id.
            let log = EventLog()
            let reconciled = try await h.run([h.milvusJob("p1")], log: log)
            #expect(reconciled.adopted == 1 && reconciled.unknown == 0 && reconciled.exitCode == 0, "\(reconciled)")
            #expect(await h.creates().count == 1)
            let id = try #require(await h.server.jobs().first?.id)
            let entry = try #require(try Ledger.snapshot(path: h.ledgerPath).first)
            #expect(entry.status == .submitted && entry.jobIDs == [id])
            #expect(entry.note?.hasPrefix("adopted from the target") == true)
            #expect(log.lines.contains { $0.hasPrefix("adopted    p1: job \(id)") }, "\(log.lines)")
            // And a later run skips it as any submitted job.
            #expect(try await h.run([h.milvusJob("p1")]).skipped == 1)
        }
    }

    @Test func anUnknownCreateTheTargetDoesNotHaveIsSentAgainOnlyOnceItHasSettled() async throws {
        try await Harness.with({ $0.honoursIdempotencyKey = true }) { h in
            // The create is refused before it is handled, but the client cannot know that.
            await h.server.inject(.dropConnection(afterProcessing: false, times: 1, path: "/v2/vectordb/jobs/import/create"))
            let first = try await h.run([h.milvusJob("p1")])
            #expect(first.unknown == 1)
            #expect(await h.server.jobs().isEmpty)
            // Just after: the create might still be in the server's hands, so it stays unknown.
            let log = EventLog()
            let soon = try await h.run([h.milvusJob("p1")], log: log)
            #expect(soon.unknown == 1 && soon.submitted == 0, "\(soon)")
            #expect(log.lines.contains { $0.contains("may still be in the server's hands") }, "\(log.lines)")
            // Once it has settled, the target's "no such job" is believed: sent with the same key.
            var options = RunOptions()
            options.unknownCreateSettles = .zero
            let later = try await h.run([h.milvusJob("p1")], options: options)
            #expect(later.submitted == 1 && later.unknown == 0, "\(later)")
            let keys = await h.creates().map { $0.header("Idempotency-Key") }
            #expect(keys.count == 2 && keys[0] == keys[1])
            #expect(await h.server.jobs().count == 1)
        }
    }

    @Test func retryUnknownResendsWithTheSameIdempotencyKey() async throws {
        try await Harness.with({ $0.honoursIdempotencyKey = true }) { h in
            await h.server.inject(.dropConnection(afterProcessing: true, times: 1, path: "/v2/vectordb/jobs/import/create"))
            _ = try await h.run([h.milvusJob("p1")])
            var options = RunOptions()
            options.retryUnknown = true
            options.reconcile = false
            let second = try await h.run([h.milvusJob("p1")], options: options)
            #expect(second.submitted == 1)
            let keys = await h.creates().map { $0.header("Idempotency-Key") }
            #expect(keys.count == 2 && keys[0] == keys[1])
            #expect(await h.server.jobsCreated(collection: "products") == 1)
        }
    }

    @Test func anAmbiguousCreateRetriedWithRetryUnknownStaysUnknownWhenTheRetriesRunOut() async throws {
        try await Harness.with { h in
            await h.server.inject(.dropConnection(afterProcessing: true, times: nil, path: "/v2/vectordb/jobs/import/create"))
            var options = RunOptions()
            options.retryUnknown = true
            options.retry.maxAttempts = 2
            let first = try await h.run([h.milvusJob("p1")], options: options)
            #expect(first.unknown == 1 && first.failed == 0, "\(first)")
            #expect(await h.creates().count == 2)
            #expect(try Ledger.snapshot(path: h.ledgerPath).first?.status == .unknown)
            // So a plain re-run does not send it a third time: it may have been created twice already.
            var plain = RunOptions()
            plain.reconcile = false
            let again = try await h.run([h.milvusJob("p1")], options: plain)
            #expect(again.unknown == 1)
            #expect(await h.creates().count == 2)
            // Asking the target finds both, adopts one, and names the other.
            let log = EventLog()
            let reconciled = try await h.run([h.milvusJob("p1")], log: log)
            #expect(reconciled.adopted == 1 && reconciled.unknown == 0, "\(reconciled)")
            #expect(await h.creates().count == 2)
        }
    }

    @Test func aReRunSkipsSubmittedJobsAndResubmitsChangedOnes() async throws {
        try await Harness.with { h in
            _ = try await h.run([h.milvusJob("p1"), h.milvusJob("p2")])
            let log = EventLog()
            let second = try await h.run([h.milvusJob("p1"), h.milvusJob("p2", files: [["data/b.parquet"]])], log: log)
            #expect(second.skipped == 1 && second.submitted == 1)
            #expect(log.lines.contains { $0.hasPrefix("skipped") && $0.contains("already submitted as job") && $0.contains("--resubmit") })
            #expect(log.events.contains { if case .changed("p2", _) = $0 { return true } else { return false } })
            #expect(await h.creates().count == 3)
        }
    }

    @Test func concurrencyIsBounded() async throws {
        try await Harness.with({ $0.latency = .milliseconds(30) }) { h in
            var options = RunOptions()
            options.concurrency = 4
            let jobs = (0..<24).map { h.milvusJob("j\($0)", files: [["data/\($0).parquet"]]) }
            let summary = try await h.run(jobs, options: options)
            #expect(summary.submitted == 24)
            let stats = await h.server.statistics()
            #expect(stats.maxInFlight <= 4)
            #expect(stats.maxInFlight >= 2)
        }
    }

    @Test func failFastStopsSubmitting() async throws {
        try await Harness.with({ $0.knownCollections = ["products"] }) { h in
            var options = RunOptions()
            options.concurrency = 1
            options.failFast = true
            let jobs = [h.milvusJob("bad", collection: "missing")] + (0..<5).map { h.milvusJob("j\($0)", files: [["d/\($0).json"]]) }
            let summary = try await h.run(jobs, options: options)
            #expect(summary.failed == 1 && summary.notSubmitted == 5)
        }
    }

    @Test func waitFollowsJobsAndReportsFailureReasonsPerFile() async throws {
        try await Harness.with { h in
            let options = RunOptions.waiting
            let log = EventLog()
            let summary = try await h.run(
                [h.milvusJob("ok"), h.milvusJob("bad", files: [["data/fail.parquet"]])], options: options, log: log)
            #expect(summary.completed == 1 && summary.importFailed == 1 && summary.exitCode == 1)
            let failure = try #require(log.lines.first { $0.contains("the import failed on the server") })
            #expect(failure.contains("fail.parquet"))
        }
    }

    @Test func theMilvus23APISendsOneTaskPerGroupAndCombinesTheirStates() async throws {
        try await Harness.with { h in
            let options = RunOptions.waiting
            let job = h.milvusJob("legacy", files: [["/data/a.json"], ["/data/id.npy", "/data/vec.npy"]], token: nil, api: .milvusV1)
            let summary = try await h.run([job], options: options)
            #expect(summary.submitted == 1 && summary.completed == 1)
            let creates = await h.creates()
            #expect(creates.count == 2)
            #expect(creates[0].bodyText.contains(#""files":["/data/a.json"]"#))
        }
    }

    @Test func secretsNeverReachTheLedgerOrTheEvents() async throws {
        try await Harness.with({ $0.knownCollections = ["products", "articles"] }) { h in
            let options = RunOptions.waiting
            let log = EventLog()
            _ = try await h.run(
                [h.milvusJob("p1"), h.zillizJob("z1"), h.milvusJob("bad", collection: "missing")], options: options, log: log)
            let ledger = try String(contentsOfFile: h.ledgerPath, encoding: .utf8)
            for secret in ["root:Milvus-s3cr3t", "zk-API-s3cr3t", "AKIA-s3cr3t", "SK-s3cr3t-value"] {
                #expect(!ledger.contains(secret))
                #expect(!log.lines.joined().contains(secret))
                #expect(!log.json.joined().contains(secret))
            }
            #expect(ledger.contains("\"submitted\""))
        }
    }
}
