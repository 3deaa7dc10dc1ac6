import Foundation
import ImportTestServer
import Testing

@testable import BulkImportKit

/// What the real Milvus 2.3.5 taught (see the README's Milvus section): per-group resumes, digests
/// that survive a moved port, and the exact envelopes of its errors.
@Suite("Resuming per-group jobs, and Milvus 2.3's envelopes")
struct ResumeAndParsingTests {
    @Test func aReRunOfAPartlyFailedJobSendsOnlyTheGroupThatFailed() async throws {
        try await Harness.with { h in
            let job = h.milvusJob("mixed", files: [["/data/ok.json"], ["/data/fail-dim.json"]], token: nil, api: .milvusV1)
            let first = try await h.run([job], options: .waiting)
            #expect(first.importFailed == 1)
            #expect(await h.creates().count == 2)
            let log = EventLog()
            let second = try await h.run([job], options: .waiting, log: log)
            #expect(second.importFailed == 1)  // the failing file still fails
            let creates = await h.creates()
            #expect(creates.count == 3, "the completed group was sent again")
            #expect(creates[2].bodyText.contains("fail-dim.json"))
            #expect(log.lines.contains { $0.hasPrefix("note") && $0.contains("keeping task") && $0.contains("Completed") })
            #expect(log.lines.contains { $0.hasPrefix("note") && $0.contains("sending that group again") })
        }
    }

    @Test func aGroupWhoseCreateMayHaveBeenSentMakesTheJobUnknown() async throws {
        try await Harness.with { h in
            let job = h.milvusJob("two", files: [["/data/a.json"], ["/data/b.json"]], token: nil, api: .milvusV1)
            // The first group's create works; the second's connection drops after the server handled it.
            await h.server.inject(Fault(.delay(.zero), times: 1, path: "/api/v1/import"))
            await h.server.inject(Fault(.dropConnection(afterProcessing: true), times: 1, path: "/api/v1/import"))
            let first = try await h.run([job])
            #expect(first.unknown == 1)
            let sent = await h.creates().count
            #expect(sent == 2)
            let entry = try #require(try Ledger.snapshot(path: h.ledgerPath).first)
            #expect(entry.groupIDs.count == 1 && entry.groupStatus[1] == .unknown)
            var plain = RunOptions()
            plain.reconcile = false
            let again = try await h.run([job], options: plain)
            #expect(again.unknown == 1 && again.submitted == 0)
            #expect(await h.creates().count == sent, "a group of unknown outcome was sent again")

            // Asking the target: its task list names the group's files, so the task is adopted.
            let log = EventLog()
            let reconciled = try await h.run([job], log: log)
            #expect(reconciled.unknown == 0 && reconciled.submitted == 1, "\(reconciled) \(log.lines)")
            #expect(await h.creates().count == sent, "a group the target had was sent again")
            let adopted = try #require(try Ledger.snapshot(path: h.ledgerPath).first)
            let taskIDs = Set(await h.server.jobs().map(\.id))
            #expect(adopted.groupIDs.count == 2 && Set(adopted.groupIDs.values) == taskIDs)
            #expect(log.lines.contains { $0.contains("file group 1: the target already had task") }, "\(log.lines)")
        }
    }

    @Test func aGroupTheTargetNeverGotIsSentAgainOnceItsCreateHasSettled() async throws {
        try await Harness.with { h in
            let job = h.milvusJob("two", files: [["/data/a.json"], ["/data/b.json"]], token: nil, api: .milvusV1)
            // The second group's connection drops before the server handles it.
            await h.server.inject(Fault(.delay(.zero), times: 1, path: "/api/v1/import"))
            await h.server.inject(Fault(.dropConnection(afterProcessing: false), times: 1, path: "/api/v1/import"))
            #expect(try await h.run([job]).unknown == 1)
            #expect(await h.server.jobs().count == 1)
            // Just after, the target's "no such task" is not yet believed.
            #expect(try await h.run([job]).unknown == 1)
            var settled = RunOptions()
            settled.unknownCreateSettles = .zero
            let later = try await h.run([job], options: settled)
            #expect(later.submitted == 1 && later.unknown == 0, "\(later)")
            #expect(await h.server.jobs().count == 2)
            let files = Set(await h.server.jobs().map { $0.files[0][0] })
            #expect(files == ["/data/a.json", "/data/b.json"])
        }
    }

