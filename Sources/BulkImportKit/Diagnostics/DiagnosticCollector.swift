/// Where diagnostics go as they are found. Diagnostics are data; a collector decides what becomes
/// of them: ``DiagnosticBag`` keeps them (counted, de-duplicated), ``ErrorThrowingCollector``
/// stops at the first error.
public protocol DiagnosticCollector {
    /// What `emit` throws: `Never` for collectors that keep going.
    associatedtype Failure: Error = Never

    /// Takes one diagnostic.
    mutating func emit(_ diagnostic: Diagnostic) throws(Failure)
}

extension DiagnosticCollector {
    /// Takes each of `diagnostics`, in order.
    public mutating func emit(contentsOf diagnostics: some Sequence<Diagnostic>) throws(Failure) {
        for diagnostic in diagnostics { try emit(diagnostic) }
    }
}

/// Passes diagnostics on to `upstream` and throws the first error (the ``Diagnostic`` itself), for
/// callers that want to stop at the first problem instead of reporting them all.
public struct ErrorThrowingCollector<Upstream: DiagnosticCollector>: DiagnosticCollector where Upstream.Failure == Never {
    public var upstream: Upstream

    public init(upstream: Upstream) {
        self.upstream = upstream
    }

    public mutating func emit(_ diagnostic: Diagnostic) throws(Diagnostic) {
        upstream.emit(diagnostic)
        if diagnostic.severity == .error { throw diagnostic }
    }
}

extension ErrorThrowingCollector: Sendable where Upstream: Sendable {}
