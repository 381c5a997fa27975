#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

extension SocketPath {
    /// How long a connect waits for room in a listener's full queue before giving up.
    package static let fullQueuePatience: Duration = .seconds(5)

    /// Runs `connect` and runs it again while the listener's queue is full.
    ///
    /// A nonblocking connect to a Unix socket fails with EAGAIN, not EINPROGRESS, when the
    /// listener has `backlog` connections it has not accepted yet: the listener is there and
    /// will take more as it accepts. That is no reason to fail a call, so this tries again,
    /// 1 ms after the first refusal and up to 50 ms apart, for at most `patience`; then, or on
    /// any other error, or when the task is cancelled, it throws what the last try threw.
    package static func connectWaitingForRoom<Connection>(
        patience: Duration = Self.fullQueuePatience,
        _ connect: () async throws -> Connection
    ) async throws -> Connection {
        let deadline = ContinuousClock.now + patience
        var pause = Duration.milliseconds(1)
        while true {
            do {
                return try await connect()
            } catch let error as IOError where error.errnoCode == EAGAIN {
                guard ContinuousClock.now + pause < deadline, !Task.isCancelled else { throw error }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            }
        }
    }
}
