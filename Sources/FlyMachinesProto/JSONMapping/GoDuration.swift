/// Go's `time.Duration.String()` for a count of nanoseconds: "1h2m3.5s", "150ms", "0s".
package enum GoDuration {
    package static func format(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000 {
            text = "\(magnitude)ns"
        } else if magnitude < 1_000_000 {
            text = fraction(magnitude, unit: 1_000) + "µs"
        } else if magnitude < 1_000_000_000 {
            text = fraction(magnitude, unit: 1_000_000) + "ms"
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = magnitude % 60_000_000_000
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += fraction(seconds, unit: 1_000_000_000) + "s"
        }
        return negative ? "-" + text : text
    }

    /// `value / unit` with the fraction's trailing zeros dropped.
    private static func fraction(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        var rest = value % unit
        guard rest > 0 else { return "\(whole)" }
        var digits = String(rest)
        digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        rest = 0
        return "\(whole).\(digits)"
    }
}

/// Linux signal numbers by name, as Fly's API names them.
package enum SignalNames {
    package static let byNumber: [Int64: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 8: "SIGFPE",
        9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
    ]

    /// The name of a signal number, or nil for one Fly does not accept.
    package static func name(of number: Int64) -> String? { byNumber[number] }
}
