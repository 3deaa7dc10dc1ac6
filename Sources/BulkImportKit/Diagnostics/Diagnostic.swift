import LibYAML

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A place related to a diagnostic, with what it has to do with it ("first defined here").
public struct DiagnosticNote: Sendable, Hashable, Codable {
    public var message: String
    public var location: ManifestLocation?

    public init(_ message: String, at location: ManifestLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// One problem found in a manifest: data, printed by whichever ``DiagnosticReporter`` the user picks.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var location: ManifestLocation
    /// The job the problem belongs to, when it belongs to one.
    public var job: String?
    /// Where in the manifest's structure the value sits, e.g. `jobs[2].files[0]`.
    public var path: String?
    /// How to fix it, in a sentence.
    public var fix: String?
    /// Related places.
    public var notes: [DiagnosticNote]

    public init(
        _ severity: Severity,
        _ code: DiagnosticCode,
        _ message: String,
        at location: ManifestLocation,
        job: String? = nil,
        path: String? = nil,
        fix: String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        self.severity = severity
        self.code = code
        // Messages quote values `\(quoted:)`, so they are short; these bounds are the backstop that
        // keeps any output small whatever a caller passed (a 60 MB job name, a hostile key).
        self.message = Self.bounded(message, to: Self.maxTextLength)
        self.location = location
        self.job = job.map { Self.bounded($0, to: ClippedValue.limit) }
        self.path = path.map { Self.bounded($0, to: Self.maxPathLength) }
        self.fix = fix.map { Self.bounded($0, to: Self.maxTextLength) }
        self.notes = notes
    }

    /// The longest message or fix kept whole.
    static let maxTextLength = 2_000
    /// The longest path kept whole: a few clipped keys.
    static let maxPathLength = 600

    /// `text` itself when short, else clipped and escaped (see ``ClippedValue``).
    private static func bounded(_ text: String, to limit: Int) -> String {
        // By length only: escaping a short value here would hide a secret in it from the redactor,
        // which masks by value after this.
        text.utf8.count <= limit ? text : text.clipped(to: limit)
    }
}

extension Diagnostic: CustomStringConvertible {
    /// `file:line:column: severity[code]: message`, the form compilers and editors understand.
    public var description: String {
        "\(location): \(severity.rawValue)[\(code.rawValue)]: \(message)"
    }
}
