import FlyGateCore
import Foundation
import Testing

@Suite struct AuditTimeTests {
    @Test("records are stamped in UTC, RFC 3339 with microseconds, and the stamp is now")
    func format() throws {
        let before = Date()
        let stamp = AuditTime.now()
        let after = Date()
        #expect(stamp.utf8.count == 27)
        let digits = stamp.utf8.enumerated().filter { ![4, 7, 10, 13, 16, 19, 26].contains($0.offset) }
        #expect(digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }, "\(stamp)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: stamp), "\(stamp)")
        // The formatter keeps milliseconds: allow for their rounding.
        #expect(date >= before.addingTimeInterval(-0.001) && date <= after.addingTimeInterval(0.001), "\(stamp)")
        // Microseconds, zero-padded: the field is the clock's, not a fixed string.
        let micros = Set((0..<50).map { _ in AuditTime.now().suffix(7) })
        #expect(micros.count > 1)
    }
}
