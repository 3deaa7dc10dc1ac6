/// Prints the requests `run` would send, secrets masked.
public struct PlanRenderer: Sendable {
    public var builder: RequestBuilder

    public init(builder: RequestBuilder = RequestBuilder()) {
        self.builder = builder
    }

    /// `{"jobs": [{"name", "target", "api", "request", "requests"?, "check"?}]}`; `requests` lists every
    /// request of a Milvus 2.2/2.3 job, which takes one per file group, and `check` the collection
    /// check sent before them.
    public func json(_ jobs: [ImportJob]) -> String {
        let items: [JSONValue] = jobs.map { job in
            let requests = builder.createRequests(for: job)
            var pairs: [(String, JSONValue)] = [
                ("name", .string(job.name)),
                ("file", .string(job.location.file)),
                ("target", .string(job.target.name ?? "(inline)")),
                ("api", .string(job.target.api.rawValue)),
                ("request", requests.first?.json ?? .null),
            ]
            if requests.count > 1 { pairs.append(("requests", .array(requests.map(\.json)))) }
            if let check = builder.collectionCheckRequest(for: job) { pairs.append(("check", check.json)) }
            return .object(pairs)
        }
        return JSONWriter.write(.object([("jobs", .array(items))]), pretty: true) + "\n"
    }

    /// A readable listing: each job, then its requests as they go on the wire.
    public func text(_ jobs: [ImportJob]) -> String {
        var out = ""
        for job in jobs {
            let requests = builder.createRequests(for: job)
            out += "job \(job.name)  (\(job.location))  → \(job.target.name ?? "inline target") [\(job.target.api.rawValue)]\n"
            if let check = builder.collectionCheckRequest(for: job) {
                // Once per collection, before the first create (a missing one is refused in milliseconds).
                out += "  # first, once per collection: does it exist?\n"
                out += "  \(check.method) \(check.url)\n"
                if let body = check.body { out += "  " + JSONWriter.write(body) + "\n" }
            }
            for (i, request) in requests.enumerated() {
                if requests.count > 1 { out += "  # request \(i + 1) of \(requests.count)\n" }
                out += "  \(request.method) \(request.url)\n"
                for header in request.headers { out += "  \(header.name): \(header.displayValue)\n" }
                if let body = request.body {
                    out += "\n" + JSONWriter.write(body, pretty: true).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
                }
            }
            out += "\n"
        }
        out += "\(jobs.count) job\(jobs.count == 1 ? "" : "s") planned; nothing was sent.\n"
        return out
    }
}
