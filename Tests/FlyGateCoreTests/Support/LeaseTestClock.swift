import FlyGateCore
import Synchronization

/// The lease book's two clocks under a test's control: time passes on both with `advance`,
/// and the wall clock alone jumps with `stepWall` (an NTP step, an operator's `date -s`).
final class LeaseTestClock: Sendable {
    private let readings: Mutex<(wall: Int64, monotonic: ContinuousClock.Instant)>

    init(wall: Int64 = LeaseBook.unixNow()) {
        readings = Mutex((wall, ContinuousClock.now))
    }

    /// The wall clock, Unix seconds.
    var wall: Int64 { readings.withLock { $0.wall } }
    /// The monotonic clock.
    var monotonic: ContinuousClock.Instant { readings.withLock { $0.monotonic } }

    /// `seconds` pass.
    func advance(by seconds: Int64) {
        readings.withLock {
            $0.wall += seconds
            $0.monotonic += .seconds(seconds)
        }
    }

    /// The wall clock jumps by `seconds` (either way); no time passes.
    func stepWall(by seconds: Int64) {
        readings.withLock { $0.wall += seconds }
    }

    /// A book telling time by this clock.
    func book(file: LeaseBookFile? = nil) -> LeaseBook {
        LeaseBook(file: file, logger: quietLogger, clock: { self.wall }, monotonicClock: { self.monotonic })
    }
}
