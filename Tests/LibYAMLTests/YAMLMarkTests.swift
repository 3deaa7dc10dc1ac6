import LibYAML
import Testing

@Suite("Marks: 1-based line and column, with end marks")
struct MarkTests {
    @Test func blockMappingSpansAreOneBased() throws {
        let (root, issues) = try load(
            """
            key: value
            list:
              - a
              - "b"
            """)
        #expect(issues.isEmpty)
        #expect(root.span.start == mark(1, 1))

        let key = try #require(root.keyNode("key"))
        #expect(key.span == span(1, 1, 1, 4))
        let value = try #require(root["key"])
        #expect(value.span == span(1, 6, 1, 11))

        let listKey = try #require(root.keyNode("list"))
        #expect(listKey.span == span(2, 1, 2, 5))
        let list = try #require(root["list"]?.sequence)
        #expect(list.count == 2)
        #expect(list[0].span == span(3, 5, 3, 6))
        // A quoted scalar's span includes its quotes.
        #expect(list[1].span == span(4, 5, 4, 8))
        #expect(list[1].text == "b")
        #expect(try #require(root["list"]).span.start == mark(3, 3))
    }

    @Test func flowCollectionsEndAfterTheirClosingBracket() throws {
        let (root, _) = try load("a: {x: 1, y: [1, 22]}\n")
        let inner = try #require(root["a"])
        #expect(inner.span == span(1, 4, 1, 22))
        let list = try #require(inner["y"])
        #expect(list.span == span(1, 14, 1, 21))
        let second = try #require(list.sequence?[1])
        #expect(second.span == span(1, 18, 1, 20))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // "é" and "日本" are 2 and 6 bytes in UTF-8 but one character each.
        let (root, _) = try load("{a: é, b: 日本, c: 1}\n")
        let b = try #require(root.keyNode("b"))
        #expect(b.span.start == mark(1, 8))
        let c = try #require(root.keyNode("c"))
        #expect(c.span.start == mark(1, 15))
        let value = try #require(root["b"])
        #expect(value.span == span(1, 11, 1, 13))
    }

    @Test func multiLineScalarEndsOnItsLastLine() throws {
        let (root, _) = try load(
            """
            text: |
              one
              two
            next: 1
            """)
        let text = try #require(root["text"])
        #expect(text.text == "one\ntwo\n")
        #expect(text.span.start == mark(1, 7))
        #expect(text.span.end == mark(4, 1))
        #expect(try #require(root.keyNode("next")).span.start == mark(4, 1))
    }

    @Test func markOrderingAndDescription() {
        #expect(mark(1, 9) < mark(2, 1))
        #expect(mark(2, 1) < mark(2, 2))
        #expect(!(mark(2, 2) < mark(2, 2)))
        #expect(mark(3, 7).description == "3:7")
        #expect(span(1, 2, 3, 4).description == "1:2-3:4")
        #expect(YAMLSpan(at: mark(5, 6)) == span(5, 6, 5, 6))
    }

    @Test func crlfLineEndingsCountAsOneLineBreak() throws {
        let (root, issues) = try load("a: 1\r\nb: two\r\nc: [x, y]\r\n")
        #expect(issues.isEmpty)
        #expect(root.keys == ["a", "b", "c"])
        #expect(root["b"]?.text == "two")
        #expect(try #require(root.keyNode("b")).span.start == mark(2, 1))
        #expect(try #require(root["b"]).span == span(2, 4, 2, 7))
        #expect(try #require(root.keyNode("c")).span.start == mark(3, 1))
    }

    @Test func utf8ByteOrderMarkIsSkippedAndNotCounted() throws {
        let (root, issues) = try load("\u{FEFF}a: 1\nb: 2\n")
        #expect(issues.isEmpty)
        #expect(root.keys == ["a", "b"])
        #expect(try #require(root.keyNode("a")).span.start == mark(1, 1))
        #expect(try #require(root["a"]).span.start == mark(1, 4))
    }
}
