/// Composes nodes from a ``YAMLParser``'s events, one node at a time or a whole document.
///
/// Beyond what libyaml does, it:
/// - counts nesting depth in the event loop and stops at ``YAMLLimits/maxDepth`` (libyaml 0.2.5
///   has no limit of its own and slows to a crawl on deep input);
/// - resolves aliases against anchors defined earlier, within a budget on the nodes they add, so a
///   "billion laughs" document is refused in microseconds instead of being expanded;
/// - applies `<<` merge keys (explicit keys win; earlier merged mappings win over later ones), and
///   reports a merge value that is not a mapping instead of ignoring it;
/// - reports a duplicate key at the second occurrence, pointing at the first.
///
/// Callers that want to stream (the manifest loader composes one job at a time) use
/// ``nextEvent()`` and ``compose(startingWith:)`` directly.
public final class YAMLComposer {
    public let parser: YAMLParser
    public let limits: YAMLLimits
    /// Problems found so far that did not stop the composing.
    public private(set) var issues: [YAMLIssue] = []

    private var depth = 0
    private var writtenNodes = 0
    private var expandedNodes = 0
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    /// `writtenNodes` when the outermost compose started, and whether one is running.
    private var valueStart = 0
    private var composing = false
    /// Events read ahead by a caller and handed back (see ``replay(_:)``), served before the parser's.
    private var replayed: [YAMLEvent] = []
    private var replayedNext = 0

    public init(parser: YAMLParser, limits: YAMLLimits = .default) {
        self.parser = parser
        self.limits = limits
    }

    /// The next event, with the nesting depth checked.
    public func nextEvent() throws(YAMLError) -> YAMLEvent {
        if replayedNext < replayed.count {
            // Their depth was checked when they were first read.
            defer {
                replayedNext += 1
                if replayedNext == replayed.count {
                    replayed.removeAll(keepingCapacity: true)
                    replayedNext = 0
                }
            }
            return replayed[replayedNext]
        }
        let event = try parser.next()
        switch event {
        case .sequenceStart(_, _, let span), .mappingStart(_, _, let span):
            depth += 1
            if depth > limits.maxDepth {
                throw YAMLError(
                    kind: .nestingTooDeep,
                    message: "nesting is deeper than \(limits.maxDepth) levels",
                    mark: span.start
                )
            }
        case .sequenceEnd, .mappingEnd:
            depth -= 1
        default:
            break
        }
        return event
    }

    /// Hands back events a caller read with ``nextEvent()`` and did not use, to be read again, in
    /// order, before the parser's next ones: a caller that decodes plain input straight from events
    /// gives them back on anything it does not handle, and composes from the start.
    public func replay(_ events: [YAMLEvent]) {
        precondition(replayedNext == replayed.count || replayed.isEmpty, "replaying while replaying")
        replayed = events
        replayedNext = 0
    }

    /// Counts `nodes` a caller read straight from events (without composing them) as written, so
    /// the budget for aliases that follow is what it would have been had they been composed.
    public func countWritten(nodes: Int) {
        writtenNodes += nodes
    }

    /// Records a problem that does not stop composing.
    public func report(_ issue: YAMLIssue) {
        issues.append(issue)
    }

    /// Composes the node that `event` starts, reading the events up to its end.
    public func compose(startingWith event: YAMLEvent) throws(YAMLError) -> YAMLNode {
        if composing { return try composeCounted(event).node }
        composing = true
        valueStart = writtenNodes
        defer { composing = false }
        return try composeCounted(event).node
    }

    /// Counts a written node against the per-value budget.
    private func countNode(at span: YAMLSpan) throws(YAMLError) {
        writtenNodes += 1
        if writtenNodes - valueStart > limits.maxNodesPerValue {
            throw YAMLError(
                kind: .tooManyNodes,
                message: "this value has more than \(limits.maxNodesPerValue) nodes",
                mark: span.start
            )
        }
    }

    /// Composes the single document of the stream, or returns nil for a stream with no document.
    /// A second document is reported as an issue and not read.
    public func composeDocument() throws(YAMLError) -> YAMLNode? {
        var root: YAMLNode?
        loop: while true {
            let event = try nextEvent()
            switch event {
            case .streamStart, .documentEnd:
                continue
            case .documentStart(let span):
                if root != nil {
                    report(YAMLIssue(kind: .multipleDocuments, message: "a second document starts here", span: span))
                    break loop
                }
            case .streamEnd:
                break loop
            default:
                root = try compose(startingWith: event)
            }
        }
        return root
    }

