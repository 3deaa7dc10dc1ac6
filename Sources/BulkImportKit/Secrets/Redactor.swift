/// Masks secret values wherever they appear in text, as CI systems mask secrets by value: a value
/// that fills a secret field is hidden even where it shows up in a url or a collection name.
public struct Redactor: Sendable, Hashable {
    private var values: [String] = []

    public init(secrets: some Sequence<String> = []) {
        for secret in secrets { add(secret) }
    }

    /// Adds a value to mask, with the forms it takes inside JSON strings.
    public mutating func add(_ secret: String) {
        guard !secret.isEmpty else { return }
        for form in [secret, JSONWriter.escape(secret)] where !values.contains(form) {
            values.append(form)
        }
        // Longer first, so a secret that contains another is masked whole.
        values.sort { $0.utf8.count > $1.utf8.count }
    }

    public mutating func add(_ secret: Secret) { add(secret.reveal()) }

    /// Adds every value `other` masks.
    public mutating func merge(_ other: Redactor) {
        for value in other.values { add(value) }
    }

    /// Whether there is anything to mask.
    public var isEmpty: Bool { values.isEmpty }

    /// `text` with every secret value replaced by `<redacted>`.
    public func redact(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var text = text
        for value in values where text.contains(value) {
            text = text.replacing(value, with: Secret.placeholder)
        }
        return text
    }
}
