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
        // Written as bytes: one record per call asks, and piecing Strings together cost
        // more than the rest of the record's fields.
        var text = Array("0000-00-00T00:00:00.000000Z".utf8)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, at: 0, width: 4)
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        put(Int(parts.tm_mday), at: 8, width: 2)
        put(Int(parts.tm_hour), at: 11, width: 2)
        put(Int(parts.tm_min), at: 14, width: 2)
        put(Int(parts.tm_sec), at: 17, width: 2)
        put(Int(spec.tv_nsec) / 1000, at: 20, width: 6)
        return String(decoding: text, as: UTF8.self)
    }

    /// `value` in decimal, zero-padded to `width` digits.
    package static func pad<Value: BinaryInteger>(_ value: Value, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
