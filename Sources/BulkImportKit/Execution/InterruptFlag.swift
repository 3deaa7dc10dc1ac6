/// Set on Ctrl-C: no new submissions start once it is set.
public final class InterruptFlag: @unchecked Sendable {
    private let lock = Lock()
    private var value = false

    public init() {}

    public var isSet: Bool { lock.withLock { value } }

    public func set() { lock.withLock { value = true } }
}
