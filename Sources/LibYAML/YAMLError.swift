/// A problem that stops the loading of a YAML document.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is; stable, for codes and tests.
    public enum Kind: String, Sendable, Hashable {
        /// The bytes are not valid UTF-8 (or another encoding libyaml accepts).
        case invalidEncoding
        /// libyaml's scanner or parser rejected the text.
        case syntax
        /// Nesting went deeper than the configured limit.
        case nestingTooDeep
        /// Aliases would expand to more nodes than the configured budget.
        case aliasBudgetExceeded
        /// An alias names an anchor that was not defined before it.
        case undefinedAlias
        /// The input is larger than the configured limit.
        case inputTooLarge
        /// The file could not be read part-way (the message is the system's reason).
        case cannotRead
        /// One value has more nodes than the configured limit.
        case tooManyNodes
    }

    public var kind: Kind
    /// The problem, in words (libyaml's own words for syntax errors).
    public var message: String
    /// Where the problem is.
    public var mark: YAMLMark
    /// What libyaml was reading when the problem arose, if it said ("while parsing a block mapping").
    public var context: String?
    /// Where that context starts.
    public var contextMark: YAMLMark?

    public init(kind: Kind, message: String, mark: YAMLMark, context: String? = nil, contextMark: YAMLMark? = nil) {
        self.kind = kind
        self.message = message
        self.mark = mark
        self.context = context
        self.contextMark = contextMark
    }

    public var description: String {
        var text = "\(mark): \(message)"
        if let context { text += " (\(context)\(contextMark.map { " at \($0)" } ?? ""))" }
        return text
    }
}

/// A problem found while composing that does not stop the loading: the document is still usable.
public struct YAMLIssue: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A mapping repeats a key; the first one is kept.
        case duplicateKey
        /// A `<<` merge key whose value is not a mapping, an alias of one, or a list of them.
        case invalidMerge
        /// A second document in the stream, which is ignored.
        case multipleDocuments
    }

    public var kind: Kind
    public var message: String
    public var span: YAMLSpan
    /// A related place, e.g. the first definition of a duplicated key.
    public var related: YAMLSpan?

    public init(kind: Kind, message: String, span: YAMLSpan, related: YAMLSpan? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.related = related
    }
}
