/// Go-style durations as Fly takes them: `"10s"`, `"1m30s"`, `"500ms"`, or bare seconds (`"10"`).
package enum GoDuration {
    /// Parses a duration text; nil when malformed or negative.
    package static func parse(_ text: String) -> Duration? {
        if let seconds = Int64(text) { return seconds >= 0 ? .seconds(seconds) : nil }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let numberText = rest.prefix(while: { $0.isNumber || $0 == "." })
            guard !numberText.isEmpty, let number = Double(numberText) else { return nil }
            rest = rest.dropFirst(numberText.count)
            guard let unit = units.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else {
                return nil
            }
            rest = rest.dropFirst(unit.0.count)
            total += number * unit.1
        }
        return .milliseconds(Int64(total * 1000))
    }
}
