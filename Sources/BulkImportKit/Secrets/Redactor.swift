/// Masks secret values wherever they appear in text, as CI systems mask secrets by value: a value
/// that fills a secret field is hidden even where it shows up in a url or a collection name.
///
/// It knows no output format: what is printed is built from values already passed through it
/// (``redact(_:)-Diagnostic``, ``redact(_:)-RunEvent``, ``redact(_:)-JSONValue``), and each format
/// then escapes its own way, so it masks secrets exactly as they were resolved and no encoded form.
public struct Redactor: Sendable, Hashable {
    /// The secrets' bytes, longest first, so a secret that contains another is masked whole.
    private var values: [[UInt8]] = []

    public init(secrets: some Sequence<String> = []) {
        for secret in secrets { add(secret) }
    }

    /// Adds a value to mask.
    public mutating func add(_ secret: String) {
        let bytes = Array(secret.utf8)
        guard !bytes.isEmpty, !values.contains(bytes) else { return }
        values.append(bytes)
        values.sort { $0.count > $1.count }
    }

    public mutating func add(_ secret: Secret) { add(secret.reveal()) }

    /// Adds every value `other` masks.
    public mutating func merge(_ other: Redactor) {
        for value in other.values where !values.contains(value) { values.append(value) }
        values.sort { $0.count > $1.count }
    }

    /// Whether there is anything to mask.
    public var isEmpty: Bool { values.isEmpty }

    /// `text` with every secret value replaced by `<redacted>`, in one pass, so the placeholder
    /// itself is never rescanned.
    public func redact(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        let input = Array(text.utf8)
        let placeholder = Array(Secret.placeholder.utf8)
        var firstBytes = [Bool](repeating: false, count: 256)
        for v in values { firstBytes[Int(v[0])] = true }
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var i = 0
        var changed = false
        scan: while i < input.count {
            // A placeholder already in the text stays whole, whatever short secret it contains.
            if input[i] == placeholder[0], input.count - i >= placeholder.count,
                Array(input[i..<(i + placeholder.count)]) == placeholder
            {
                output += placeholder
                i += placeholder.count
                continue scan
            }
            if firstBytes[Int(input[i])] {
                for v in values where v.count <= input.count - i {
                    var match = true
                    for k in 1..<v.count where input[i + k] != v[k] {
                        match = false
                        break
                    }
                    if match && input[i] == v[0] {
                        output += placeholder
                        i += v.count
                        changed = true
                        continue scan
                    }
                }
            }
            output.append(input[i])
            i += 1
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }
}
