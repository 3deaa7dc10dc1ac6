import LibYAML
import Testing

@Suite("Scalars: styles and tags")
struct ScalarTests {
    @Test(arguments: [
        ("v: plain", YAMLScalarStyle.plain, "plain"),
        ("v: 'single'", .singleQuoted, "single"),
        ("v: \"double\\tquoted\"", .doubleQuoted, "double\tquoted"),
        ("v: |\n  literal\n", .literal, "literal\n"),
        ("v: >\n  folded\n  text\n", .folded, "folded text\n"),
    ])
    func styleIsRecorded(source: String, style: YAMLScalarStyle, value: String) throws {
        let (root, _) = try load(source)
        let scalar = try #require(root["v"]?.scalar)
        #expect(scalar.style == style)
        #expect(scalar.value == value)
        #expect(scalar.style.isQuotedOrBlock == (style != .plain))
    }

    @Test func scalarsAreNotResolvedYAML11Style() throws {
        // Types come from the manifest schema, not a resolver: the text is kept as written.
        let (root, _) = try load("a: yes\nb: 1:30\nc: 010\nd: '1'\n")
        #expect(root["a"]?.text == "yes")
        #expect(root["b"]?.text == "1:30")
        #expect(root["c"]?.text == "010")
        #expect(root["d"]?.scalar == YAMLScalar("1", style: .singleQuoted))
    }

    @Test func tagsAreRecorded() throws {
        let (root, _) = try load(
            """
            a: !!str 123
            b: !custom value
            c: !!map {x: 1}
            d: !!seq [1]
            e: untagged
            """)
        #expect(root["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["a"]?.text == "123")
        #expect(root["b"]?.tag == "!custom")
        #expect(root["c"]?.tag == "tag:yaml.org,2002:map")
        #expect(root["d"]?.tag == "tag:yaml.org,2002:seq")
        #expect(root["e"]?.tag == nil)
    }

    @Test(arguments: [
        ("a:", true), ("a: ~", true), ("a: null", true), ("a: Null", true), ("a: NULL", true),
        ("a: ''", false), ("a: 'null'", false), ("a: \"~\"", false), ("a: !!str null", false), ("a: x", false),
    ])
    func nullIsOnlyAnUntaggedPlainScalar(source: String, isNull: Bool) throws {
        let (root, _) = try load(source)
        #expect(try #require(root["a"]).isNull == isNull)
    }

    @Test func kindDescriptions() throws {
        let (root, _) = try load("a: x\nb: [1]\nc: {k: v}\nd:\n")
        #expect(root["a"]?.kindDescription == "a scalar")
        #expect(root["b"]?.kindDescription == "a list")
        #expect(root["c"]?.kindDescription == "a mapping")
        #expect(root["d"]?.kindDescription == "null")
    }

    /// A quoted "null" or "~" is a string, so messages must not call it null.
    @Test func quotedNullIsDescribedAsAScalar() throws {
        let (root, _) = try load("a: \"null\"\nb: '~'\n")
        #expect(root["a"]?.kindDescription == "a scalar")
        #expect(root["b"]?.kindDescription == "a scalar")
    }
}

@Suite("Anchors, aliases and merge keys")
struct AliasTests {
    @Test func aliasCopiesKeepTheAnchoredSpanAndRecordTheAliasSpan() throws {
        let (root, issues) = try load(
            """
            base: &b
              x: 1
              y: [2, 3]
            copy: *b
            scalar: &s hello
            again: *s
            """)
        #expect(issues.isEmpty)
        let base = try #require(root["base"])
        let copy = try #require(root["copy"])
        #expect(base.aliasSpan == nil)
        #expect(copy.span == base.span)
        // libyaml starts a node at its properties: the anchor.
        #expect(copy.span.start == mark(1, 7))
        #expect(copy.aliasSpan == span(4, 7, 4, 9))
        #expect(copy.keys == ["x", "y"])
        // Nodes inside the copy point at where they were written too.
        #expect(copy["y"]?.span == span(3, 6, 3, 12))

        let again = try #require(root["again"])
        #expect(again.text == "hello")
        #expect(again.span == span(5, 9, 5, 17))
        #expect(again.aliasSpan == span(6, 8, 6, 10))
    }

    @Test func laterAnchorWithTheSameNameReplacesTheEarlierOne() throws {
        let (root, _) = try load("a: &x 1\nb: &x 2\nc: *x\n")
        #expect(root["c"]?.text == "2")
    }

    @Test func undefinedAliasIsAnError() throws {
        let error = try #require(loadError("a: 1\nb: *missing\n"))
        #expect(error.kind == .undefinedAlias)
        #expect(error.mark == mark(2, 4))
        #expect(error.message.contains("missing"))
    }

