/// A credential resolved from the environment. It prints as `<redacted>` everywhere; only
/// ``reveal()``, called where a request is put on the wire, gives the value.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// What a secret prints as.
    public static let placeholder = "<redacted>"

    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The value, for the one place that must send it.
    public func reveal() -> String { value }

    public var description: String { Self.placeholder }
    public var debugDescription: String { Self.placeholder }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
