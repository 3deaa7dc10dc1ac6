/// One libyaml parse event, with its span, as Swift values.
public enum YAMLEvent: Sendable {
    case streamStart
    case streamEnd
    case documentStart(YAMLSpan)
    case documentEnd(YAMLSpan)
    case alias(anchor: String, span: YAMLSpan)
    case scalar(YAMLScalar, tag: String?, anchor: String?, span: YAMLSpan)
    case sequenceStart(tag: String?, anchor: String?, span: YAMLSpan)
    case sequenceEnd(YAMLSpan)
    case mappingStart(tag: String?, anchor: String?, span: YAMLSpan)
    case mappingEnd(YAMLSpan)

    /// Where the event was read.
    public var span: YAMLSpan {
        switch self {
        case .streamStart, .streamEnd: return YAMLSpan(at: YAMLMark(line: 1, column: 1))
        case .documentStart(let s), .documentEnd(let s), .sequenceEnd(let s), .mappingEnd(let s): return s
        case .alias(_, let s): return s
        case .scalar(_, _, _, let s): return s
        case .sequenceStart(_, _, let s), .mappingStart(_, _, let s): return s
        }
    }
}
