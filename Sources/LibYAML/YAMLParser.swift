internal import CYAML
internal import Platform

/// A pull parser over the system libyaml: hands out one ``YAMLEvent`` at a time.
///
/// It owns its input (bytes, or a file it reads a chunk at a time) and the C parser, and frees
/// both when it goes away. It is not `Sendable`: one parser is used by one task. An input of
/// ``readAheadThreshold`` bytes or more is parsed ahead on a thread of its own
/// (``EventReadAhead``): the same events, in the same order, with the same errors, while the
/// reader works on the ones before.
public final class YAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: Input
    private var finished = false
    private var failure: YAMLError?
    private var readAhead: EventReadAhead? {
        didSet { readingAhead = readAhead.map(Unmanaged.passUnretained) }
    }
    /// ``readAhead``, unretained, for the call per event: a retain and a release of it per event
    /// wrote the cache line the parsing thread reads between events (a seventh of the reader's
    /// time on 100,000 unknown keys). `readAhead` keeps it alive.
    private var readingAhead: Unmanaged<EventReadAhead>?
    private var started = false

    /// The input size from which events are parsed ahead on a thread of their own: below it the
    /// thread is not worth starting. Set before the first ``next()``; `Int.max` never reads ahead.
    public var readAheadThreshold = YAMLParser.defaultReadAheadThreshold

    /// ``readAheadThreshold`` unless set: 512 KiB.
    public static let defaultReadAheadThreshold = 512 * 1024

    /// Whether events are being parsed ahead on a thread of their own.
    public var readsAhead: Bool { readAhead != nil }

    /// The size of the input in bytes (of a file, as it was when opened).
    public var byteCount: Int {
        switch input {
        case .bytes(let buffer, _): buffer.count
        case .file(let reader): reader.size
        }
    }

    /// Parses `bytes`, which are copied into a buffer the parser owns.
    public convenience init<Bytes: Collection>(bytes: Bytes, limits: YAMLLimits = .default) throws(YAMLError)
    where Bytes.Element == UInt8 {
        guard bytes.count <= limits.maxInputBytes else {
            throw YAMLParser.tooLarge(bytes.count, limits)
        }
        let base = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = base.initialize(from: bytes)
        self.init(input: .bytes(UnsafeBufferPointer(rebasing: base[0..<bytes.count]), allocation: base))
    }

    /// Parses a string's UTF-8.
    public convenience init(string: String, limits: YAMLLimits = .default) throws(YAMLError) {
        try self.init(bytes: Array(string.utf8), limits: limits)
    }

    /// Reads the file at `path` a chunk at a time as it is parsed (no copy of the whole file is
    /// held), refusing a file over the limit before reading it. A file that grows past the limit
    /// while it is read, or cannot be read part-way, stops the parse with an error of kind
    /// ``YAMLError/Kind/inputTooLarge`` or ``YAMLError/Kind/cannotRead``.
    public convenience init(contentsOfFile path: String, limits: YAMLLimits = .default) throws(YAMLFileError) {
        let reader: FileReader
        do {
            reader = try FileReader(path: path, limit: limits.maxInputBytes)
        } catch {
            switch error {
            case .cannotOpen(let reason): throw .cannotOpen(path: path, reason: reason)
            case .tooLarge(let size, let limit): throw .tooLarge(path: path, size: size, limit: limit)
            case .cannotRead(let reason): throw .cannotRead(path: path, reason: reason)
            }
        }
        self.init(input: .file(reader))
    }

    /// What the parser reads: bytes it owns, or a file it reads as it goes.
    private enum Input {
        case bytes(UnsafeBufferPointer<UInt8>, allocation: UnsafeMutableBufferPointer<UInt8>)
        case file(FileReader)
    }

    private init(input: Input) {
        self.input = input
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        switch input {
        case .bytes(let buffer, _):
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
        case .file(let reader):
            // The reader lives as long as this parser (`input`), and the C parser no longer.
            yaml_parser_set_input(
                parser,
                { data, buffer, size, sizeRead in
                    let reader = Unmanaged<FileReader>.fromOpaque(data!).takeUnretainedValue()
                    guard let n = reader.read(into: buffer!, count: size) else { return 0 }
                    sizeRead!.pointee = n
                    return 1
                }, Unmanaged.passUnretained(reader).toOpaque())
        }
    }

    deinit {
        // The thread is the C parser's only user once started: ended before the parser is freed.
        readAhead?.stop()
        yaml_parser_delete(parser)
        parser.deallocate()
        if case .bytes(_, let allocation) = input { allocation.deallocate() }
    }

    private static func tooLarge(_ size: Int, _ limits: YAMLLimits) -> YAMLError {
        YAMLError(
            kind: .inputTooLarge,
            message: "the input is \(size) bytes, over the limit of \(limits.maxInputBytes) bytes",
            mark: YAMLMark(line: 1, column: 1)
        )
    }

    /// The next event. After `streamEnd`, keeps returning `streamEnd`; after an error, keeps
    /// throwing it.
    public func next() throws(YAMLError) -> YAMLEvent {
        if let reader = readingAhead { return try Self.next(from: reader) }
        if !started {
            started = true
            if byteCount >= readAheadThreshold {
                // The thread gets the C parser and the input, not this object, which stays free
                // to go away (its deinit ends the thread).
                let (parser, input) = (parser, input)
                readAhead = EventReadAhead { () throws(YAMLError) in try Self.parse(parser, input: input) }
                if let reader = readingAhead { return try Self.next(from: reader) }
            }
        }
        if finished { return .streamEnd }
        if let failure { throw failure }
        do {
            let event = try Self.parse(parser, input: input)
            if case .streamEnd = event { finished = true }
            return event
        } catch {
            // libyaml answers an empty event after an error: the error is kept instead.
            failure = error
            throw error
        }
    }

    private static func next(from reader: Unmanaged<EventReadAhead>) throws(YAMLError) -> YAMLEvent {
        if let event = reader._withUnsafeGuaranteedRef({ $0.nextIfParsed() }) { return event }
        throw reader._withUnsafeGuaranteedRef { $0.failure! }
    }

    /// Parses the next event with `parser`, which reads `input`.
    private static func parse(_ parser: UnsafeMutablePointer<yaml_parser_t>, input: Input) throws(YAMLError)
        -> YAMLEvent
    {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw error(of: parser, input: input) }
        defer { yaml_event_delete(&event) }
        let span = YAMLSpan(start: Self.mark(event.start_mark), end: Self.mark(event.end_mark))
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(span)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(span)
        case YAML_ALIAS_EVENT:
            return .alias(anchor: String(cString: event.data.alias.anchor), span: span)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: YAMLScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            return .scalar(
                YAMLScalar(value, style: style),
                tag: Self.text(s.tag),
                anchor: Self.text(s.anchor),
                span: span
            )
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return .sequenceStart(tag: Self.text(s.tag), anchor: Self.text(s.anchor), span: span)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd(span)
        case YAML_MAPPING_START_EVENT:
            let s = event.data.mapping_start
            return .mappingStart(tag: Self.text(s.tag), anchor: Self.text(s.anchor), span: span)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd(span)
        default:
            throw YAMLError(kind: .syntax, message: "unexpected libyaml event", mark: span.start)
        }
    }

    /// A tag or anchor of an event: libyaml's NUL-terminated UTF-8, or nil.
    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    private static func error(of parser: UnsafeMutablePointer<yaml_parser_t>, input: Input) -> YAMLError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        let context = p.context.map { String(cString: $0) }
        switch p.error {
        case YAML_READER_ERROR:
            if case .file(let reader) = input, let failure = reader.failure {
                // The read handler failed: libyaml says only "input error".
                switch failure {
                case .tooLarge(_, let limit):
                    return YAMLError(
                        kind: .inputTooLarge, message: "the file grew past the limit of \(limit) bytes while it was read",
                        mark: YAMLMark(line: 1, column: 1))
                case .cannotRead(let reason), .cannotOpen(let reason):
                    return YAMLError(kind: .cannotRead, message: reason, mark: YAMLMark(line: 1, column: 1))
                }
            }
            // Reader errors carry a byte offset, not a mark: find the line and column ourselves.
            var message = problem
            if p.problem_value != -1 {
                message += " (byte 0x\(String(UInt8(truncatingIfNeeded: p.problem_value), radix: 16, uppercase: true)))"
            }
            return YAMLError(kind: .invalidEncoding, message: message, mark: mark(atByteOffset: p.problem_offset, in: input))
        case YAML_MEMORY_ERROR:
            return YAMLError(kind: .syntax, message: "libyaml ran out of memory", mark: Self.mark(p.problem_mark))
        default:
            return YAMLError(
                kind: .syntax,
                message: problem,
                mark: Self.mark(p.problem_mark),
                context: context,
                contextMark: context == nil ? nil : Self.mark(p.context_mark)
            )
        }
    }

    /// The line and column (in characters) of a byte offset into the input: a file's bytes are
    /// read again up to it.
    private static func mark(atByteOffset offset: Int, in input: Input) -> YAMLMark {
        var counter = MarkCounter()
        switch input {
        case .bytes(let buffer, _): counter.scan(UnsafeBufferPointer(rebasing: buffer[..<min(offset, buffer.count)]))
        case .file(let reader): reader.rereadPrefix(offset) { counter.scan($0) }
        }
        return YAMLMark(line: counter.line, column: counter.column)
    }

    /// Counts lines and characters over bytes given in order, in chunks.
    private struct MarkCounter {
        var line = 1
        var column = 1
        /// Bytes seen, and the first three of them: libyaml's marks do not count a UTF-8
        /// byte-order mark; its byte offsets do.
        private var seen = 0
        private var head: (UInt8, UInt8, UInt8) = (0, 0, 0)

        mutating func scan(_ chunk: UnsafeBufferPointer<UInt8>) {
            for byte in chunk {
                if seen < 3 {
                    switch seen {
                    case 0: head.0 = byte
                    case 1: head.1 = byte
                    default: head.2 = byte
                    }
                    seen += 1
                    if seen == 3 && head == (0xEF, 0xBB, 0xBF) { column -= 1 }  // its first byte was counted
                }
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
        }
    }
}

/// A problem with the file itself, before any YAML is read.
public enum YAMLFileError: Error, Sendable, Hashable {
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case tooLarge(path: String, size: Int, limit: Int)
}
