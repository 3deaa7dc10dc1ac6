/// An HTTP header of a request. A header that carries a credential keeps it as a ``Secret``: it
/// prints as `<prefix><redacted>` and only the wire sees the value.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    /// The text before the secret ("Bearer "), or the whole value when there is no secret.
    public var value: String
    public var secret: Secret?

    public init(_ name: String, _ value: String, secret: Secret? = nil) {
        self.name = name
        self.value = value
        self.secret = secret
    }

    /// The value as printed: secrets masked.
    public var displayValue: String { secret == nil ? value : value + Secret.placeholder }

    /// The value as sent.
    public func wireValue() -> String { value + (secret?.reveal() ?? "") }
}

/// One HTTP request the executor sends, exactly: `plan` prints it, `run` sends it.
///
/// Secrets never enter the JSON body: a body field that carries one (`accessKey`, `secretKey`,
/// `token`) holds ``Secret/placeholder`` there, and the secret itself waits in ``bodySecrets``
/// until ``wireBody()`` puts it in, as ``HTTPHeader`` does for headers.
public struct ImportRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    /// The body as printed: secret fields hold ``Secret/placeholder``.
    public var body: JSONValue?
    /// The secrets of the body, by top-level field.
    public var bodySecrets: [String: Secret]

    public init(method: String, url: String, headers: [HTTPHeader], body: JSONValue?, bodySecrets: [String: Secret] = [:]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.bodySecrets = bodySecrets
    }

    /// The value of the header `name` as printed, if present.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.displayValue
    }

    /// The request as JSON, secrets masked: `{"method", "url", "headers", "body"}`.
    public var json: JSONValue {
        .object([
            ("method", .string(method)),
            ("url", .string(url)),
            ("headers", .object(headers.map { ($0.name, .string($0.displayValue)) })),
            ("body", body ?? .null),
        ])
    }

    /// The body as sent, secrets revealed: the one place they are put back. Only the transport
    /// calls it.
    public func wireBody() -> [UInt8]? {
        guard let body else { return nil }
        guard !bodySecrets.isEmpty, case .object(let members) = body else { return JSONWriter.bytes(body) }
        return JSONWriter.bytes(
            .object(
                members.map { key, value in
                    bodySecrets[key].map { (key, .string($0.reveal())) } ?? (key, value)
                }))
    }
}
