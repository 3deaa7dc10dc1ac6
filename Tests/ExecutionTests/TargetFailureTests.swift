import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// Failures every job of a target would meet (refused credentials, a host that does not resolve)
/// are reported once per target; the target's other jobs are not sent; other targets go on.
@Suite("Target-wide failures")
struct TargetFailureTests {
    private func failures(_ log: EventLog) -> [(job: String, error: String)] {
        log.events.compactMap { if case .failed(let job, let error) = $0 { return (job, error) } else { return nil } }
    }

    private func notSubmitted(_ log: EventLog) -> [String: String] {
        var out: [String: String] = [:]
        for standing in log.standings { if case .notSubmitted(let reason) = standing.status { out[standing.job] = reason } }
        return out
    }

    @Test func aRefusedTokenIsReportedOnceAndTheTargetsOtherJobsAreNotSent() async throws {
        try await Harness.with({ $0.token = "root:Milvus-s3cr3t" }) { h in
            var bad = (1...4).map { h.milvusJob("bad-\($0)", token: "root:wrong-tok3n") }
            for i in bad.indices { bad[i].target.credentialVariables = ["MILVUS_TOKEN"] }
            var good = (1...2).map { h.milvusJob("good-\($0)") }
            for i in good.indices { good[i].target.name = "other" }
            let log = EventLog()
            var options = RunOptions()
            options.concurrency = 2
            let summary = try await h.run(bad + good, options: options, log: log)

            let failed = failures(log)
            #expect(failed.count == 1, "\(log.lines)")
            let line = try #require(failed.first).error
            #expect(line.contains("target 'local'") && line.contains("refused the credentials"), "\(line)")
            #expect(line.contains("HTTP 401") && line.contains("check $<MILVUS_TOKEN>"), "\(line)")
            #expect(!log.lines.joined().contains("wrong-tok3n"))
            #expect(summary.failed == 1 && summary.notSubmitted == 3 && summary.submitted == 2, "\(summary)")
            let skipped = notSubmitted(log)
            #expect(Set(skipped.keys) == Set(bad.map(\.name)).subtracting([failed[0].job]))
            #expect(skipped.values.allSatisfy { $0.contains("refused the credentials") && $0.contains("see that error above") })
            // The good target's jobs were all created; the bad target's no more than the first.
            #expect(await h.server.jobsCreated(collection: "products") == 2)
        }
    }

    @Test func aRefusedTokenWhileFollowingIsSaidOnceAndTheTargetIsNotPolledAgain() async throws {
        try await Harness.with({ $0.token = "root:Milvus-s3cr3t" }) { h in
            let jobs = (1...3).map { h.milvusJob("f\($0)") }
            #expect(try await h.run(jobs).submitted == 3)
            let wrong = jobs.map { job -> ImportJob in
                var job = job
                job.target.token = Secret("root:wrong-tok3n")
                job.target.credentialVariables = ["MILVUS_TOKEN"]
                return job
            }
            let log = EventLog()
            let summary = try await h.status(wrong, options: .waiting, log: log)
            let unknown = log.events.compactMap { if case .unknown(_, let error, _) = $0 { return error } else { return nil } }
            #expect(unknown.count == 1, "\(log.lines)")
            #expect(unknown.first?.contains("refused the credentials") == true && unknown.first?.contains("$<MILVUS_TOKEN>") == true)
            #expect(!log.events.contains { if case .pollFailed = $0 { true } else { false } }, "\(log.lines)")
            #expect(summary.unreadable == 3 && summary.statusExitCode == 1, "\(summary)")
        }
    }