    @Test func aliasBeforeItsAnchorIsUndefined() throws {
        let error = try #require(loadError("a: *later\nb: &later 1\n"))
        #expect(error.kind == .undefinedAlias)
        #expect(error.mark == mark(1, 4))
    }

    @Test func mergeKeyExplicitKeysWin() throws {
        let (root, issues) = try load(
            """
            base: &base {x: 1, y: 2}
            a:
              x: 10
              <<: *base
            b:
              <<: *base
              y: 20
            """)
        #expect(issues.isEmpty)
        let a = try #require(root["a"])
        #expect(a.keys == ["x", "y"])
        #expect(a["x"]?.text == "10")
        #expect(a["y"]?.text == "2")
        let b = try #require(root["b"])
        #expect(b.keys.sorted() == ["x", "y"])
        #expect(b["y"]?.text == "20")
        #expect(b["x"]?.text == "1")
        // A merged value keeps the span it was written at, in the anchored mapping.
        #expect(b["x"]?.span == span(1, 17, 1, 18))
    }

    @Test func mergeListEarlierMappingsWin() throws {
        let (root, issues) = try load(
            """
            one: &one {x: 1, y: 1}
            two: &two {y: 2, z: 2}
            three: &three {z: 3, w: 3}
            m:
              <<: [*one, *two, *three]
              w: 0
            """)
        #expect(issues.isEmpty)
        let m = try #require(root["m"])
        #expect(m.keys.sorted() == ["w", "x", "y", "z"])
        #expect(m["w"]?.text == "0")
        #expect(m["x"]?.text == "1")
        #expect(m["y"]?.text == "1")
        #expect(m["z"]?.text == "2")
        #expect(!m.keys.contains("<<"))
    }

    @Test func mergeOfAnInlineMapping() throws {
        let (root, _) = try load("m:\n  <<: {a: 1}\n  b: 2\n")
        #expect(root["m"]?.keys.sorted() == ["a", "b"])
    }

    @Test func quotedOrTaggedMergeKeyIsAnOrdinaryKey() throws {
        let (root, issues) = try load("m:\n  '<<': {a: 1}\n")
        #expect(issues.isEmpty)
        #expect(root["m"]?.keys == ["<<"])
    }

    @Test func scalarMergeValueIsReportedNotIgnored() throws {
        let (root, issues) = try load("m:\n  <<: oops\n  a: 1\n")
        #expect(root["m"]?.keys == ["a"])
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.kind == .invalidMerge)
        #expect(issue.span == span(2, 7, 2, 11))
    }

    @Test func nonMappingInAMergeListIsReportedAtTheItem() throws {
        let (root, issues) = try load("a: &a {x: 1}\nm:\n  <<: [*a, 42]\n")
        #expect(root["m"]?.keys == ["x"])
        #expect(issues.count == 1)
        #expect(issues.first?.kind == .invalidMerge)
        #expect(issues.first?.span == span(3, 12, 3, 14))
    }

    @Test func aliasOfAScalarAsMergeValueIsReportedAtTheAlias() throws {
        let (_, issues) = try load("s: &s text\nm:\n  <<: *s\n")
        #expect(issues.count == 1)
        #expect(issues.first?.kind == .invalidMerge)
        // The alias is where the mistake is, not the anchored scalar.
        #expect(issues.first?.span == span(3, 7, 3, 9))
    }

    @Test func mergedAnchorCarriesItsMergedPairs() throws {
        let (root, _) = try load(
            """
            a: &a {x: 1}
            b: &b
              <<: *a
              y: 2
            c: *b
            """)
        #expect(root["c"]?.keys.sorted() == ["x", "y"])
    }
}

@Suite("Duplicate keys")
struct DuplicateKeyTests {
    @Test func reportedAtTheSecondKeyWithTheFirstAsRelated() throws {
        let (root, issues) = try load("a: 1\nb: 2\na: 3\n")
        #expect(issues.count == 1)
        let issue = try #require(issues.first)
        #expect(issue.kind == .duplicateKey)
        #expect(issue.span == span(3, 1, 3, 2))
        #expect(issue.related == span(1, 1, 1, 2))
        #expect(issue.message.contains("'a'"))
        // The first value is kept.
        #expect(root.keys == ["a", "b"])
        #expect(root["a"]?.text == "1")
    }

