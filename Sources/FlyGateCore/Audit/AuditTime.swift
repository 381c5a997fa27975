#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time for audit records: UTC, microseconds, RFC 3339 (`2025-01-02T03:04:05.123456Z`).
package enum AuditTime {
    /// The time now.
    package static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(Int(spec.tv_nsec) / 1000, 6) + "Z"
    }

    /// `value` in decimal, zero-padded to `width` digits.
    package static func pad<Value: BinaryInteger>(_ value: Value, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
