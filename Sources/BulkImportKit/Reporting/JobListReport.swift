/// What `bulk-import list` prints: the import jobs on a target, with the ledger's job name beside
/// each id it knows, as a table or as JSON.
public struct JobListReport: Sendable {
    /// One job on the server, and the ledger job it belongs to, if any.
    public struct Row: Sendable {
        public var job: ListedJob
        public var ledgerJob: String?

        public init(job: ListedJob, ledgerJob: String?) {
            self.job = job
            self.ledgerJob = ledgerJob
        }

        var json: JSONValue {
            var pairs: [(String, JSONValue)] = [("jobId", .string(job.jobID)), ("state", .string(job.state.description))]
            if let c = job.collectionName { pairs.append(("collectionName", .string(c))) }
            if let p = job.progress { pairs.append(("progress", .int(p))) }
            if let files = job.files { pairs.append(("files", .array(files.map(JSONValue.string)))) }
            if let l = ledgerJob { pairs.append(("ledgerJob", .string(l))) }
            return .object(pairs)
        }
    }

    public var target: String
    public var endpoint: String
    public var rows: [Row]

    public init(target: String, endpoint: String, rows: [Row]) {
        self.target = target
        self.endpoint = endpoint
        self.rows = rows
    }

    /// `{"target", "endpoint", "jobs": [...]}` on one line.
    public func json() -> String {
        JSONWriter.write(
            .object([
                ("target", .string(target)), ("endpoint", .string(endpoint)), ("jobs", .array(rows.map(\.json))),
            ])) + "\n"
    }

    /// A table of the jobs, and a line that counts them.
    public func table() -> String {
        let header = ["JOB ID", "COLLECTION", "STATE", "PROGRESS", "LEDGER JOB"]
        let cells = rows.map { row in
            [
                row.job.jobID, row.job.collectionName ?? "", row.job.state.description, row.job.progress.map { "\($0)%" } ?? "",
                row.ledgerJob ?? "",
            ]
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
