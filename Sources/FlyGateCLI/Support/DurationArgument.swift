import ArgumentParser
import FlyMachinesProto

/// A timeout as Fly takes it: a Go duration (`30s`, `1m30s`, `500ms`) or a number of seconds.
package struct DurationArgument: ExpressibleByArgument, Sendable, Equatable {
    /// Go's duration text, sent to Fly (`30` becomes `30s`).
    package var goText: String
    /// The same length in seconds, for our own deadline.
    package var seconds: Double

    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// Parses `30`, `30s`, `1m30s`, `1.5h`, `250ms`; nil for anything else or a negative length.
    package init?(argument: String) {
        if let whole = Int64(argument), whole >= 0 {
            self.goText = "\(whole)s"
            self.seconds = Double(whole)
            return
        }
        var rest = Substring(argument)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest unit first, so "ms" is not read as "m".
            guard let (unit, scale) = Self.units.sorted(by: { $0.0.count > $1.0.count }).first(where: { rest.hasPrefix($0.0) })
            else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        self.goText = argument
        self.seconds = total
    }

    /// What `--help` shows for the value.
    package static var defaultValueDescription: String { "duration" }
}

/// A Unix signal as Fly names it: `SIGTERM`, `TERM`, `term` and `15` all mean SIGTERM.
package struct SignalArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The signal's name, e.g. `SIGTERM`.
    package var name: String

    /// Parses a signal name or number; nil for a signal Fly does not know.
    package init?(argument: String) {
        if let number = Int64(argument) {
            guard let name = SignalNames.name(of: number) else { return nil }
            self.name = name
            return
        }
        let upper = argument.uppercased()
        let name = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        guard SignalNames.byNumber.values.contains(name) else { return nil }
        self.name = name
    }

    /// What `--help` shows for the value.
    package static var defaultValueDescription: String { "signal" }
}
