import Platform

/// `Retry-After` (RFC 9110, 10.2.3): a number of seconds, or an HTTP date. Read without Foundation:
/// a date formatter per response cost more than the whole rest of reading it.
enum RetryAfter {
    /// The seconds to wait that `value` asks for, from `now` (seconds since the epoch); nil when it
    /// is neither form. A date in the past asks for no wait.
    static func seconds(_ value: String, now: Double = WallClock.now()) -> Double? {
        let text = value.trimmingWhitespace()
        if let seconds = Double(text), seconds >= 0, seconds.isFinite { return seconds }
        guard let date = httpDate(text) else { return nil }
        return max(0, date - now)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the epoch of an HTTP date in any of its three forms:
    /// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850)
    /// and `Sun Nov  6 08:49:37 1994` (asctime).
    static func httpDate(_ text: String) -> Double? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: [Int]?
        switch words.count {
        case 6 where words[0].hasSuffix(",") && words[5] == "GMT":
            // IMF-fixdate, or RFC 850 once its dashes are split.
            (day, month, year, time) = (Int(words[1]), monthNumber(words[2]), Int(words[3]), clock(words[4]))
            if let y = year, words[3].count == 2 { year = y < 70 ? 2000 + y : 1900 + y }
        case 5:
            (month, day, time, year) = (monthNumber(words[1]), Int(words[2]), clock(words[3]), Int(words[4]))
        default:
            return nil
        }
        guard let day, let month, let year, let time, (1...31).contains(day), (1...9999).contains(year) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(time[0])
        parts.tm_min = Int32(time[1])
        parts.tm_sec = Int32(time[2])
        return Double(timegm(&parts))
    }

    private static func monthNumber(_ word: String) -> Int? {
        months.firstIndex(of: word.lowercased()).map { $0 + 1 }
    }

    private static func clock(_ word: String) -> [Int]? {
        let parts = word.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, (0...23).contains(parts[0]), (0...59).contains(parts[1]), (0...60).contains(parts[2]) else { return nil }
        return parts
    }
}
