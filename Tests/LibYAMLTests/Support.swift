import LibYAML
import Testing

/// Loads `text`, failing the test (not crashing) when it does not compose.
func load(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> (root: YAMLNode, issues: [YAMLIssue])
{
    let (root, issues) = try YAMLComposer.load(text, limits: limits)
    let node = try #require(root, "expected a document", sourceLocation: sourceLocation)
    return (node, issues)
}

/// Composes raw bytes (which need not be UTF-8) and returns the error that stopped it, if any.
func loadError(bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
    do {
        let composer = YAMLComposer(parser: try YAMLParser(bytes: bytes, limits: limits), limits: limits)
        _ = try composer.composeDocument()
        return nil
    } catch {
        return error
    }
}

func loadError(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
    loadError(bytes: Array(text.utf8), limits: limits)
}

func mark(_ line: Int, _ column: Int) -> YAMLMark { YAMLMark(line: line, column: column) }

func span(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> YAMLSpan { YAMLSpan(start: mark(l1, c1), end: mark(l2, c2)) }

extension YAMLNode {
    /// The value of `key` in a mapping (the first pair with that scalar key).
    subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.value == key }?.value
    }

    /// The key node of `key` in a mapping.
    func keyNode(_ key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.value == key }?.key
    }

    /// The keys of a mapping, in order.
    var keys: [String] { mapping?.compactMap { $0.key.scalar?.value } ?? [] }

    /// The text of a scalar.
    var text: String? { scalar?.value }
}
