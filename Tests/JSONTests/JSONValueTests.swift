import JSON
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test("equality and hashing follow structure: order matters, an int is not a double")
    func structure() {
        let a: JSONValue = ["x": 1, "y": [true, "s"]]
        let b: JSONValue = .object([("x", .int(1)), ("y", .array([.bool(true), .string("s")]))])
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a != ["y": [true, "s"], "x": 1])
        #expect(JSONValue.int(1) != .double(1))
        #expect(JSONValue.string("1") != .int(1))
        #expect(Set<JSONValue>([a, b, .null, .null, [], [:]]).count == 4)
    }

    @Test("lookups: the last of repeated keys wins, as in Go; indexes are checked")
    func lookups() throws {
        let value = try JSONValue.parse(#"{"a":1,"a":2,"list":["x","y"]}"#)
        #expect(value["a"] == .int(2))
        #expect(value["missing"] == nil)
        #expect(value["list"]?[1] == "y")
        #expect(value["list"]?[2] == nil && value["list"]?[-1] == nil)
        #expect(value[0] == nil && JSONValue.string("s")["a"] == nil)
    }

    @Test(
        "typed accessors take exactly their type; lenient ones also what servers send",
        arguments: [
            (JSONValue.int(7), 7, 7, "7"),
            (.double(7), 7, 7, "7"),
            (.double(7.9), nil, 7, "7.9"),
            (.double(1e20), nil, nil, "1e+20"),
            (.string("448707763884413158"), nil, 448_707_763_884_413_158, "448707763884413158"),
            (.string("x"), nil, nil, "x"),
            (.bool(true), nil, nil, nil),
            (.null, nil, nil, nil),
        ] as [(JSONValue, Int?, Int?, String?)])
    func accessors(value: JSONValue, int: Int?, lenientInt: Int?, lenientString: String?) {
        #expect(value.int == int)
        #expect(value.lenientInt == lenientInt)
        #expect(value.lenientString == lenientString)
    }

    @Test("the other accessors")
    func others() {
        let value: JSONValue = ["s": "x", "b": false, "d": 1.5, "i": 2, "a": [1], "o": ["k": .null], "n": .null]
        #expect(value["s"]?.string == "x" && value["i"]?.string == nil)
        #expect(value["b"]?.bool == false && value["i"]?.bool == nil)
        #expect(value["d"]?.double == 1.5 && value["i"]?.double == 2 && value["s"]?.double == nil)
        #expect(value["a"]?.array == [1] && value["o"]?.array == nil)
        #expect(value["o"]?.object?.map(\.0) == ["k"] && value["a"]?.object == nil)
        #expect(value["n"]?.isNull == true && value["o"]?["k"]?.isNull == true && value["s"]?.isNull == false)
    }
}
