/// One libyaml parse event, with its span, as Swift values.
public enum YAMLEvent: Sendable {
    case streamStart
    case streamEnd
    case documentStart(Span)
    case documentEnd(Span)
    case alias(anchor: String, span: Span)
    case scalar(Scalar, tag: String?, anchor: String?, span: Span)
    case sequenceStart(tag: String?, anchor: String?, span: Span)
    case sequenceEnd(Span)
    case mappingStart(tag: String?, anchor: String?, span: Span)
    case mappingEnd(Span)

    /// Where the event was read.
    public var span: Span {
        switch self {
        case .streamStart, .streamEnd: return Span(at: Mark(line: 1, column: 1))
        case .documentStart(let s), .documentEnd(let s), .sequenceEnd(let s), .mappingEnd(let s): return s
        case .alias(_, let s): return s
        case .scalar(_, _, _, let s): return s
        case .sequenceStart(_, _, let s), .mappingStart(_, _, let s): return s
        }
    }
}
