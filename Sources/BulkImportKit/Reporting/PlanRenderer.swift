/// Prints the requests `run` would send, secrets masked: secret fields print as their placeholder,
/// and every other value goes through `redactor` before it is encoded, so a secret reused in a url,
/// a name or a path is masked there too, whatever characters it holds.
public struct PlanRenderer: Sendable {
    public var builder: RequestBuilder
    /// The run's secrets (``ValidationResult/redactor``).
    public var redactor: Redactor

    public init(builder: RequestBuilder = RequestBuilder(), redactor: Redactor = Redactor()) {
        self.builder = builder
        self.redactor = redactor
    }

    /// `{"jobs": [{"name", "target", "api", "request", "requests"?, "check"?}]}`; `requests` lists every
    /// request of a Milvus 2.2/2.3 job, which takes one per file group, and `check` the collection
    /// check sent before them.
    public func json(_ jobs: [ImportJob]) -> String {
        let items: [JSONValue] = jobs.map { job in
            let requests = builder.createRequests(for: job).map { redactor.redact($0.json) }
            var pairs: [(String, JSONValue)] = [
                ("name", .string(redactor.redact(job.name))),
                ("file", .string(redactor.redact(job.location.file))),
                ("target", .string(job.target.name.map(redactor.redact) ?? "(inline)")),
                ("api", .string(job.target.api.rawValue)),
                ("request", requests.first ?? .null),
            ]
            if requests.count > 1 { pairs.append(("requests", .array(requests))) }
            if let check = builder.collectionCheckRequest(for: job) { pairs.append(("check", redactor.redact(check.json))) }
            return .object(pairs)
        }
        return JSONWriter.write(.object([("jobs", .array(items))]), pretty: true) + "\n"
    }

    /// A readable listing: each job, then its requests as they go on the wire.
    public func text(_ jobs: [ImportJob]) -> String {
        var out = ""
        for job in jobs {
            let requests = builder.createRequests(for: job)
            let name = redactor.redact(job.name)
            let location = redactor.redact(job.location)
            let target = job.target.name.map(redactor.redact) ?? "inline target"
            out += "job \(name)  (\(location))  → \(target) [\(job.target.api.rawValue)]\n"
            if let check = builder.collectionCheckRequest(for: job) {
                // Once per collection, before the first create (a missing one is refused in milliseconds).
                out += "  # first, once per collection: does it exist?\n"
                out += "  \(check.method) \(redactor.redact(check.url))\n"
                if let body = check.body { out += "  " + JSONWriter.write(redactor.redact(body)) + "\n" }
            }
            for (i, request) in requests.enumerated() {
                if requests.count > 1 { out += "  # request \(i + 1) of \(requests.count)\n" }
                out += "  \(request.method) \(redactor.redact(request.url))\n"
                for header in request.headers { out += "  \(header.name): \(redactor.redact(header.displayValue))\n" }
                if let body = request.body {
                    out +=
                        "\n"
                        + JSONWriter.write(redactor.redact(body), pretty: true).split(separator: "\n").map { "  " + $0 }.joined(
                            separator: "\n") + "\n"
                }
            }
            out += "\n"
        }
        out += "\(jobs.count) job\(jobs.count == 1 ? "" : "s") planned; nothing was sent.\n"
        return out
    }
}
