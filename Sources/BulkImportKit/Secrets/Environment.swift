/// The variables `$<NAME>` references resolve against. Always injected, never read from a global
/// inside the library, so tests are hermetic.
public struct Environment: Sendable, Hashable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> String? { values[name] }
}
