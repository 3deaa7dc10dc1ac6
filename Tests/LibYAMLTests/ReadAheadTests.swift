import Synchronization
import Testing

@testable import LibYAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parsing ahead on a thread of its own (``YAMLParser/readAheadThreshold``) gives the events and
/// errors of parsing in line, and a parser dropped part way ends its thread.
@Suite("Parser: reading ahead on a thread", .timeLimit(.minutes(2)))
struct ReadAheadTests {
    /// Every event of `bytes` as text, and the error that ended them (if any), then what the
    /// parser answers twice more after the end.
    static func events(_ bytes: [UInt8], readAhead: Bool) throws -> (events: [String], error: YAMLError?, after: [String]) {
        let parser = try YAMLParser(bytes: bytes)
        parser.readAheadThreshold = readAhead ? 0 : Int.max
        var events: [String] = []
        var error: YAMLError?
        do {
            while true {
                let event = try parser.next()
                events.append("\(event)")
                if case .streamEnd = event { break }
            }
        } catch let thrown {
            error = thrown
        }
        #expect(parser.readsAhead == readAhead)
        var after: [String] = []
        for _ in 0..<2 {
            do {
                after.append("\(try parser.next())")
            } catch let thrown {
                after.append("error: \(thrown)")
            }
        }
        return (events, error, after)
    }

