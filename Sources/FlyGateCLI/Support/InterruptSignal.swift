import UnixSignals

/// Waits for SIGINT or SIGTERM (for commands that hold something until interrupted).
package enum InterruptSignal {
    package static func wait() async {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await _ in signals { return }
    }
}