    @Test func aJobTheServerCleanedUpIsNotImportedAgain() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(1_000_000) }) { h in
            await h.server.inject(
                .businessError(
                    code: 100, message: "import job does not exist[jobID=1]", times: nil,
                    path: "/v2/vectordb/jobs/import/describe"))
            _ = try await h.run([h.milvusJob("gone")], options: .waiting)
            let again = try await h.run([h.milvusJob("gone")])
            #expect(again.skipped == 1)
            #expect(await h.creates().count == 1)
        }
    }

    @Test func aProgressThatCannotBeReadIsReportedNotMistakenForRunning() async throws {
        try await Harness.with({ $0.jobTimeline = .polls(1_000_000) }) { h in
            _ = try await h.run([h.milvusJob("p1")])
            await h.server.inject(.html(status: 502, times: nil, path: "/v2/vectordb/jobs/import/describe"))
            var options = RunOptions.waiting
            options.waitTimeout = .zero
            options.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10))
            let log = EventLog()
            let ledger = try await h.openLedger()
            let executor = ImportExecutor(
                service: HTTPImportService(transport: h.transport, timeout: .seconds(5)), ledger: ledger,
                options: options, observer: log)
            let summary = try await executor.status([h.milvusJob("p1")])
            await ledger.close()
            #expect(summary.unreadable == 1 && summary.stillRunning == 0)
            #expect(summary.statusExitCode == 1)
            #expect(log.lines.contains { $0.hasPrefix("unreadable") && $0.contains("HTTP 502") })
        }
    }

    @Test func aNamedTargetsDigestIgnoresItsAddressAnInlineTargetsDoesNot() throws {
        func job(_ uri: String, name: String?) throws -> ImportJob {
            let target = ImportTarget(name: name, api: .milvusV1, endpoint: try Endpoint(parsing: uri, defaultScheme: nil))
            return ImportJob(
                name: "j", location: ManifestLocation(file: "m.yaml"), target: target, collectionName: "c", files: [["/a.json"]])
        }
        #expect(
            JobDigest.digest(of: try job("http://localhost:9091", name: "local"))
                == JobDigest.digest(of: try job("http://127.0.0.1:9092", name: "local")))
        #expect(
            JobDigest.digest(of: try job("http://localhost:9091", name: nil))
                != JobDigest.digest(of: try job("http://127.0.0.1:9092", name: nil)))
        #expect(
            JobDigest.digest(of: try job("http://localhost:9091", name: "a"))
                != JobDigest.digest(of: try job("http://localhost:9091", name: "b")))
    }

    static func response(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [], body: Array(body.utf8))
    }

    @Test func milvus23ErrorEnvelopesAreReadAsTheServerMeansThem() throws {
        // An unknown task id: the job was cleaned up (or never existed), not a failure of the data.
        let unknownTask = Self.response(
            200, #"{"status":{"error_code":1,"reason":"key not found[key=by-dev/meta/importtask/123]","code":1000}}"#)
        #expect(throws: ImportError.self) { try MilvusV1API().progress(from: unknownTask) }
        do { _ = try MilvusV1API().progress(from: unknownTask) } catch { #expect(error.isJobNotFound) }

        // HTTP 400 without the status wrapper keeps its reason.
        let badRequest = Self.response(400, #"{"error_code":5,"reason":"bad request: parse body failed: json: cannot unmarshal string"}"#)
        do {
            _ = try MilvusV1API().createdJobIDs(from: badRequest)
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("parse body failed") && error.createRetryClass == .permanent)
        }

        // Milvus 2.2: only error_code, which is not a retryable "not ready" code 1.
        let legacy22 = Self.response(200, #"{"status":{"error_code":1,"reason":"something broke"}}"#)
        do {
            _ = try MilvusV1API().createdJobIDs(from: legacy22)
            Issue.record("no error")
        } catch {
            #expect(error.createRetryClass == .permanent)
            #expect(error.description.contains("something broke (error_code 1)"))
        }

        // The failed_reason's repeated wrapping is said once.
        let failed = Self.response(
            200,
            #"{"status":{},"state":1,"infos":[{"key":"files","value":"/d/x.json"},{"key":"failed_reason","value":"array size 5 doesn't equal to vector dimension 4 of field 'vector': importing data failed: importing data failed: importing data failed"}]}"#
        )
        let progress = try MilvusV1API().progress(from: failed)
        #expect(progress.state == .failed)
        #expect(progress.reason == "array size 5 doesn't equal to vector dimension 4 of field 'vector': importing data failed")
    }

    @Test func aWrongPortSaysWhichPortAndAPIToUse() {
        let notFound = Self.response(404, "404 page not found")
        do {
            _ = try MilvusV2API().createdJobIDs(from: notFound)
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("api: v1") && error.description.contains("9091") && error.description.contains("19530"))
            #expect(!error.description.contains("HTTP 404: HTTP 404"))
        }
    }

    @Test func aMissingCollectionOnMilvus23IsFoundBeforeAnyCreate() async throws {
        try await Harness.with({ $0.knownCollections = ["products"] }) { h in
            let jobs = [
                h.milvusJob("a", collection: "nope", files: [["/d/a.json"]], token: nil, api: .milvusV1),
                h.milvusJob("b", collection: "nope", files: [["/d/b.json"]], token: nil, api: .milvusV1),
                h.milvusJob("c", files: [["/d/c.json"]], token: nil, api: .milvusV1),
            ]
            let log = EventLog()
            let summary = try await h.run(jobs, log: log)
            #expect(summary.failed == 2 && summary.submitted == 1)
            let creates = await h.creates()
            #expect(creates.count == 1 && creates[0].bodyText.contains("c.json"))
            #expect(await h.server.requests().filter { $0.path == "/api/v1/collection/statistics" }.count == 2)  // once a collection
            #expect(
                log.lines.contains { $0.hasPrefix("failed     a") && $0.contains("collection not found") && $0.contains("before sending") })
        }
    }
}
