import JSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    static let valid: [(String, JSONValue)] = [
        ("null", .null), (" true ", .bool(true)), ("false", .bool(false)),
        ("0", .int(0)), ("-0", .int(0)), ("42", .int(42)), ("-7", .int(-7)),
        ("9223372036854775807", .int(.max)), ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("1.5", .double(1.5)), ("1e3", .double(1000)), ("-2.5E-1", .double(-0.25)), ("1.0", .double(1)),
        (#""""#, .string("")), (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
        (#""\u00e9\ud83d\ude00 é""#, .string("é😀 é")), (#""\u0000""#, .string("\u{0}")),
        ("[]", .array([])), ("{}", .object([])),
        ("[1, [2, []], {}]", .array([.int(1), .array([.int(2), .array([])]), .object([])])),
        (
            #"{"b": 1, "a": [true, null], "b": "x"}"#,
            .object([("b", .int(1)), ("a", .array([.bool(true), .null])), ("b", .string("x"))])
        ),
        ("\t\r\n [ 1 ]\n", .array([.int(1)])),
    ]

    @Test("valid documents parse to the values they spell", arguments: valid)
    func accepts(text: String, value: JSONValue) throws {
        #expect(try JSONValue.parse(text) == value)
    }

    @Test(
        "invalid documents are rejected with the offset and what was expected",
        arguments: [
            ("", 0, "unexpected end of input, expected a value"),
            ("{", 1, "expected a key"),
            ("[1,]", 3, "unexpected character"),
            (#"{"a":1,}"#, 7, "expected a key"),
            (#"{"a" 1}"#, 5, "expected ':'"),
            ("{a:1}", 1, "expected a key"),
            ("[1 2]", 3, "expected ',' or ']'"),
            (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
            ("[1", 2, "unexpected end of input, expected ',' or ']'"),
            ("01", 1, "malformed number, a leading zero"),
            ("-01", 2, "malformed number, a leading zero"),
            ("1.", 2, "malformed number, expected a digit"),
            ("1e+", 3, "malformed number, expected a digit"),
            ("-", 1, "malformed number, expected a digit"),
            (".5", 0, "unexpected character"),
            ("+1", 0, "unexpected character"),
            ("NaN", 0, "unexpected character"),
            ("tru", 0, "unexpected character"),
            ("nul1", 0, "unexpected character"),
            ("'a'", 0, "unexpected character"),
            ("1 2", 2, "unexpected text after the value"),
            (#"{} x"#, 3, "unexpected text after the value"),
            ("\"a\u{1}\"", 2, "control character in a string"),
            ("\"a\nb\"", 2, "control character in a string"),
            (#""abc"#, 4, "unterminated string"),
            (#""\x""#, 1, #"invalid escape, expected one of " \ / b f n r t u"#),
            (#""\u12""#, 5, "invalid \\u escape, expected 4 hex digits"),
            (#""\ud800""#, 1, "a lone UTF-16 surrogate in a \\u escape"),
            (#""\udc00x""#, 1, "a lone UTF-16 surrogate in a \\u escape"),
            (#""a\ud800\u0041""#, 2, "a lone UTF-16 surrogate in a \\u escape"),
        ])
    func rejects(text: String, offset: Int, message: String) {
        #expect(throws: JSONParseError(message: message, offset: offset)) { try JSONValue.parse(text) }
    }

    @Test(
        "invalid UTF-8 in a string is rejected, not repaired",
        arguments: [
            [0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0x80],
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        let document = [0x22] + bytes + [0x22]
        #expect(throws: JSONParseError(message: "invalid UTF-8 in a string", offset: 1)) { try JSONValue.parse(document) }
        let escaped = Array(#"["\n","#.utf8) + document + [0x5D]
        #expect(throws: JSONParseError.self) { try JSONValue.parse(escaped) }
    }

    @Test("lone surrogates read as U+FFFD when asked, as Go does")
    func loneSurrogatesReplaced() throws {
        let options = JSONParser.Options(replacesLoneSurrogates: true)
        #expect(try JSONValue.parse(#""\ud800x\udc00\ud800\u0041""#, options: options) == .string("\u{FFFD}x\u{FFFD}\u{FFFD}A"))
        #expect(try JSONValue.parse(#""\ud83d\ude00""#, options: options) == .string("😀"))
    }

    @Test("invalid UTF-8 reads as U+FFFD when asked, as Go does")
    func invalidUTF8Replaced() throws {
        let options = JSONParser.Options(replacesInvalidUTF8: true)
        #expect(try JSONValue.parse([0x22, 0x61, 0xFF, 0x62, 0x22], options: options) == .string("a\u{FFFD}b"))
        #expect(try JSONValue.parse(Array(#"["\n","#.utf8) + [0x22, 0xC3, 0x22, 0x5D], options: options) == ["\n", "\u{FFFD}"])
    }

    @Test("nesting is limited to maxDepth arrays and objects, and deep input fails fast")
    func depth() throws {
        func nested(_ depth: Int) -> String {
            String(repeating: #"[{"a":"#, count: depth / 2) + (depth % 2 == 1 ? "[]" : "1")
                + String(repeating: "}]", count: depth / 2)
        }
        let options = JSONParser.Options(maxDepth: 10)
        #expect(try JSONValue.parse(nested(10), options: options) != .null)
        #expect(throws: JSONParseError(message: "nested too deeply (more than 10 levels)", offset: 30)) {
            try JSONValue.parse(nested(11), options: options)
        }
        #expect(try JSONValue.parse(nested(64)) != .null)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(nested(65)) }
        let hostile = String(repeating: "[", count: 200_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(hostile, options: JSONParser.Options(maxDepth: 512)) }
    }

    @Test("a range of a buffer parses alone; offsets count from its start")
    func range() throws {
        let bytes = Array(#"xx{"a":[1]}yy{"a" 1}"#.utf8)
        #expect(try JSONParser.parse(bytes, in: 2..<11) == ["a": [1]])
        #expect(throws: JSONParseError(message: "expected ':'", offset: 5)) { try JSONParser.parse(bytes, in: 13..<20) }
    }

    @Test("errors describe themselves with their offset")
    func errorDescription() {
        #expect(JSONParseError(message: "expected ':'", offset: 5).description == "expected ':' at offset 5")
    }
}
