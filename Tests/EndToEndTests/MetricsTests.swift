import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// `--metrics-file`: the run in the Prometheus text format, read back by the real parser of
/// PyPI's prometheus-client (installed into .build-ci-venv by .ci/run).
@Suite("metrics: --metrics-file", .serialized, .enabled(if: PrometheusParser.usable, PrometheusParser.missing))
struct MetricsTests {
    static let token = "root:s3cr3t-VALUE-101"

    static func withServer<T>(
        _ configure: (inout ImportTestServerConfiguration) -> Void = { _ in }, _ body: (ImportTestServer) async throws -> T
    ) async throws -> T {
        try await LoopbackFixture.withServer(token: token, configure, body)
    }

    /// A manifest of `count` jobs on target `local`; the jobs in `failing` fail on the server.
    static func manifest(_ server: ImportTestServer, count: Int, failing: Set<Int> = [], in folder: TemporaryFolder) throws -> String {
        var text = """
            version: 1
            targets:
              local:
                milvus:
                  uri: \(server.baseURL)
                  token: $<MILVUS_TOKEN>
              other.target:
                milvus:
                  uri: \(server.baseURL)
                  token: $<MILVUS_TOKEN>
            jobs:
              - {name: other, target: other.target, collection_name: products, files: [data/other.parquet]}

            """
        for i in 0..<count {
            let file = failing.contains(i) ? "data/fail-\(i).parquet" : "data/part-\(i).parquet"
            text += "  - {name: job-\(i), target: local, collection_name: products, files: [\(file)]}\n"
        }
        return try folder.write("imports.yaml", text)
    }

    static func run(_ arguments: [String], in folder: TemporaryFolder) async throws -> ProcessResult {
        let directory = folder.url
        return try await offThePool { try BulkImport.run(arguments, environment: ["MILVUS_TOKEN": token], in: directory) }
    }

    @Test func runAndStatusWriteMetricsThatParseAndAgreeWithTheSummary() async throws {
        try await Self.withServer({ $0.faults = [.rateLimited(retryAfter: 1, times: 1, path: "/v2/vectordb/jobs/import/create")] }) {
            server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try Self.manifest(server, count: 4, failing: [2], in: folder)
            let before = Date().timeIntervalSince1970
            let run = try await Self.run(
                ["run", manifest, "--wait", "--poll-interval", "0.05", "--format", "json", "--metrics-file", "run.prom"], in: folder)
            #expect(run.status == 1, "\(run)")
            let metrics = try await PrometheusParser.parse(folder.url.appendingPathComponent("run.prom").path)
            #expect(metrics.value("bulk_import_jobs", ["state": "completed", "target": "local"]) == 3, "\(metrics)")
            #expect(metrics.value("bulk_import_jobs", ["state": "failed", "target": "local"]) == 1)
            #expect(metrics.value("bulk_import_jobs", ["state": "completed", "target": "other.target"]) == 1)
            // Every state of every target is there, at 0 when empty, so alerts keep their series.
            for state in ["not_submitted", "submitted", "unknown", "cleaned_up"] {
                #expect(metrics.value("bulk_import_jobs", ["state": state, "target": "local"]) == 0)
            }
            #expect(metrics.value("bulk_import_rows_imported", ["target": "local"]) == 300_000)
            #expect(
                metrics.value("bulk_import_retries", ["target": "local"]) + metrics.value("bulk_import_retries", ["target": "other.target"])
                    == 1)
            #expect(metrics.value("bulk_import_unknown_outcomes", ["target": "local"]) == 0)
            #expect(metrics.value("bulk_import_jobs_adopted", ["target": "local"]) == 0)
            #expect(metrics.value("bulk_import_run_exit_code") == 1 && metrics.value("bulk_import_run_interrupted") == 0)
            #expect(metrics.value("bulk_import_run_duration_seconds") > 0)
            let stamp = metrics.value("bulk_import_last_run_timestamp_seconds")
            #expect(stamp >= before.rounded(.down) && stamp <= Date().timeIntervalSince1970 + 1)

            // status: the jobs by state are what its summary says.
            let status = try await Self.run(["status", manifest, "--format", "json", "--metrics-file", "status.prom"], in: folder)
            #expect(status.status == 1, "\(status)")
            let summary = try parseJSONObject(String(try #require(status.stdout.split(separator: "\n").last)))
            let after = try await PrometheusParser.parse(folder.url.appendingPathComponent("status.prom").path)
            #expect(after.total("bulk_import_jobs", state: "completed") == Double(summary["completed"] as? Int ?? -1), "\(summary)")
            #expect(
                after.total("bulk_import_jobs", state: "failed")
                    == Double((summary["failed"] as? Int ?? -1) + (summary["importFailed"] as? Int ?? -1)), "\(summary)")
            #expect(after.total("bulk_import_jobs", state: "unknown") == Double(summary["unknown"] as? Int ?? -1))
            #expect(after.total("bulk_import_jobs") == 5)
            #expect(after.value("bulk_import_run_exit_code") == 1)

            // Written atomically: no temporary file is left beside them.
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
            #expect(names == [".bulk-import", "imports.yaml", "run.prom", "status.prom"], "\(names)")
            #expect(!folder.writtenText().contains("s3cr3t"))
        }
    }

