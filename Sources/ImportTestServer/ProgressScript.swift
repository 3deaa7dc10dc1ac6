import JSON

/// Progress answers the Milvus REST v2 double gives instead of its timeline, one step after
/// another, so a client can be shown every state and shape newer servers report: `Uncommitted` and
/// `Committing` (two-phase imports), a `Failed` job with progress and rows at 0, per-file states
/// (`Pending`, `InProgress`, `Retry`, `Completed`, `Failed`), file names as `[a/1.parquet]` or as
/// `id:1 paths:"a/1.parquet"`, `totalRows` 0 (backup imports) and a `completeTime` of `""`.
///
/// What a real server sends is in Milvus's `internal/datacoord/import_util.go`
/// (`GetJobProgress`, `GetTaskProgresses`, and `getV3TaskProgresses` of the newer import path).
/// Each describe of a job answers the job's next step (a list shows the step without moving
/// on); a step with `polls: nil` is held until the script is changed
/// (``ImportTestServer/update(_:)``), which is how a test makes a job stall and then move again.
public struct ProgressScript: Sendable, Hashable {
    /// How a file group is named in `details[].fileName`.
    public enum FileName: Sendable, Hashable {
        /// As Milvus's `fmt.Sprintf("%v", paths)`: `[a/1.parquet]`, `[a.npy b.npy]`.
        case goList
        /// As the protobuf text the Milvus 2.4 documents show: `id:1 paths:"a.npy" paths:"b.npy"`.
        case protobuf
        /// Exactly this text.
        case literal(String)
    }

    /// One file group's entry in `details`.
    public struct FileStep: Sendable, Hashable {
        /// The task state, as the server spells it: `Pending`, `InProgress`, `Retry`, `Completed`, `Failed`.
        public var state: String
        public var progress: Int
        public var importedRows: Int
        public var totalRows: Int
        /// nil: the key is left out; `""`: sent empty, as the newer import path does.
        public var completeTime: String?
        public var reason: String?
        public var name: FileName

        public init(
            state: String, progress: Int, importedRows: Int = 0, totalRows: Int = 0, completeTime: String? = nil, reason: String? = nil,
            name: FileName = .goList
        ) {
            self.state = state
            self.progress = progress
            self.importedRows = importedRows
            self.totalRows = totalRows
            self.completeTime = completeTime
            self.reason = reason
            self.name = name
        }
    }

    /// One answer.
    public struct Step: Sendable, Hashable {
        /// The job state, as the server spells it: `Pending`, `Importing`, `Uncommitted`, `Committing`, `Completed`, `Failed`.
        public var state: String
        public var progress: Int
        public var importedRows: Int
        public var totalRows: Int
        public var reason: String?
        /// nil: the key is left out.
        public var completeTime: String?
        /// The entries of `details`, one per file group of the job in order (the last one repeats
        /// for groups beyond); empty: one per group in the state that matches the job's.
        public var files: [FileStep]
        /// How many describes answer this step; nil: every one from now on.
        public var polls: Int?

        public init(
            state: String, progress: Int, importedRows: Int = 0, totalRows: Int = 0, reason: String? = nil, completeTime: String? = nil,
            files: [FileStep] = [], polls: Int? = 1
        ) {
            self.state = state
            self.progress = progress
            self.importedRows = importedRows
            self.totalRows = totalRows
            self.reason = reason
            self.completeTime = completeTime
            self.files = files
            self.polls = polls
        }
    }

    public var steps: [Step]
    /// Only jobs with a file path containing this text follow the script; nil: every Milvus v2 job.
    public var fileMarker: String?
    /// How many describes of each job the script has answered.
    public internal(set) var served: [String: Int] = [:]

    public init(_ steps: [Step], fileMarker: String? = nil) {
        self.steps = steps
        self.fileMarker = fileMarker
    }

    /// The step the `n`-th describe (from 0) answers; nil when there are no steps.
    func step(at n: Int) -> Step? {
        var first = 0
        for step in steps {
            guard let polls = step.polls else { return step }
            if n < first + max(1, polls) { return step }
            first += max(1, polls)
        }
        return steps.last
    }

    func applies(to job: Job) -> Bool {
        guard job.api == .milvusV2, !steps.isEmpty else { return false }
        guard let marker = fileMarker, !marker.isEmpty else { return true }
        return job.files.joined().contains { $0.contains(marker) }
    }

    /// The `data` of a describe answer for `job` at `step`.
    static func data(_ step: Step, job: Job, bytesPerFile: Int) -> JSONValue {
        var data: [(String, JSONValue)] = [("jobId", .string(job.id)), ("collectionName", .string(job.collectionName))]
        if let time = step.completeTime { data.append(("completeTime", .string(time))) }
        data.append(("state", .string(step.state)))
        data.append(("progress", .int(Int64(step.progress))))
        data.append(("importedRows", .int(Int64(step.importedRows))))
        data.append(("totalRows", .int(Int64(step.totalRows))))
        data.append(("fileSize", .int(Int64(bytesPerFile * job.files.count))))
        if let reason = step.reason { data.append(("reason", .string(reason))) }
        let details: [JSONValue] = job.files.enumerated().map { index, group in
            let file = step.files.isEmpty ? defaultFile(for: step) : step.files[min(index, step.files.count - 1)]
            let name: String
            switch file.name {
            case .goList: name = FileRules.goList(group)
            case .protobuf: name = "id:\(index + 1) " + group.map { "paths:\"\(goQuoted($0))\"" }.joined(separator: " ")
            case .literal(let text): name = text
            }
            var detail: [(String, JSONValue)] = [
                ("fileName", .string(name)), ("fileSize", .int(Int64(bytesPerFile))), ("progress", .int(Int64(file.progress))),
            ]
            if let time = file.completeTime { detail.append(("completeTime", .string(time))) }
            detail.append(("state", .string(file.state)))
            detail.append(("importedRows", .int(Int64(file.importedRows))))
            detail.append(("totalRows", .int(Int64(file.totalRows))))
            if let reason = file.reason { detail.append(("reason", .string(reason))) }
            return .object(detail)
        }
        data.append(("details", .array(details)))
        return .object(data)
    }

    /// A file group's entry that matches the job's state.
    static func defaultFile(for step: Step) -> FileStep {
        switch step.state {
        case "Pending": FileStep(state: "Pending", progress: 0)
        case "Failed": FileStep(state: "Failed", progress: 0, reason: step.reason)
        case "Uncommitted", "Committing", "Completed": FileStep(state: "Completed", progress: 100)
        default: FileStep(state: "InProgress", progress: step.progress)
        }
    }

    /// `text` as Go's `%q` writes it inside the quotes (enough for paths: `\` and `"` escaped).
    static func goQuoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

extension HandlerContext {
    /// The scripted describe `data` of `job`, when ``ImportTestServerConfiguration/progressScript``
    /// applies to it; `advancing` counts this as one of its describes (a list does not).
    mutating func scriptedMilvusProgress(_ job: Job, advancing: Bool) -> (data: JSONValue, state: String, progress: Int)? {
        guard var script = state.configuration.progressScript, script.applies(to: job) else { return nil }
        let served = script.served[job.id] ?? 0
        guard let step = script.step(at: advancing ? served : max(0, served - 1)) else { return nil }
        if advancing {
            script.served[job.id] = served + 1
            state.configuration.progressScript = script
        }
        return (ProgressScript.data(step, job: job, bytesPerFile: configuration.bytesPerFile), step.state, step.progress)
    }
}