    /// Mappings of 12 keys and more find duplicates through an index: check both sides of it.
    @Test(arguments: [3, 11, 12, 13, 40])
    func foundInMappingsOfAnySize(size: Int) throws {
        var lines = (0..<size).map { "k\($0): \($0)" }
        lines.append("k0: again")
        lines.append("k\(size - 1): again")
        lines.append("k\(size / 2): again")
        let (root, issues) = try load(lines.joined(separator: "\n") + "\n")
        #expect(root.keys.count == size)
        #expect(issues.map(\.kind) == [.duplicateKey, .duplicateKey, .duplicateKey])
        #expect(issues.map(\.span.start) == [mark(size + 1, 1), mark(size + 2, 1), mark(size + 3, 1)])
        #expect(issues.map { $0.related?.start } == [mark(1, 1), mark(size, 1), mark(size / 2 + 1, 1)])
        #expect(root["k0"]?.text == "0")
    }

    @Test func duplicateInAFlowMappingAndNestedMapping() throws {
        let (_, issues) = try load("outer:\n  inner: {x: 1, x: 2}\n")
        #expect(issues.count == 1)
        #expect(issues.first?.span.start == mark(2, 17))
        #expect(issues.first?.related?.start == mark(2, 11))
    }

    @Test func keyThatOnlyRepeatsAMergedKeyIsNotADuplicate() throws {
        let (_, issues) = try load("a: &a {x: 1}\nm:\n  <<: *a\n  x: 2\n")
        #expect(issues.isEmpty)
    }
}

@Suite("Documents and streams")
struct DocumentTests {
    @Test(arguments: ["", "# just a comment\n", "\n\n"])
    func emptyInputHasNoDocument(text: String) throws {
        let (root, issues) = try YAMLComposer.load(text)
        #expect(root == nil)
        #expect(issues.isEmpty)
    }

    @Test func explicitEmptyDocumentIsANullNode() throws {
        let (root, _) = try YAMLComposer.load("---\n")
        #expect(try #require(root).isNull)
    }

    @Test func secondDocumentIsReportedAndNotRead() throws {
        let (root, issues) = try load("a: 1\n---\nb: 2\n")
        #expect(root.keys == ["a"])
        #expect(issues.count == 1)
        #expect(issues.first?.kind == .multipleDocuments)
        #expect(issues.first?.span.start == mark(2, 1))
    }

    @Test func syntaxErrorCarriesLibyamlsProblemAndContext() throws {
        let error = try #require(loadError("a: [1, 2\nb: 3\n"))
        #expect(error.kind == .syntax)
        #expect(!error.message.isEmpty)
        #expect(error.context != nil)
        #expect(error.contextMark == mark(1, 4))
        #expect(error.description.hasPrefix("\(error.mark): "))
    }

    @Test func mappingValueInsidePlainScalarIsASyntaxErrorAtTheColon() throws {
        let error = try #require(loadError("a: b: c\n"))
        #expect(error.kind == .syntax)
        #expect(error.mark == mark(1, 5))
        #expect(error.message == "mapping values are not allowed in this context")
    }

    @Test func parserKeepsReturningStreamEnd() throws {
        let parser = try YAMLParser(string: "a: 1\n")
        var events: [String] = []
        for _ in 0..<12 {
            switch try parser.next() {
            case .streamStart: events.append("stream-start")
            case .streamEnd: events.append("stream-end")
            case .documentStart: events.append("doc-start")
            case .documentEnd: events.append("doc-end")
            case .mappingStart: events.append("map-start")
            case .mappingEnd: events.append("map-end")
            case .scalar(let s, _, _, _): events.append(s.value)
            default: events.append("other")
            }
        }
        #expect(Array(events.prefix(8)) == ["stream-start", "doc-start", "map-start", "a", "1", "map-end", "doc-end", "stream-end"])
        #expect(events.dropFirst(8).allSatisfy { $0 == "stream-end" })
    }

    @Test func anchorsAndTagsAppearOnEvents() throws {
        let parser = try YAMLParser(string: "- &a !t x\n- *a\n")
        var sawScalar = false
        var sawAlias = false
        while true {
            let event = try parser.next()
            if case .streamEnd = event { break }
            if case .scalar(let s, let tag, let anchor, let span) = event {
                #expect(s.value == "x")
                #expect(tag == "!t")
                #expect(anchor == "a")
                #expect(span == YAMLSpan(start: mark(1, 3), end: mark(1, 10)))
                sawScalar = true
            }
            if case .alias(let anchor, let span) = event {
                #expect(anchor == "a")
                #expect(span == YAMLSpan(start: mark(2, 3), end: mark(2, 5)))
                sawAlias = true
            }
        }
        #expect(sawScalar && sawAlias)
    }
}
