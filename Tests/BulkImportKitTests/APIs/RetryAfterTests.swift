import Testing

@testable import BulkImportKit

@Suite struct RetryAfterTests {
    /// 1994-11-06T08:49:37Z, the RFC's own example.
    static let example = 784_111_777.0

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func everyFormOfAnHTTPDateReads(_ text: String) {
        #expect(RetryAfter.httpDate(text) == Self.example)
        #expect(RetryAfter.seconds(text, now: Self.example - 30) == 30)
    }

    @Test func secondsReadAndADateInThePastAsksForNoWait() {
        #expect(RetryAfter.seconds("120") == 120)
        #expect(RetryAfter.seconds(" 1.5 ") == 1.5)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:49:37 GMT", now: Self.example + 3600) == 0)
        #expect(RetryAfter.seconds("Thu, 01 Jan 2099 00:00:00 GMT", now: 4_070_908_800 - 5) == 5)
    }

    @Test(arguments: [
        "-1", "inf", "nan", "", "soon", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49 GMT",
    ])
    func anythingElseIsIgnored(_ text: String) {
        #expect(RetryAfter.seconds(text) == nil)
    }
}
