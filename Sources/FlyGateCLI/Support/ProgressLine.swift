/// A spinner with elapsed seconds on standard error while a long call runs, erased at the end.
///
/// Only shown on a terminal; with `enabled` false it is a plain pass-through.
package struct ProgressLine: Sendable {
    /// Whether to draw at all.
    package var enabled: Bool

    /// A progress line that draws when `enabled`.
    package init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Runs `body` while `⠋ label 12s` turns on standard error.
    package func run<Value>(_ label: String, _ body: () async throws -> Value) async throws -> Value {
        guard enabled else { return try await body() }
        let shown = TableFormatter.sanitized(label)
        defer { Terminal.write("\r\u{1B}[2K", to: Terminal.standardError) }
        return try await withThrowingTaskGroup(of: Void.self, returning: Value.self) { group in
            group.addTask { await Self.spin(shown) }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    private static func spin(_ label: String) async {
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        let clock = ContinuousClock()
        let start = clock.now
        var frame = 0
        while !Task.isCancelled {
            let elapsed = (clock.now - start).components.seconds
            Terminal.write("\r\u{1B}[2K\(frames[frame % frames.count]) \(label) \(elapsed)s", to: Terminal.standardError)
            frame += 1
            // A redraw tick for people, not a synchronization.
            try? await Task.sleep(for: .milliseconds(120))
        }
    }
}