    private func composeCounted(_ event: YAMLEvent) throws(YAMLError) -> (node: YAMLNode, size: Int) {
        switch event {
        case .scalar(let scalar, let tag, let anchor, let span):
            try countNode(at: span)
            let node = YAMLNode(.scalar(scalar), span: span, tag: tag)
            if let anchor { anchors[anchor] = (node, 1) }
            return (node, 1)

        case .alias(let name, let span):
            guard let (anchored, size) = anchors[name] else {
                throw YAMLError(
                    kind: .undefinedAlias,
                    message: "alias *\(name) refers to no anchor defined before it",
                    mark: span.start
                )
            }
            expandedNodes += size
            let budget = max(limits.aliasExpansionFloor, limits.aliasExpansionFactor * writtenNodes)
            if expandedNodes > budget {
                throw YAMLError(
                    kind: .aliasBudgetExceeded,
                    message: "aliases expand to more than \(budget) nodes (\(writtenNodes) written); "
                        + "this looks like an alias bomb",
                    mark: span.start
                )
            }
            var node = anchored
            node.aliasSpan = span
            return (node, size)

        case .sequenceStart(let tag, let anchor, let start):
            try countNode(at: start)
            var items: [YAMLNode] = []
            var size = 1
            while true {
                let next = try nextEvent()
                if case .sequenceEnd(let end) = next {
                    let node = YAMLNode(.sequence(items), span: YAMLSpan(start: start.start, end: end.end), tag: tag)
                    if let anchor { anchors[anchor] = (node, size) }
                    return (node, size)
                }
                let (item, itemSize) = try composeCounted(next)
                items.append(item)
                size += itemSize
            }

        case .mappingStart(let tag, let anchor, let start):
            try countNode(at: start)
            var pairs: [YAMLPair] = []
            var merges: [YAMLNode] = []
            var index: [String: Int] = [:]  // key -> position, built once the mapping grows
            var size = 1
            while true {
                let next = try nextEvent()
                if case .mappingEnd(let end) = next {
                    if !merges.isEmpty { pairs = merge(pairs, with: merges) }
                    let node = YAMLNode(.mapping(pairs), span: YAMLSpan(start: start.start, end: end.end), tag: tag)
                    if let anchor { anchors[anchor] = (node, size) }
                    return (node, size)
                }
                let (key, keySize) = try composeCounted(next)
                let (value, valueSize) = try composeCounted(try nextEvent())
                size += keySize + valueSize
                if key.tag == nil, let s = key.scalar, s.style == .plain, s.value == "<<" {
                    merges.append(contentsOf: mergeSources(value))
                    continue
                }
                if let s = key.scalar {
                    let first: Int?
                    if pairs.count < 12 {
                        first = pairs.firstIndex { $0.key.scalar?.value == s.value }
                    } else {
                        if index.isEmpty {
                            for (i, p) in pairs.enumerated() { if let k = p.key.scalar?.value, index[k] == nil { index[k] = i } }
                        }
                        first = index[s.value]
                        if first == nil { index[s.value] = pairs.count }
                    }
                    if let first {
                        report(
                            YAMLIssue(
                                kind: .duplicateKey,
                                message: "duplicate key '\(s.value)'",
                                span: key.span,
                                related: pairs[first].key.span
                            ))
                        continue
                    }
                }
                pairs.append(YAMLPair(key: key, value: value))
            }

        case .streamStart, .streamEnd, .documentStart, .documentEnd, .sequenceEnd, .mappingEnd:
            throw YAMLError(kind: .syntax, message: "unexpected event while composing a node", mark: event.span.start)
        }
    }

    /// The mappings a `<<` value names: a mapping, or a list of mappings. Anything else is reported.
    private func mergeSources(_ value: YAMLNode) -> [YAMLNode] {
        switch value.content {
        case .mapping:
            return [value]
        case .sequence(let items):
            var sources: [YAMLNode] = []
            for item in items {
                if item.mapping != nil {
                    sources.append(item)
                } else {
                    report(
                        YAMLIssue(
                            kind: .invalidMerge,
                            message: "a '<<' merge list may hold only mappings, not \(item.kindDescription)",
                            span: item.aliasSpan ?? item.span
                        ))
                }
            }
            return sources
        case .scalar:
            report(
                YAMLIssue(
                    kind: .invalidMerge,
                    message: "the value of a '<<' merge key must be a mapping or a list of mappings, not \(value.kindDescription)",
                    span: value.aliasSpan ?? value.span
                ))
            return []
        }
    }

    /// The explicit pairs followed by every merged pair whose key is not already present.
    private func merge(_ explicit: [YAMLPair], with sources: [YAMLNode]) -> [YAMLPair] {
        var result = explicit
        var seen = Set(explicit.compactMap { $0.key.scalar?.value })
        for source in sources {
            for pair in source.mapping ?? [] {
                if let key = pair.key.scalar?.value {
                    guard seen.insert(key).inserted else { continue }
                }
                result.append(pair)
            }
        }
        return result
    }
}

extension YAMLComposer {
    /// Loads the single document in `string`, for tests and small inputs.
    public static func load(_ string: String, limits: YAMLLimits = .default) throws(YAMLError) -> (root: YAMLNode?, issues: [YAMLIssue]) {
        let composer = YAMLComposer(parser: try YAMLParser(string: string, limits: limits), limits: limits)
        let root = try composer.composeDocument()
        return (root, composer.issues)
    }
}
