import Testing

@testable import BulkImportKit

/// `StringTemplate` splits its text over UTF-8 bytes; these tests hold it to the reading it had
/// when it walked Unicode scalars, on hand-picked and generated values.
@Suite struct StringTemplateTests {
    /// The split as first written, one Unicode scalar at a time.
    static func scalarSplit(_ raw: String) -> Result<[StringTemplate.Part], StringTemplate.ParseError> {
        func isName(_ c: Unicode.Scalar) -> Bool {
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        var parts: [StringTemplate.Part] = []
        var literal = ""
        let chars = Array(raw.unicodeScalars)
        var i = 0
        func flush() {
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "<" {
                literal += "$<"
                i += 3
                continue
            }
            guard c == "$", i + 1 < chars.count, chars[i + 1] == "<" else {
                literal.unicodeScalars.append(c)
                i += 1
                continue
            }
            let start = i
            i += 2
            var name = ""
            while i < chars.count, isName(chars[i]) {
                name.unicodeScalars.append(chars[i])
                i += 1
            }
            guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
                return .failure(
                    .init(
                        message: name.isEmpty
                            ? "'$<' must be followed by a variable name, as in $<NAME>; write $$< for a literal '$<'"
                            : "variable name \(quoted: name) must not start with a digit",
                        offset: start))
            }
            var fallback: String?
            if i + 1 < chars.count, chars[i] == ":", chars[i + 1] == "-" {
                i += 2
                var text = ""
                while i < chars.count, chars[i] != ">" {
                    text.unicodeScalars.append(chars[i])
                    i += 1
                }
                fallback = text
            }
            guard i < chars.count, chars[i] == ">" else {
                return .failure(
                    .init(
                        message: i < chars.count
                            ? "unexpected \(quoted: String(chars[i])) in $<\(name.clipped())...>: a reference is $<NAME> or $<NAME:-fallback>"
                            : "$<\(name.clipped()) is not closed with '>'",
                        offset: start))
            }
            i += 1
            flush()
            parts.append(.variable(name: name, fallback: fallback))
        }
        flush()
        return .success(parts)
    }

    static func split(_ raw: String) -> Result<[StringTemplate.Part], StringTemplate.ParseError> {
        do {
            return .success(try StringTemplate(parsing: raw).parts)
        } catch {
            return .failure(error)
        }
    }

    static let handPicked = [
        "", "plain", "$", "$<", "$$<", "$$<A>", "a$<B>c", "$<A>$<B>", "$<A:-x>", "$<A:->", "$<A:-é<$>", "$<A:-🦀", "$<1A>",
        "$<>", "$<A", "$<A-x>", "$<Aé>", "$<A🦀>", "é$<🦀", "e\u{301}$<X>\u{301}", "$$$<A>", "$<A>$$<B>", "x$<_9:-$<Y>>z",
        "🦀🦀$<A b>", "\u{0}$<A>\u{7F}", "$<ABC:-line\nbreak>",
    ]

    @Test(arguments: handPicked)
    func readsHandPickedValuesAsTheScalarWalkDid(raw: String) {
        #expect(Self.split(raw) == Self.scalarSplit(raw), "\(raw.debugDescription)")
    }

    @Test func readsGeneratedValuesAsTheScalarWalkDid() {
        let pieces = ["$", "<", ">", ":", "-", "$<", "$$<", "A", "z", "_", "7", " ", "é", "e\u{301}", "🦀", "\u{7EB}", "<\u{301}", "\t"]
        var generator = SystemRandomNumberGenerator()
        var seed = UInt64.random(in: 0...UInt64.max, using: &generator)
        func next() -> UInt64 {
            // SplitMix64: the values are reproducible from the seed printed on failure.
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let start = seed
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let length = Int(next() % 12)
            let raw = (0..<length).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined()
            if Self.split(raw) != Self.scalarSplit(raw) { mismatches.append(raw.debugDescription) }
        }
        #expect(mismatches.isEmpty, "seed \(start): \(mismatches.prefix(5))")
    }
}