    @Test func ctrlCStillWritesTheMetricsOfWhatWasDone() async throws {
        // 1 s a create, 3 at a time: the run would take 10 s, so a slow machine cannot finish it
        // before the Ctrl-C (at 250 ms it had 2.5 s).
        try await Self.withServer({ $0.latency = .seconds(1) }) { server in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = try Self.manifest(server, count: 30, in: folder)
            let tool = try BulkImport.start(
                ["run", manifest, "--concurrency", "3", "--metrics-file", "run.prom"], environment: ["MILVUS_TOKEN": Self.token],
                in: folder.url)
            let deadline = Date().addingTimeInterval(120)
            while await server.jobs().count < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            tool.signal(SIGINT)
            let result = await tool.finished()
            #expect(result.status == 130, "\(result)")
            let metrics = try await PrometheusParser.parse(folder.url.appendingPathComponent("run.prom").path)
            #expect(metrics.value("bulk_import_run_interrupted") == 1 && metrics.value("bulk_import_run_exit_code") == 130)
            #expect(metrics.total("bulk_import_jobs") == 31)
            let submitted = metrics.total("bulk_import_jobs", state: "submitted")
            #expect(submitted == Double(await server.jobs().count), "\(metrics)")
            #expect(metrics.total("bulk_import_jobs", state: "not_submitted") == 31 - submitted)
        }
    }

    /// Each event moves its job to the state the metrics count it in, and the ledger answers for
    /// the jobs no event spoke of (a job whose content changed since it was recorded was not run).
    @Test func eventsAndTheStateDecideEachJobsStateRetriesRowsAndAdoptions() async throws {
        let target = ImportTarget(name: "t", api: .milvusV2, endpoint: try! Endpoint(parsing: "http://127.0.0.1:9", defaultScheme: nil))
        let jobs = ["done", "zilliz-done", "refused", "broken", "unknown", "adopted", "running", "recorded", "changed", "new"].map {
            ImportJob(name: $0, location: ManifestLocation(file: "m.yaml"), target: target, collectionName: "c", files: [["\($0).json"]])
        }
        let collector = RunMetricsCollector()
        let events: [RunEvent] = [
            .submitted(job: "done", jobIDs: ["1"]),
            .retrying(job: "done", attempt: 1, delaySeconds: 0, error: "503", clamped: false),
            .retrying(job: "refused", attempt: 1, delaySeconds: 0, error: "503", clamped: false),
            .completed(job: "done", progress: JobProgress(state: .completed, progress: 100, importedRows: 70, totalRows: 70)),
            .completed(job: "zilliz-done", progress: JobProgress(state: .completed, progress: 100, totalRows: 30)),
            .failed(job: "refused", error: "no such collection"),
            .importFailed(job: "broken", progress: JobProgress(state: .failed, progress: 10, importedRows: 5)),
            .unknown(job: "unknown", error: "connection reset", advice: "see --retry-unknown"),
            .adopted(job: "adopted", jobIDs: ["2"], note: "found on the target"),
            .progress(job: "running", progress: JobProgress(state: .importing, progress: 50, importedRows: 9)),
        ]
        for event in events { collector.handle(event) }
        let entries = [
            LedgerEntry(job: "recorded", digest: JobDigest.digest(of: jobs[7]), status: .completed),
            LedgerEntry(job: "changed", digest: "an-older-digest", status: .completed),
            LedgerEntry(job: "running", digest: JobDigest.digest(of: jobs[6]), status: .intent),
        ]
        let report = MetricsReport(
            jobs: jobs, entries: entries, tallies: collector.jobs, durationSeconds: 2, exitCode: 1, interrupted: false)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("m.prom").path
        try report.write(to: path)
        let metrics = try await PrometheusParser.parse(path)
        let expected: [String: Double] = [
            "completed": 3, "failed": 2, "unknown": 1, "submitted": 2, "not_submitted": 2, "cleaned_up": 0,
        ]
        for (state, count) in expected {
            #expect(metrics.value("bulk_import_jobs", ["state": state, "target": "t"]) == count, "\(state)\n\(metrics)")
        }
        #expect(metrics.value("bulk_import_rows_imported", ["target": "t"]) == 70 + 30 + 5 + 9)
        #expect(metrics.value("bulk_import_retries", ["target": "t"]) == 2)
        #expect(metrics.value("bulk_import_unknown_outcomes", ["target": "t"]) == 1)
        #expect(metrics.value("bulk_import_jobs_adopted", ["target": "t"]) == 1)
    }

