/// What the daemon said about a successful answer besides the response message.
package struct CallInfo: Sendable, Equatable {
    /// How old the answer was when served from the daemon's read cache (the caller allowed it
    /// with `flygate-max-staleness-ms`); nil for a fresh answer.
    package var cacheAge: Duration?

    /// Info with `cacheAge`.
    package init(cacheAge: Duration? = nil) {
        self.cacheAge = cacheAge
    }
}