    static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectSame(Array(text.utf8), sourceLocation: sourceLocation)
    }

    static func expectSame(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let inline = try events(bytes, readAhead: false)
        let ahead = try events(bytes, readAhead: true)
        #expect(ahead.events == inline.events, sourceLocation: sourceLocation)
        #expect(ahead.error == inline.error, sourceLocation: sourceLocation)
        #expect(ahead.after == inline.after, sourceLocation: sourceLocation)
    }

    /// A document of `jobs` jobs with anchors, aliases, tags, flow and block collections, every
    /// scalar style and characters outside ASCII: several batches of events.
    static func manifest(jobs: Int) -> String {
        var text = "version: 1\nx-common: &common {target: local, db: \"d\u{E9}\"}\njobs:\n"
        for i in 0..<jobs {
            text += """
                  - name: job-\(i)
                    <<: *common
                    collection_name: 'c\(i % 7)'
                    files: [a\(i).parquet, [b\(i).npy, "c\(i).npy"]]
                    note: !custom |
                      line one \u{1F980}
                      line two
                    options: {timeout: \(i)s}

                """
        }
        return text
    }

    @Test(arguments: [0, 1, 40, 3_000])
    func eventsAreTheSameReadAheadOrInLine(jobs: Int) throws {
        try Self.expectSame(Self.manifest(jobs: jobs))
    }

    @Test(arguments: [
        "", "# only a comment\n", "a: 1\n---\nb: 2\n", "[unclosed", "key: value: other\n", "- a\n b: c\n",
        "*undefined_alias_is_the_composers_business\n", "{a: 1, a: 2}\n", "\t- tab\n",
    ])
    func smallInputsAndSyntaxErrorsAreTheSame(_ text: String) throws {
        try Self.expectSame(text)
    }

    /// Scalars of every style, inline Strings (up to 15 bytes) and not, up to 70 KB, with
    /// characters of 1 to 4 bytes, many to a batch.
    @Test func longScalarsAreTheSameReadAheadOrInLine() throws {
        let lengths = [14, 15, 16, 17, 100, 1_000, 70_000]
        var text = "items:\n"
        for (i, length) in lengths.enumerated() {
            let unit = ["x", "\u{E9}", "\u{20AC}", "\u{1F980}"][i % 4]
            let value = String(repeating: unit, count: max(1, length / unit.utf8.count))
            text += "  - \(value)\n  - '\(value)'\n  - \"\(value)\"\n  - |\n    \(value)\n  - &a\(i) !t \(value)\n  - *a\(i)\n"
            text += "  - {k: \(value)}\n"
        }
        for i in 0..<3_000 { text += "  - path/to/some/data/file-\(i).parquet\n" }
        try Self.expectSame(text)
        let (events, error, _) = try Self.events(Array(text.utf8), readAhead: true)
        #expect(error == nil)
        #expect(events.contains { $0.contains(String(repeating: "x", count: 100)) })
        #expect(events.contains { $0.contains("path/to/some/data/file-2999.parquet") })
    }

    /// An error after many batches arrives after every event before it, at the same place.
    @Test func anErrorFarIntoTheInputComesAfterTheEventsBeforeIt() throws {
        let good = Self.manifest(jobs: 2_000)
        try Self.expectSame(good + "  - name: broken\n    files: [unclosed\n")
        var invalidUTF8 = Array(good.utf8)
        invalidUTF8.insert(0xFF, at: invalidUTF8.count - 10)
        try Self.expectSame(invalidUTF8)
        let (events, error, _) = try Self.events(invalidUTF8, readAhead: true)
        #expect(events.count > 10_000)
        #expect(error?.kind == .invalidEncoding)
    }

    /// A parser dropped while its thread waits on a full queue ends the thread: done many times,
    /// a thread left behind would hang the test (its time limit) or leak a thread each time.
    @Test func aParserDroppedPartWayEndsItsThread() throws {
        let bytes = Array(Self.manifest(jobs: 3_000).utf8)
        for round in 0..<200 {
            let parser = try YAMLParser(bytes: bytes)
            parser.readAheadThreshold = 0
            for _ in 0...(round % 5) * 700 { _ = try parser.next() }
            #expect(parser.readsAhead)
        }
    }

    /// ``EventReadAhead/stop()`` ends a thread that waits on a full queue, and it parses no more.
    @Test func stoppingEndsTheThreadWhileItWaitsOnAFullQueue() throws {
        let calls = Counter()
        let readAhead = try #require(
            EventReadAhead { () throws(YAMLError) in
                calls.add()
                return .sequenceEnd(YAMLSpan(at: YAMLMark(line: 1, column: 1)))
            })
        for _ in 0..<10 { _ = try readAhead.next() }
        // Endless input: the thread fills the queue and waits (its count stops moving).
        var last = -1
        while calls.value != last {
            last = calls.value
            usleep(30_000)
        }
        #expect(!readAhead.threadReturned)
        readAhead.stop()
        #expect(readAhead.threadReturned)
        let stopped = calls.value
        usleep(50_000)
        #expect(calls.value == stopped)
        #expect(stopped <= EventReadAhead.batchSize * (EventReadAhead.maxQueued + 2))
        readAhead.stop()  // again: nothing to do
    }

    /// A stop part way through a batch ends the thread after the event being parsed, not at the
    /// end of the batch (a reader that stops at level 64 of a 3,000-level file waited for it).
    @Test func stoppingEndsTheThreadPartWayThroughABatch() throws {
        let calls = Counter()
        let gate = Mutex(false)
        let readAhead = try #require(
            EventReadAhead { () throws(YAMLError) in
                calls.add()
                // The 101st event waits for the gate: the thread is then in the middle of a batch.
                if calls.value == 101 { while !gate.withLock({ $0 }) { usleep(200) } }
                return .sequenceEnd(YAMLSpan(at: YAMLMark(line: 1, column: 1)))
            })
        _ = try readAhead.next()
        while calls.value < 101 { usleep(1_000) }
        let opener = Thread {
            while !readAhead.isStopRequested { usleep(200) }
            gate.withLock { $0 = true }
        }
        readAhead.stop()
        opener.join()
        #expect(readAhead.threadReturned)
        #expect(calls.value == 101)
    }

    @Test func onlyInputsFromTheThresholdReadAhead() throws {
        let bytes = Array(Self.manifest(jobs: 10).utf8)
        for (threshold, expected) in [(bytes.count, true), (bytes.count + 1, false)] {
            let parser = try YAMLParser(bytes: bytes)
            parser.readAheadThreshold = threshold
            _ = try parser.next()
            #expect(parser.readsAhead == expected)
        }
    }
}

/// A count shared with a read-ahead thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}

/// A thread for a test to run beside another that blocks.
private final class Thread: @unchecked Sendable {
    private var handle = pthread_t()

    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(
            &handle, nil,
            { raw in
                Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, box)
    }

    func join() { pthread_join(handle, nil) }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