    @Test func targetNamesAreEscapedAndMaskedInLabels() async throws {
        let names = [#"we"ird"#, #"back\slash"#, "new\nline", "tab\tand é", "hunter2-in-name", String(repeating: "x", count: 300)]
        let jobs = names.enumerated().map { i, name in
            ImportJob(
                name: "job-\(i)", location: ManifestLocation(file: "m.yaml"),
                target: ImportTarget(
                    name: name, api: .milvusV2, endpoint: try! Endpoint(parsing: "http://127.0.0.1:9", defaultScheme: nil)),
                collectionName: "c", files: [["a.json"]])
        }
        var tallies: [String: RunMetricsCollector.JobTally] = [:]
        tallies["job-0", default: .init()].state = .completed
        let report = MetricsReport(jobs: jobs, entries: [], tallies: tallies, durationSeconds: 1.5, exitCode: 0, interrupted: false)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("m.prom").path
        try report.write(to: path, redactor: Redactor(secrets: ["hunter2"]))
        let metrics = try await PrometheusParser.parse(path)
        let targets = Set(metrics.samples.filter { $0.name == "bulk_import_jobs" }.compactMap { $0.labels["target"] })
        let expected = Set([
            #"we"ird"#, #"back\slash"#, "new\nline", "tab\tand é", "<redacted>-in-name",
            String(repeating: "x", count: 300).clipped(to: 200),
        ])
        #expect(targets == expected)
        #expect(metrics.value("bulk_import_jobs", ["state": "completed", "target": #"we"ird"#]) == 1)
        #expect(metrics.value("bulk_import_jobs", ["state": "not_submitted", "target": "new\nline"]) == 1)
        #expect(metrics.value("bulk_import_run_duration_seconds") == 1.5)
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("hunter2"))
    }

    @Test func aMetricsFileThatCannotBeWrittenIsAUsageErrorBeforeAnythingRuns() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let manifest = try folder.write(
            "m.yaml",
            "version: 1\ntargets: {t: {milvus: {uri: http://127.0.0.1:9}}}\njobs: [{name: j, target: t, collection_name: c, files: [a.json]}]\n"
        )
        for path in ["missing/m.prom", ".", ""] {
            let run = try await Self.run(["run", manifest, "--metrics-file", path], in: folder)
            #expect(run.status == 64 && run.stderr.contains("--metrics-file"), "\(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(".bulk-import").path), "nothing ran")
    }
}

/// The metrics of a file as prometheus-client's parser reads them.
struct ParsedMetrics: CustomStringConvertible {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample]

    /// The value of the one sample `name` with exactly `labels`; NaN when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        let matching = samples.filter { $0.name == name && $0.labels == labels }
        return matching.count == 1 ? matching[0].value : .nan
    }

    /// The sum of `name` over every target (of one state, if given).
    func total(_ name: String, state: String? = nil) -> Double {
        samples.filter { $0.name == name && (state == nil || $0.labels["state"] == state) }.reduce(0) { $0 + $1.value }
    }

    var description: String { samples.map { "\($0.name)\($0.labels) \($0.value)" }.joined(separator: "\n") }
}

/// Runs `prometheus_client.parser.text_string_to_metric_families` in the venv's python.
enum PrometheusParser {
    /// `$BULK_IMPORT_TEST_PYTHON`, else `.build-ci-venv/bin/python3` of the package, when it can
    /// import prometheus_client.
    static let python: String? = {
        let candidates = [
            ProcessInfo.processInfo.environment["BULK_IMPORT_TEST_PYTHON"],
            BulkImport.packageRoot.appendingPathComponent(".build-ci-venv/bin/python3").path,
        ].compactMap { $0 }
        return candidates.first { path in
            FileManager.default.isExecutableFile(atPath: path)
                && (try? BulkImport.runProgram(path, ["-c", "import prometheus_client"]))?.status == 0
        }
    }()

    /// In CI a missing parser fails the tests; elsewhere they are skipped.
    static var usable: Bool { python != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    static let missing: Comment = """
        prometheus-client is not installed: run `python3 -m venv .build-ci-venv && .build-ci-venv/bin/pip install prometheus-client` \
        (as .ci/run does), or set BULK_IMPORT_TEST_PYTHON to a python that has it
        """

    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        text = open(sys.argv[1], encoding="utf-8").read()
        assert text.endswith("\\n"), "the file does not end with a line feed"
        print(json.dumps([{"name": s.name, "labels": s.labels, "value": s.value}
                          for family in text_string_to_metric_families(text) for s in family.samples]))
        """

    static func parse(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ParsedMetrics {
        let python = try #require(python, missing, sourceLocation: sourceLocation)
        let result = try await BulkImport.runProgram(python, ["-c", script, path], sourceLocation: sourceLocation)
        try #require(result.status == 0, "prometheus-client could not parse \(path): \(result)", sourceLocation: sourceLocation)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return ParsedMetrics(
            samples: rows.map { row in
                ParsedMetrics.Sample(
                    name: row["name"] as? String ?? "", labels: row["labels"] as? [String: String] ?? [:],
                    value: (row["value"] as? NSNumber)?.doubleValue ?? .nan)
            })
    }
}
