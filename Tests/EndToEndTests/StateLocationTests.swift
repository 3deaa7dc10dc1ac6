import BulkImportKit
import Foundation
import ImportTestServer
import TestSupport
import Testing

/// Where the jobs' state lives: beside the manifest whatever folder the tool starts in, where the
/// manifest's `state:` says, or where `--state` says; and what `status` and `list` do when it is
/// missing or held by a run.
@Suite("the state belongs to the manifest", .serialized)
struct StateLocationTests {
    typealias Space = RunCommandTests.Workspace

    static func run(_ arguments: [String], in folder: URL) async throws -> ProcessResult {
        try await offThePool { try BulkImport.run(arguments, environment: RunCommandTests.environment, in: folder) }
    }

    @Test func aRunFromAnotherFolderUsesTheStateBesideTheManifestAndCreatesNothingTwice() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Space(server: server, count: 4)
            defer { space.folder.remove() }
            let elsewhere = try TemporaryFolder()
            defer { elsewhere.remove() }

            let first = try await space.run(["run", space.manifest])
            #expect(first.status == 0, "\(first)")
            #expect(first.stderr.contains("note: starting a new, empty state at \(space.ledger)"), "\(first)")

            // The manifest named by a path relative to another folder.
            let relative = "../" + space.folder.url.lastPathComponent + "/imports.yaml"
            let again = try await Self.run(["run", relative], in: elsewhere.url)
            #expect(again.status == 0 && again.stdout.contains("4 skipped"), "\(again)")
            #expect(!again.stderr.contains("new, empty state"), "\(again)")
            #expect(await server.jobs().count == 4)
            #expect(!FileManager.default.fileExists(atPath: elsewhere.url.appendingPathComponent(".bulk-import").path))
        }
    }

    @Test func theManifestsStateIsResolvedAgainstItsOwnFolder() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Space(server: server, count: 2)
            defer { space.folder.remove() }
            let text = try String(contentsOfFile: space.manifest, encoding: .utf8)
                .replacingOccurrences(of: "version: 1\n", with: "version: 1\nstate: shared/../records/state.jsonl\n")
            try text.write(toFile: space.manifest, atomically: true, encoding: .utf8)
            let elsewhere = try TemporaryFolder()
            defer { elsewhere.remove() }

            let result = try await Self.run(["run", space.manifest], in: elsewhere.url)
            #expect(result.status == 0, "\(result)")
            let expected = space.folder.url.appendingPathComponent("records/state.jsonl").path
            #expect(FileManager.default.fileExists(atPath: expected), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: space.ledger))
            // --state overrides the manifest's: a new state, whose jobs the target already has.
            let override = try await Self.run(["run", space.manifest, "--state", "other.jsonl"], in: elsewhere.url)
            #expect(override.status == 0 && override.stdout.contains("2 adopted"), "\(override)")
            #expect(await server.jobs().count == 2)
            #expect(FileManager.default.fileExists(atPath: elsewhere.url.appendingPathComponent("other.jsonl").path))
        }
    }

    @Test func manifestsFromTwoFoldersWithoutAStateAreAnErrorThatSaysWhatToAdd() async throws {
        try await RunCommandTests.withServer { server in
            let one = try Space(server: server, count: 1)
            defer { one.folder.remove() }
            let other = try TemporaryFolder()
            defer { other.remove() }
            let text = try String(contentsOfFile: one.manifest, encoding: .utf8).replacingOccurrences(of: "job-0", with: "other-0")
            let second = try other.write("more.yaml", text)

            let result = try await one.run(["run", one.manifest, second])
            #expect(result.status == 1, "\(result)")
            #expect(
                result.stderr.contains("conflicting-states") && result.stderr.contains("give every manifest run together the same `state:`")
            )
            #expect(await server.jobs().isEmpty)
            let validate = try await one.run(["validate", one.manifest, second])
            #expect(validate.status == 1 && validate.output.contains("conflicting-states"), "\(validate)")

            let together = try await one.run(["run", one.manifest, second, "--state", "both.jsonl"])
            #expect(together.status == 0 && together.stdout.contains("2 submitted"), "\(together)")
        }
    }

    @Test func statusAndListOnAStateThatDoesNotExistFailAndCreateNothing() async throws {
        try await RunCommandTests.withServer { server in
            let space = try Space(server: server, count: 1)
            defer { space.folder.remove() }
            for arguments in [["status", space.manifest], ["list", "local", space.manifest]] {
                let result = try await space.run(arguments)
                #expect(result.status == 1, "\(result)")
                #expect(result.stderr.contains("there is no state at \(space.ledger)"), "\(result)")
            }
            #expect(!FileManager.default.fileExists(atPath: space.folder.url.appendingPathComponent(".bulk-import").path))
        }
    }

    @Test func statusAndListReadTheStateWhileARunHoldsIt() async throws {
        try await RunCommandTests.withServer({ $0.jobTimeline = .polls(1_000_000) }) { server in
            let space = try Space(server: server, count: 3)
            defer { space.folder.remove() }
            let running = try space.start(["run", space.manifest, "--wait", "--poll-interval", "0.2", "--progress", "lines"])
            defer { running.signal(SIGKILL) }
            try await RunCommandTests.waitUntil(30) {
                let ledger = (try? String(contentsOfFile: space.ledger, encoding: .utf8)) ?? ""
                return ledger.components(separatedBy: "\"event\":\"submitted\"").count == 4
            }
            let status = try await space.run(["status", space.manifest, "--progress", "lines"])
            #expect(status.status == 0, "\(status)")
            #expect(status.stderr.contains("holds the state"), "\(status)")
            #expect(status.stdout.contains("3 still running") || status.stdout.contains("running"), "\(status)")
            let list = try await space.run(["list", "local", space.manifest])
            #expect(list.status == 0 && list.stdout.contains("3 in the ledger"), "\(list)")
            running.signal(SIGINT)
            _ = await running.finished()
        }
    }
}
