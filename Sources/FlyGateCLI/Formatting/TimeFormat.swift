import Foundation

/// Times and sizes as people read them: RFC 3339 in UTC, `1h2m3s`, `12.5 MB`.
package enum TimeFormat {
    /// Unix seconds as `2026-02-21T08:12:51Z`.
    package static func rfc3339(unixSeconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(unixSeconds)).formatted(.iso8601)
    }

    /// Unix milliseconds (as in machine events) as `2026-02-21T08:12:51Z`.
    package static func rfc3339(unixMilliseconds: Int64) -> String {
        rfc3339(unixSeconds: unixMilliseconds / 1000)
    }

    /// A duration in whole seconds as `1h2m3s`, `45s`, `0s`.
    package static func duration(seconds: Int64) -> String {
        guard seconds > 0 else { return "0s" }
        let (hours, rest) = seconds.quotientAndRemainder(dividingBy: 3600)
        let (minutes, secs) = rest.quotientAndRemainder(dividingBy: 60)
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if secs > 0 || text.isEmpty { text += "\(secs)s" }
        return text
    }

    /// `in 1m2s` or `3s ago`: a Unix time relative to `now` (Unix seconds).
    package static func relative(unixSeconds: Int64, now: Int64) -> String {
        unixSeconds >= now
            ? "in " + duration(seconds: unixSeconds - now)
            : duration(seconds: now - unixSeconds) + " ago"
    }

    /// Bytes as `9.0 MB` (MiB, one decimal), or `512 B` below a KiB.
    package static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