    @Test(arguments: [BulkImportKit.ImportAPI.zillizV1, .zillizV2])
    func aRefusedZillizKeyIsReportedOncePerTarget(api: BulkImportKit.ImportAPI) async throws {
        try await Harness.with({ $0.token = "zk-the-real-key" }) { h in
            let jobs = (1...3).map { i -> ImportJob in
                var job = h.zillizJob("z\(i)", api: api)
                job.files = [["s3://bucket/articles/\(i).parquet"]]
                job.target.credentialVariables = ["ZILLIZ_API_KEY"]
                return job
            }
            let log = EventLog()
            var options = RunOptions()
            options.concurrency = 1
            let summary = try await h.run(jobs, options: options, log: log)
            let failed = failures(log)
            #expect(failed.count == 1, "\(log.lines)")
            #expect(
                failed.first?.error.contains("target 'cloud'") == true && failed.first?.error.contains("refused the credentials") == true)
            #expect(failed.first?.error.contains("check $<ZILLIZ_API_KEY>, which holds the target's `api_key`") == true, "\(failed)")
            #expect(summary.failed == 1 && summary.notSubmitted == 2, "\(summary)")
        }
    }

    @Test func aRefusedTokenMetWhileLookingForEarlierCreatesIsAlsoSaidOnce() async throws {
        // Creates whose outcome is unknown make the run ask the target first: its list is refused.
        try await Harness.with({ $0.token = "root:Milvus-s3cr3t" }) { h in
            let jobs = (1...3).map { h.milvusJob("u\($0)") }
            await h.server.inject(.dropConnection(afterProcessing: false, times: 3, path: "/v2/vectordb/jobs/import/create"))
            #expect(try await h.run(jobs).unknown == 3)
            let wrong = jobs.map { job -> ImportJob in
                var job = job
                job.target.token = Secret("root:wrong-tok3n")
                job.target.credentialVariables = ["MILVUS_TOKEN"]
                return job
            }
            let log = EventLog()
            var options = RunOptions()
            options.concurrency = 1
            let summary = try await h.run(wrong, options: options, log: log)
            #expect(failures(log).count == 1, "\(log.lines)")
            #expect(failures(log).first?.error.contains("check $<MILVUS_TOKEN>") == true, "\(log.lines)")
            #expect(!log.lines.contains { $0.hasPrefix("note") && $0.contains("401") }, "\(log.lines)")
            #expect(summary.failed == 1 && summary.notSubmitted == 2, "\(summary)")
        }
    }

    @Test func zillizBadKeyCodesAreAuthenticationFailures() {
        for api in [BulkImportKit.ImportAPI.zillizV1, .zillizV2] {
            for code in [80001, 80002] {
                let error = ImportError.server(httpStatus: 200, code: code, message: "Invalid token: Your token is not valid.")
                #expect(api.client.meansAuthenticationFailure(error))
            }
        }
        #expect(BulkImportKit.ImportAPI.zillizV2.client.meansAuthenticationFailure(.server(httpStatus: 200, code: 21119, message: "x")))
        let milvus = BulkImportKit.ImportAPI.milvusV2.client
        #expect(milvus.meansAuthenticationFailure(.server(httpStatus: 401, code: 1800, message: "user hasn't authenticated")))
        #expect(milvus.meansAuthenticationFailure(.server(httpStatus: 403, code: nil, message: "forbidden")))
        // A field named "author" is not an authentication failure.
        #expect(!milvus.meansAuthenticationFailure(.server(httpStatus: 200, code: 1100, message: "field author not found")))
        #expect(!milvus.meansAuthenticationFailure(.server(httpStatus: 200, code: 2, message: "service unavailable")))
    }

    @Test func aHostThatDoesNotResolveIsOneClearLineAndNotRetried() async throws {
        try await Harness.with { h in
            let jobs = (1...3).map { i -> ImportJob in
                var job = h.milvusJob("lost-\(i)")
                // RFC 2606: `.invalid` resolves nowhere, and no network is needed to find that out.
                job.target.endpoint = try! Endpoint(parsing: "http://no-such-host.invalid:19530", defaultScheme: nil)
                return job
            }
            let log = EventLog()
            var options = RunOptions()
            options.concurrency = 1
            let summary = try await h.run(jobs, options: options, log: log)
            let failed = failures(log)
            #expect(failed.count == 1, "\(log.lines)")
            let line = try #require(failed.first).error
            #expect(line.contains("cannot resolve host 'no-such-host.invalid'"), "\(line)")
            #expect(line.contains("target 'local' at http://no-such-host.invalid:19530"), "\(line)")
            #expect(!log.events.contains { if case .retrying = $0 { true } else { false } }, "\(log.lines)")
            let text = log.lines.joined(separator: "\n")
            #expect(!text.contains("SocketAddressError") && !text.contains("NIOConnectionError") && !text.contains("Error."), "\(text)")
            #expect(summary.failed == 1 && summary.notSubmitted == 2)
        }
    }

    @Test func aConnectionRefusedIsReportedOnceForItsTargetAfterTheRetries() async throws {
        try await Harness.with { h in
            // A port nothing listens on: the server's, once it is stopped, would race; port 1 is never served.
            let jobs = (1...3).map { i -> ImportJob in
                var job = h.milvusJob("refused-\(i)")
                job.target.endpoint = try! Endpoint(parsing: "http://127.0.0.1:1", defaultScheme: nil)
                return job
            }
            let log = EventLog()
            var options = RunOptions()
            options.concurrency = 1
            options.reconcile = false
            let summary = try await h.run(jobs, options: options, log: log)
            #expect(failures(log).count == 1, "\(log.lines)")
            #expect(failures(log).first?.error.contains("connection refused") == true, "\(log.lines)")
            #expect(summary.failed == 1 && summary.notSubmitted == 2, "\(summary)")
        }
    }

    @Test func aJobNeverSentAfterCtrlCIsListedAsNotSubmitted() async throws {
        try await Harness.with { h in
            let interrupt = InterruptFlag()
            interrupt.set()
            let log = EventLog()
            let jobs = (1...5).map { h.milvusJob("j\($0)") }
            let summary = try await h.run(jobs, log: log, interrupt: interrupt)
            #expect(summary.notSubmitted == 5 && summary.interrupted)
            let skipped = notSubmitted(log)
            #expect(Set(skipped.keys) == Set(jobs.map(\.name)))
            #expect(skipped.values.allSatisfy { $0.contains("interrupted") })
        }
    }

    @Test func statusCountsEveryJobSelectedAndGivesTheRecordedIdsAndTimes() async throws {
        try await Harness.with { h in
            let jobs = (1...3).map { h.milvusJob("s\($0)") }
            _ = try await h.run(Array(jobs.prefix(2)))
            let log = EventLog()
            var options = RunOptions.waiting
            options.waitTimeout = .zero
            let summary = try await h.status(jobs, options: options, log: log)
            #expect(summary.selected == 3 && summary.notSubmitted == 1, "\(summary)")
            let recorded = log.standings.filter { $0.status != .notSubmitted(reason: "not in the state: never submitted") }
            #expect(recorded.count == 2)
            #expect(recorded.allSatisfy { !$0.jobIDs.isEmpty && ($0.submittedAt ?? 0) > 0 })
            #expect(notSubmitted(log)["s3"] != nil)
            // Without --wait each job is said once: no progress line beside its "still running" one.
            for job in ["s1", "s2"] {
                let lines = log.lines.filter { $0.contains(" \(job):") }
                #expect(lines.count == 1, "\(lines)")
            }
        }
    }
}
