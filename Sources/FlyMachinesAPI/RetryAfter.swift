#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses an HTTP `Retry-After` value: delay seconds, or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
package enum RetryAfter {
    /// The delay `value` asks for, relative to `nowUnixSeconds` for a date; nil when unreadable.
    /// Capped at one hour; a date in the past means zero.
    package static func parse(_ value: String, nowUnixSeconds: Int64 = currentUnixSeconds()) -> Duration? {
        let text = value.trimmingPrefix(" ")
        if let seconds = Int64(text), seconds >= 0 { return .seconds(min(seconds, 3600)) }
        guard let date = parseIMFFixdate(String(text)) else { return nil }
        return .seconds(min(max(0, date - nowUnixSeconds), 3600))
    }

    /// Unix seconds of an IMF-fixdate, or nil.
    package static func parseIMFFixdate(_ text: String) -> Int64? {
        // "Sun, 06 Nov 1994 08:49:37 GMT"
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int64(parts[1]), let year = Int64(parts[3])
        else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]), let second = Int64(clock[2]),
            (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysFromCivil(year: year, month: Int64(monthIndex + 1), day: day)
        return days * 86400 + hour * 3600 + minute * 60 + second
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The wall clock in Unix seconds.
    package static func currentUnixSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
