/// Masks secret values wherever they appear in text, as CI systems mask secrets by value: a value
/// that fills a secret field is hidden even where it shows up in a url or a collection name.
///
/// It knows no output format: what is printed is built from values already passed through it
/// (``redact(_:)-Diagnostic``, ``redact(_:)-RunEvent``, ``redact(_:)-JSONValue``), and each format
/// then escapes its own way, so it masks secrets exactly as they were resolved and no encoded form.
///
/// A secret shorter than ``minimumMaskedLength`` is not masked by value: `a`, `1` or `true` occur in
/// any text, and masking them would garble it (`Authoriz<redacted>tion`). Fields that hold a secret
/// print ``Secret/placeholder`` by type whatever its length; ``shortSecretSources`` says which
/// variables hold such a value, for the one warning that says so.
public struct Redactor: Sendable, Hashable {
    /// The shortest secret masked by value in text.
    public static let minimumMaskedLength = 6

    /// The secrets' bytes, longest first, so a secret that contains another is masked whole.
    private var values: [[UInt8]] = []
    /// Where the secrets too short to mask came from: `$<NAME>` references, or "" when the value
    /// was written in the manifest or a url.
    public private(set) var shortSecretSources: Set<String> = []

    public init(secrets: some Sequence<String> = []) {
        for secret in secrets { add(secret) }
    }

    /// Adds a value to mask; `variables` are the names of the variables it was resolved from, for
    /// the warning about a value too short to mask.
    public mutating func add(_ secret: String, from variables: [String] = []) {
        guard !secret.isEmpty else { return }
        guard secret.unicodeScalars.count >= Self.minimumMaskedLength else {
            if variables.isEmpty {
                shortSecretSources.insert("")
            } else {
                for name in variables { shortSecretSources.insert(name) }
            }
            return
        }
        let bytes = Array(secret.utf8)
        guard !values.contains(bytes) else { return }
        values.append(bytes)
        values.sort { $0.count > $1.count }
    }

    public mutating func add(_ secret: Secret) { add(secret.reveal()) }

    /// Adds every value `other` masks.
    public mutating func merge(_ other: Redactor) {
        for value in other.values where !values.contains(value) { values.append(value) }
        values.sort { $0.count > $1.count }
        shortSecretSources.formUnion(other.shortSecretSources)
    }

    /// Whether there is anything to mask.
    public var isEmpty: Bool { values.isEmpty }

    /// The one warning about secrets too short to mask by value, naming the variables that hold
    /// them (never a value); nil when there are none.
    public var shortSecretWarning: String? {
        guard !shortSecretSources.isEmpty else { return nil }
        let names = shortSecretSources.filter { !$0.isEmpty }.sorted().map { "$<\($0.clipped())>" }
        var sources = names.joined(separator: ", ")
        if shortSecretSources.contains("") {
            sources +=
                (names.isEmpty ? "" : " and ")
                + "a secret not held whole by one variable (a password in a url, or a value written in place)"
        }
        let plural = shortSecretSources.count > 1
        return "\(sources) \(plural ? "hold values" : "holds a value") shorter than \(Self.minimumMaskedLength) characters, "
            + "too short to mask in free text without garbling it: fields that hold \(plural ? "them" : "it") print "
            + "\(Secret.placeholder), but server messages, names and source lines may show \(plural ? "them" : "it"); "
            + "a real token or key is longer"
    }

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
