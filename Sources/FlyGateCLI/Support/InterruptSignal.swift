import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGINT or SIGTERM (for commands that hold something until interrupted).
package enum InterruptSignal {
    package static func wait() async {
        // A resumed dispatch source stays alive until cancelled; the process exits soon after.
        let stream = AsyncStream<Void> { continuation in
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield() }
                source.resume()
            }
        }
        for await _ in stream { return }
    }
}
