/// Prints the requests `run` would send, secrets masked: secret fields print as their placeholder,
/// and every other value goes through `redactor` before it is encoded, so a secret reused in a url,
/// a name or a path is masked there too, whatever characters it holds. Names, paths and urls are
/// then clipped (``ClippedValue``); in request bodies, a string over 1000 characters is cut (the
/// plan says so where it is), so that no single value makes the plan huge.
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
    public func json(_ jobs: [ImportJob], state: [String: LedgerEntry] = [:]) -> String {
        let items: [JSONValue] = jobs.map { job in
            let planned = Self.planned(job, entry: state[job.name])
            let requests = builder.createRequests(for: job, idempotencyKey: planned.key).map { Self.limited(redacted($0)) }
            var pairs: [(String, JSONValue)] = [
                ("name", .string(redactor.redact(job.name).clipped())),
                ("file", .string(redactor.redact(job.location.file).clipped())),
                ("target", .string(job.target.name.map { redactor.redact($0).clipped() } ?? "(inline)")),
                ("api", .string(job.target.api.rawValue)),
                ("run", .string(planned.action)),
                ("request", requests.first ?? .null),
            ]
            if let why = planned.why { pairs.append(("why", .string(redactor.redact(why)))) }
            if requests.count > 1 { pairs.append(("requests", .array(requests))) }
            if let check = builder.collectionCheckRequest(for: job) { pairs.append(("check", Self.limited(redacted(check)))) }
            return .object(pairs)
        }
        return JSONWriter.write(.object([("jobs", .array(items))]), pretty: true) + "\n"
    }

    /// A readable listing: each job, then its requests as they go on the wire.
    public func text(_ jobs: [ImportJob], state: [String: LedgerEntry] = [:]) -> String {
        var out = ""
        for job in jobs {
            let planned = Self.planned(job, entry: state[job.name])
            let requests = builder.createRequests(for: job, idempotencyKey: planned.key)
            let name = redactor.redact(job.name).clipped()
            var location = redactor.redact(job.location)
            location.file = location.file.clipped()
            let target = job.target.name.map { redactor.redact($0).clipped() } ?? "inline target"
            out += "job \(name)  (\(location))  → \(target) [\(job.target.api.rawValue)]\n"
            if let why = planned.why { out += "  # \(redactor.redact(why))\n" }
            if let check = builder.collectionCheckRequest(for: job) {
                // Once per collection, before the first create (a missing one is refused in milliseconds).
                out += "  # first, once per collection: does it exist?\n"
                out += "  \(check.method) \(redactor.redact(check.url).clipped())\n"
                if let body = check.body { out += "  " + JSONWriter.write(Self.limited(redacted(body: body))) + "\n" }
            }
            for (i, request) in requests.enumerated() {
                if requests.count > 1 { out += "  # request \(i + 1) of \(requests.count)\n" }
                out += "  \(request.method) \(redactor.redact(request.url).clipped())\n"
                for header in request.headers { out += "  \(header.name): \(redactor.redact(header.displayValue).clipped())\n" }
                if let body = request.body {
                    out +=
                        "\n"
                        + JSONWriter.write(Self.limited(redacted(body: body)), pretty: true).split(separator: "\n").map { "  " + $0 }
                        .joined(
                            separator: "\n") + "\n"
                }
            }
            out += "\n"
        }
        out += "\(Plural.count(jobs.count, "job")) planned; nothing was sent.\n"
        return out
    }

    /// `request` as JSON with every value masked, but not the names the tool gives: header names
    /// and the body's fields (a secret "Authorization" must not rename a header).
    func redacted(_ request: ImportRequest) -> JSONValue {
        .object([
            ("method", .string(request.method)),
            ("url", .string(redactor.redact(request.url))),
            ("headers", .object(request.headers.map { ($0.name, .string(redactor.redact($0.displayValue))) })),
            ("body", request.body.map { redacted(body: $0) } ?? .null),
        ])
    }

    /// `body` masked, its top-level field names (the API's) kept; names below them (options) are
    /// the manifest's, and masked.
    func redacted(body: JSONValue) -> JSONValue {
        guard case .object(let members) = body else { return redactor.redact(body) }
        return .object(members.map { ($0.0, redactor.redact($0.1)) })
    }

    /// The most items of an array or members of an object a plan shows.
    static let mostMembersShown = 1000

    /// `value` with every string (and key) over 1000 characters cut, with an ellipsis and its
    /// length, and at most ``mostMembersShown`` items of an array or members of an object, then a
    /// marker that says how many more there are.
    static func limited(_ value: JSONValue) -> JSONValue {
        switch value {
        case .null, .bool, .int, .double: return value
        case .string(let text): return .string(Diagnostic.limited(text))
        case .array(let items):
            var shown = items.prefix(mostMembersShown).map(limited)
            if items.count > mostMembersShown { shown.append(.string("… \(items.count - mostMembersShown) more not shown")) }
            return .array(shown)
        case .object(let members):
            var shown = members.prefix(mostMembersShown).map { (Diagnostic.limited($0.0), limited($0.1)) }
            if members.count > mostMembersShown { shown.append(("…", .string("\(members.count - mostMembersShown) more not shown"))) }
            return .object(shown)
        }
    }

    /// What `run` would do with `job` given its state `entry`, and the Idempotency-Key its create
    /// would carry: the decision `run` makes without flags; for a job it would not send, the key
    /// that `--retry-unknown` (the same create) or `--resubmit` (a new sending) would send.
    static func planned(_ job: ImportJob, entry: LedgerEntry?) -> (action: String, key: String, why: String?) {
        let digest = JobDigest.digest(of: job)
        let key = { (generation: Int) in JobDigest.idempotencyKey(for: digest, generation: generation) }
        switch SubmitDecision.decide(entry: entry, digest: digest, options: RunOptions()) {
        case .send(let changedFrom, let generation):
            let why =
                changedFrom != nil
                ? "changed since the state's record of it: run sends it"
                : generation > 1 ? "sent before (generation \(generation - 1)): run sends it again under a new key" : nil
            return ("send", key(generation), why)
        case .skip(let reason, _, _):
            let next = (entry?.generation ?? 0) + 1
            return ("skip", key(next), "run skips it: \(reason) (the key below is --resubmit's)")
        case .unknown(let error, _):
            let same = max(1, entry?.generation ?? 1)
            return (
                "unknown", key(same),
                "run asks the target about it first (\(error)); the key below is the one it was sent with"
            )
        case .resumeGroups:
            return ("resume", key(max(1, entry?.generation ?? 1)), "run resumes it group by group, asking the target about each task")
        }
    }
}
