import ArgumentParser
import BulkImportKit
import JSON

struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Abort the selected jobs that are still running, where the server allows it, and record it in the state.",
        discussion: """
            Only jobs created with auto_commit: "false" (the jobs of an `atomic: true` manifest or group) can be \
            aborted, and only on servers with two-phase imports (Milvus 2.7/3.0 and later, REST v2): the server \
            refuses the others. An aborted job ends Failed and imports nothing; a job whose atomic group decided to \
            commit is never aborted. Every job selected gets a line that says what became of it and why.
            Exit codes: 0 every selected job that was still running was aborted (jobs already finished or never \
            submitted need nothing); 1 a job could not be aborted, or invalid manifests; 64 usage error.
            """
    )

    @OptionGroup var manifests: ManifestOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: "Seconds a request may take before it counts as timed out.")
    var requestTimeout = 60

    func validate() throws {
        try manifests.require(formats: [.text, .json], for: "abort")
        if requestTimeout < 1 { throw ValidationError("--request-timeout must be at least 1 second") }
    }

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        if failed { throw ExitCode(1) }
        let redactor = outcome.redactor
        let jobs = try selection.select(outcome.jobs, redactor: redactor)
        let state = try await Connections.openState(outcome.state, use: .follow, redactor: redactor)
        let client = Connections.client(requestTimeout: requestTimeout)
        let outcomes: [AbortRunner.Outcome]
        do {
            outcomes = try await AbortRunner(service: client.service, ledger: state, redactor: redactor).abort(jobs)
        } catch {
            await client.shutdown()
            await state.close()
            throw ToolError(redactor.redact("the state could not be read: \(error)"))
        }
        await client.shutdown()
        await state.close()
        let json = manifests.format == .json
        for item in outcomes { Terminal.write(Self.line(item, json: json) + "\n", to: .stdout, redactor: redactor) }
        let exitCode: Int32 = outcomes.contains { $0.kind == .cannot } ? 1 : 0
        Terminal.write(Self.summary(outcomes, exitCode: exitCode, json: json) + "\n", to: .stdout, redactor: redactor)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    static func line(_ item: AbortRunner.Outcome, json: Bool) -> String {
        if json {
            return JSONWriter.write(
                .object([
                    ("event", "abort"), ("job", .string(item.job)), ("outcome", .string(item.kind.rawValue)),
                    ("jobIds", .array(item.jobIDs.map(JSONValue.string))), ("message", .string(item.message)),
                ]))
        }
        let word: String
        switch item.kind {
        case .aborted: word = "aborted"
        case .finished: word = "finished"
        case .notSubmitted: word = "skipped"
        case .cannot: word = "cannot"
        }
        return word + String(repeating: " ", count: max(1, 11 - word.count)) + "\(item.job.clipped()): \(item.message)"
    }

    static func summary(_ outcomes: [AbortRunner.Outcome], exitCode: Int32, json: Bool) -> String {
        func count(_ kind: AbortRunner.Outcome.Kind) -> Int { outcomes.filter { $0.kind == kind }.count }
        if json {
            return JSONWriter.write(
                .object([
                    ("event", "summary"), ("selected", .int(outcomes.count)), ("aborted", .int(count(.aborted))),
                    ("finished", .int(count(.finished))), ("notSubmitted", .int(count(.notSubmitted))),
                    ("cannot", .int(count(.cannot))), ("exitCode", .int(Int(exitCode))),
                ]))
        }
        let parts = [
            (count(.aborted), "aborted"), (count(.finished), "already finished"), (count(.notSubmitted), "not submitted"),
            (count(.cannot), "could not be aborted"),
        ]
        .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return "\(Plural.count(outcomes.count, "job")) selected" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }
}
