// The YAML layer over arbitrary bytes: YAMLParser's event stream, then YAMLComposer's documents
// under the default limits and under tight ones (so the depth and alias-budget paths are reached
// by small inputs). Properties: no crash or sanitizer report; every mark is 1-based; spans do not
// run backwards; the event stream is bounded by the input's size and ends for good at streamEnd.
import FuzzSupport
import LibYAML

func checkMark(_ mark: YAMLMark, _ what: String) {
    Fuzz.check(mark.line >= 1 && mark.column >= 1, "\(what) has a mark below 1:1: \(mark)")
}

func checkSpan(_ span: YAMLSpan, _ what: String) {
    checkMark(span.start, what)
    checkMark(span.end, what)
    Fuzz.check(!(span.end < span.start), "\(what) ends before it starts: \(span)")
}

/// Visits every node; aliases are copies, so this is bounded by the alias budget.
func walk(_ node: YAMLNode, _ visited: inout Int) {
    visited += 1
    checkSpan(node.span, "a node")
    if let alias = node.aliasSpan { checkSpan(alias, "an alias") }
    switch node.content {
    case .scalar: break
    case .sequence(let items): for item in items { walk(item, &visited) }
    case .mapping(let pairs):
        for pair in pairs {
            walk(pair.key, &visited)
            walk(pair.value, &visited)
        }
    }
}

func events(_ input: [UInt8]) {
    do {
        let parser = try YAMLParser(bytes: input)
        var count = 0
        var depth = 0
        while true {
            let event = try parser.next()
            count += 1
            // libyaml makes a handful of events per token at most, and a token takes a byte.
            Fuzz.check(count <= 8 * input.count + 16, "\(count) events from \(input.count) bytes")
            if case .streamStart = event {} else { checkSpan(event.span, "an event") }
            switch event {
            case .sequenceStart, .mappingStart: depth += 1
            case .sequenceEnd, .mappingEnd:
                depth -= 1
                Fuzz.check(depth >= 0, "more collection ends than starts")
            case .streamEnd:
                Fuzz.check(depth == 0, "the stream ended inside \(depth) collections")
                if case .streamEnd = try parser.next() {} else { Fuzz.fail("an event after streamEnd") }
                return
            default: break
            }
        }
    } catch {
        checkMark(error.mark, "a YAMLError")
        if let context = error.contextMark { checkMark(context, "a YAMLError context") }
    }
}

func compose(_ input: [UInt8], limits: YAMLLimits) {
    var composer: YAMLComposer?
    do {
        composer = YAMLComposer(parser: try YAMLParser(bytes: input, limits: limits), limits: limits)
        if let root = try composer!.composeDocument() {
            var visited = 0
            walk(root, &visited)
        }
    } catch {
        checkMark(error.mark, "a YAMLError")
        Fuzz.check(error.kind != .inputTooLarge || input.count > limits.maxInputBytes, "inputTooLarge for \(input.count) bytes")
    }
    for issue in composer?.issues ?? [] {
        checkSpan(issue.span, "a YAMLIssue")
        if let related = issue.related { checkSpan(related, "a YAMLIssue's related span") }
    }
}

let tight = YAMLLimits(maxInputBytes: 1 << 20, maxDepth: 4, aliasExpansionFloor: 16, aliasExpansionFactor: 1)

Fuzz.run { bytes in
    let input = Array(bytes)
    events(input)
    compose(input, limits: .default)
    compose(input, limits: tight)
}
