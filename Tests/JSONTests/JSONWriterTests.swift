import JSON
import Testing

@Suite("JSON writer and escaper")
struct JSONWriterTests {
    @Test("compact output: no whitespace, keys in order, doubles as Swift prints them")
    func compact() {
        let value: JSONValue = [
            "z": "quote \" backslash \\ newline \n tab \t bell \u{07} é",
            "a": [1, true, .null, 1.5, 1.0, 1e-7, .double(.infinity), .double(.nan)],
            "m": [:],
            "e": [],
        ]
        #expect(
            JSONWriter.write(value)
                == #"{"z":"quote \" backslash \\ newline \n tab \t bell \u0007 é","a":[1,true,null,1.5,1.0,1e-07,null,null],"m":{},"e":[]}"#
        )
        #expect(JSONWriter.bytes(value) == Array(JSONWriter.write(value).utf8))
    }

    @Test("pretty output: two spaces per level, \": \" after keys, empty containers stay short")
    func pretty() {
        let value: JSONValue = ["k": [1, 2], "o": ["x": "y"], "e": [], "n": [:]]
        #expect(
            JSONWriter.write(value, pretty: true) == """
                {
                  "k": [
                    1,
                    2
                  ],
                  "o": {
                    "x": "y"
                  },
                  "e": [],
                  "n": {}
                }
                """)
        #expect(JSONWriter.write([], pretty: true) == "[]")
        #expect(JSONWriter.write("s", pretty: true) == #""s""#)
    }

    @Test(
        "the escaper",
        arguments: [
            ("plain é 🚀", "plain é 🚀"), ("\"", #"\""#), ("\\", #"\\"#), ("\n\r\t", #"\n\r\t"#),
            ("\u{0}\u{8}\u{C}\u{1F}", #"\u0000\u0008\u000c\u001f"#), ("\u{7F}", "\u{7F}"), ("/", "/"),
            ("\u{2028}\u{2029}", "\u{2028}\u{2029}"), ("a\"b\\c", #"a\"b\\c"#),
        ])
    func escape(text: String, escaped: String) {
        #expect(JSONWriter.escape(text) == escaped)
        var out: [UInt8] = []
        JSONWriter.appendString(text, to: &out)
        #expect(out == Array("\"\(escaped)\"".utf8))
    }

    @Test("DEL is escaped only when asked (the ledger's lines)")
    func escapingDelete() {
        var out: [UInt8] = []
        JSONWriter.appendString("a\u{7F}b", to: &out, escapingDelete: true)
        #expect(String(decoding: out, as: UTF8.self) == #""a\u007fb""#)
    }

    @Test("what is written parses back to the same value")
    func roundTrip() throws {
        let strings = ["", "a\"b\\c\n", "\u{0}\u{1}\u{1F}\u{7F}", "é😀\u{2028}", "{\"json\":[1]}", "\\u0041"]
        let value: JSONValue = .object(
            strings.map { ($0, .array([.string($0), 0, -1, .int(.max), .int(.min), 1.5, -0.25, 1e300, true, .null])) })
        for pretty in [false, true] {
            #expect(try JSONValue.parse(JSONWriter.write(value, pretty: pretty)) == value)
        }
        let text = #"{"a":[1,2.5,"x\n\u0001",null,false,{}],"b":{"c":[]}}"#
        #expect(JSONWriter.write(try JSONValue.parse(text)) == text)
    }
}
