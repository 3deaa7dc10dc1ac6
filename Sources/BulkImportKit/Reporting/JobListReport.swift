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

        /// Every value the server gave is clipped (``ClippedValue``): a hostile answer cannot make
        /// the output huge or break it over lines.
        var json: JSONValue {
            var pairs: [(String, JSONValue)] = [
                ("jobId", .string(job.jobID.clipped())), ("state", .string(job.state.description.clipped())),
            ]
            if let c = job.collectionName { pairs.append(("collectionName", .string(c.clipped()))) }
            if let p = job.progress { pairs.append(("progress", .int(p))) }
            if let p = job.partitionName { pairs.append(("partitionName", .string(p.clipped()))) }
            if let t = job.createdAt { pairs.append(("createdAt", .string(JobListReport.utc(t)))) }
            if let files = job.files {
                let shown = files.prefix(JobListReport.maxFiles).map { JSONValue.string($0.clipped()) }
                pairs.append(("files", .array(shown)))
                if files.count > JobListReport.maxFiles { pairs.append(("filesLeftOut", .int(files.count - JobListReport.maxFiles))) }
            }
            if let r = job.reason { pairs.append(("reason", .string(r.clipped(to: 1000)))) }
            if let l = ledgerJob { pairs.append(("ledgerJob", .string(l.clipped()))) }
            return .object(pairs)
        }
    }

    /// The most files of one job a JSON report names (the rest are counted).
    static let maxFiles = 1000

    public var target: String
    public var endpoint: String
    public var rows: [Row]
    /// A line that says what the report leaves out (e.g. the files of jobs past a bound), or nil.
    public var note: String?

    public init(target: String, endpoint: String, rows: [Row], note: String? = nil) {
        self.target = target
        self.endpoint = endpoint
        self.rows = rows
        self.note = note
    }

    /// `{"target", "endpoint", "jobs": [...], "note"?}` on one line.
    public func json() -> String {
        var pairs: [(String, JSONValue)] = [
            ("target", .string(target.clipped())), ("endpoint", .string(endpoint.clipped())), ("jobs", .array(rows.map(\.json))),
        ]
        if let note { pairs.append(("note", .string(note))) }
        return JSONWriter.write(.object(pairs)) + "\n"
    }

    /// A table of the jobs, and a line that counts them. CREATED and FILES are columns only when
    /// some job has them; a job's files are shown up to three, then how many more.
    public func table() -> String {
        let showCreated = rows.contains { $0.job.createdAt != nil }
        let showFiles = rows.contains { $0.job.files != nil }
        var header = ["JOB ID", "COLLECTION", "STATE", "PROGRESS"]
        if showCreated { header.append("CREATED (UTC)") }
        header.append("LEDGER JOB")
        if showFiles { header.append("FILES") }
        let cells = rows.map { row in
            var line = [
                row.job.jobID.clipped(to: 40), (row.job.collectionName ?? "").clipped(to: 60), row.job.state.description.clipped(to: 20),
                row.job.progress.map { "\($0)%" } ?? "",
            ]
            if showCreated { line.append(row.job.createdAt.map { Self.utc($0, separator: " ") } ?? "") }
            line.append((row.ledgerJob ?? "").clipped(to: 60))
            if showFiles { line.append(row.job.files.map(Self.shortList) ?? "") }
            return line
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
        lines.append(
            "\(rows.count) import job\(rows.count == 1 ? "" : "s") on target \(quoted: target) (\(endpoint.clipped())); \(known) in the ledger"
        )
        if let note { lines.append(note) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func shortList(_ files: [String]) -> String {
        let shown = files.prefix(3).map { $0.clipped(to: 80) }.joined(separator: ", ")
        return files.count <= 3 ? shown : shown + " (+\(files.count - 3) more)"
    }

    /// `seconds` since 1970 as `2026-11-30T13:52:22Z` (or with another separator than `T`).
    static func utc(_ seconds: Int, separator: String = "T") -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))\(separator)\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
