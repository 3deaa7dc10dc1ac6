import ArgumentParser
import BulkImportKit

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the import jobs on a target of the manifests, and which of them the ledger knows.",
        discussion: """
            Use it to look up a job whose outcome is unknown before `run --retry-unknown`. Milvus 2.4+ and \
            Zilliz Cloud list jobs by collection (--collection); Milvus 2.2/2.3 list their latest 100 tasks.
            """
    )

    @Argument(help: "The name of a target under `targets` in the manifests.")
    var target: String

    @OptionGroup var manifests: ManifestOptions

    @Option(help: "Only jobs of this collection.")
    var collection: String?

    @Option(help: "The ledger whose job names are shown next to the ids.")
    var state = ".bulk-import/state.jsonl"

    @Option(help: "Seconds the request may take.")
    var requestTimeout = 60

    func run() async throws {
        let (outcome, failed) = manifests.check(unsetVariables: .error, printSummary: false)
        guard let resolved = outcome.targets[target] else {
            let known = outcome.targets.keys.sorted()
            throw ToolError(failed
                ? "target '\(target)' could not be used: fix the errors above"
                : "no target named '\(target)' in \(manifests.paths.joined(separator: ", "))"
                  + (known.isEmpty ? "; the manifests define no targets" : "; the targets are: \(known.joined(separator: ", "))"))
        }
        let redactor = outcome.redactor
        let transport = AsyncHTTPTransport()
        let builder = RequestBuilder(requestTimeoutSeconds: requestTimeout)
        let service = HTTPImportService(transport: transport, builder: builder, timeout: .seconds(requestTimeout + 5))
        let listed: [ListedJob]
        do {
            listed = try await service.list(resolved, collectionName: collection)
            await transport.shutdown()
        } catch {
            await transport.shutdown()
            // ArgumentParser prints this, not Terminal: masked here, as the server's words may repeat a secret.
            throw ToolError(redactor.redact("listing the jobs on target '\(target)' failed: \(error)"))
        }
        // Which ledger job each id belongs to; the ledger is read without taking its lock.
        var names: [String: String] = [:]
        for entry in (try? Ledger.snapshot(path: state)) ?? [] {
            for id in entry.jobIDs { names[id] = entry.job }
        }
        // Masked before they are encoded: the server's ids and names may repeat a secret.
        let rows = listed.map { ListRow(job: redactor.redact($0), ledgerJob: names[$0.jobID].map(redactor.redact)) }
        let target = redactor.redact(target)
        let endpoint = redactor.redact(resolved.endpoint.description)
        let text = manifests.format == .json
            ? JSONWriter.write(.object([
                ("target", .string(target)), ("endpoint", .string(endpoint)),
                ("jobs", .array(rows.map(\.json))),
            ])) + "\n"
            : ListRow.table(rows, target: target, endpoint: endpoint)
        Terminal.write(text, to: .stdout, redactor: redactor)
    }
}

/// One line of `list`.
struct ListRow {
    var job: ListedJob
    var ledgerJob: String?

    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("jobId", .string(job.jobID)), ("state", .string(job.state.description))]
        if let c = job.collectionName { pairs.append(("collectionName", .string(c))) }
        if let p = job.progress { pairs.append(("progress", .int(p))) }
        if let files = job.files { pairs.append(("files", .array(files.map(JSONValue.string)))) }
        if let l = ledgerJob { pairs.append(("ledgerJob", .string(l))) }
        return .object(pairs)
    }

    static func table(_ rows: [ListRow], target: String, endpoint: String) -> String {
        let header = ["JOB ID", "COLLECTION", "STATE", "PROGRESS", "LEDGER JOB"]
        let cells = rows.map { row in
            [row.job.jobID, row.job.collectionName ?? "", row.job.state.description, row.job.progress.map { "\($0)%" } ?? "", row.ledgerJob ?? ""]
        }
        var widths = header.map(\.count)
        for line in cells { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func render(_ line: [String]) -> String {
            var out = ""
            for (i, cell) in line.enumerated() {
                out += i == line.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        var lines = rows.isEmpty ? [] : [render(header)] + cells.map(render)
        let known = rows.count { $0.ledgerJob != nil }
        lines.append("\(rows.count) import job\(rows.count == 1 ? "" : "s") on target '\(target)' (\(endpoint)); \(known) in the ledger")
        return lines.joined(separator: "\n") + "\n"
    }
}
