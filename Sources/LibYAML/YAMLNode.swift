/// How a scalar was written. A quoted scalar is always a string, whatever it looks like.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded

    /// Whether the scalar was written in quotes or as a block (so it is certainly a string).
    public var isQuotedOrBlock: Bool { self != .plain }
}

/// A scalar's text exactly as the document spelled it (after YAML's own unescaping), with its style.
public struct YAMLScalar: Sendable, Hashable {
    public var value: String
    public var style: YAMLScalarStyle

    public init(_ value: String, style: YAMLScalarStyle = .plain) {
        self.value = value
        self.style = style
    }
}

/// One node of a composed YAML document.
///
/// Every node keeps the span it was written at. A node reached through an alias is a copy of the
/// anchored node, so its spans point at where it was written; `aliasSpan` says where the alias was.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var span: YAMLSpan
    /// The resolved tag, when the document gave one explicitly (`!!str`, `!custom`).
    public var tag: String?
    /// Where the alias that stands for this node was written, when the node came from an alias.
    public var aliasSpan: YAMLSpan?

    public init(_ content: Content, span: YAMLSpan, tag: String? = nil, aliasSpan: YAMLSpan? = nil) {
        self.content = content
        self.span = span
        self.tag = tag
        self.aliasSpan = aliasSpan
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The items, if this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The key-value pairs in document order, if this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// A short name of the node's kind for messages: "a string", "a list", "a mapping".
    public var kindDescription: String {
        switch content {
        case .scalar:
            if isNull { return "null" }
            return "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Whether this is an untagged plain scalar that YAML reads as null (`~`, `null`, or nothing).
    public var isNull: Bool {
        guard tag == nil, case .scalar(let s) = content, s.style == .plain else { return false }
        return s.value.isEmpty || s.value == "~" || s.value == "null" || s.value == "Null" || s.value == "NULL"
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
