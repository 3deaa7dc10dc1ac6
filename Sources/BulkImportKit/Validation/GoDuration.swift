/// Go's `time.ParseDuration` grammar, which Milvus uses for the `timeout` option: a sequence of
/// decimal numbers, each with a unit (ns, us, µs, ms, s, m, h), like `300s`, `1.5h` or `1h45m`;
/// `0` alone needs no unit.
enum GoDuration {
    /// The duration in seconds, or nil when `text` is not a Go duration.
    static func seconds(_ text: String) -> Double? {
        var s = Substring(text)
        var negative = false
        if let f = s.first, f == "-" || f == "+" {
            negative = f == "-"
            s.removeFirst()
        }
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                let value = Double(number.hasPrefix(".") ? "0" + number : number)
            else { return nil }
            s = s.dropFirst(number.count)
            let unit = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            s = s.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
        }
        return negative ? -total : total
    }
}
