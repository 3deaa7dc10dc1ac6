import BulkImportKit
import Testing

@Suite struct ClippedValueTests {
    @Test func shortValuesAreKeptAsTheyAre() {
        #expect("articles".clipped() == "articles")
        #expect("\(quoted: "articles") is not defined" == "'articles' is not defined")
        #expect(!ClippedValue("x").isClipped)
    }

    @Test func longValuesAreCutWithTheirLength() {
        let value = String(repeating: "n", count: 60_000_000 / 1000)
        let clipped = value.clipped()
        #expect(clipped.hasPrefix(String(repeating: "n", count: 120) + "…"))
        #expect(clipped.hasSuffix("(60000 characters)"))
        #expect(clipped.count < 150)
        #expect(ClippedValue(value).isClipped)
    }

    @Test func controlCharactersAreEscaped() {
        #expect("a\nb\u{1B}[31mc\td".clipped() == "a\\nb\\u{1B}[31mc\\td")
        #expect("x\u{2028}y\u{85}".clipped() == "x\\u{2028}y\\u{85}")
    }

    @Test func oneEnormousGraphemeIsStillClipped() {
        let value = "e" + String(repeating: "\u{301}", count: 10_000)
        #expect(value.clipped().unicodeScalars.count < 160)
    }
}

/// The count after the cut is taken over bytes: it must still be the count of Unicode scalars,
/// in a String and in a Substring, whatever their width.
@Suite struct ClippedValueCountTests {
    @Test(arguments: ["n", "é", "\u{301}", "€", "🦀", "a\u{2028}"])
    func theLengthAfterTheCutCountsUnicodeScalars(unit: String) {
        let value = String(repeating: unit, count: 400) + "tail"
        let expected = value.unicodeScalars.count
        #expect(value.clipped().hasSuffix("… (\(expected) characters)"))
        let slice = Substring(value.unicodeScalars.dropFirst(3))
        #expect(ClippedValue(slice).description.hasSuffix("… (\(slice.unicodeScalars.count) characters)"))
    }
}
