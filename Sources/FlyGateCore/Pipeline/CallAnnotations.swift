import FlyGateServer
import Synchronization

/// What the stages learned about one call, for the audit log, metrics and the reply.
///
/// Created per call; stages write, the outermost stages read once the call is answered.
package final class CallAnnotations: Sendable {
    /// What the upstream answered for this call.
    package struct Upstream: Sendable, Equatable {
        package var httpStatus: Int?
        package var flyRequestID: String?
        package var attempts: Int

        package init(httpStatus: Int?, flyRequestID: String?, attempts: Int) {
            self.httpStatus = httpStatus
            self.flyRequestID = flyRequestID
            self.attempts = attempts
        }
    }

    /// The annotations as one value.
    package struct Values: Sendable, Equatable {
        package var upstream: Upstream?
        /// The call joined an identical call already in flight.
        package var coalesced = false
        /// The call was answered from the read cache; `cacheAge` says how old the answer was.
        package var cacheHit = false
        package var cacheAge: Duration?
    }

    private let state = Mutex(Values())

    package init() {}

    package var values: Values { state.withLock { $0 } }

    package func update(_ change: (inout Values) -> Void) {
        state.withLock { change(&$0) }
    }
}

extension CallContext {
    /// What the daemon's stages learned about this call, made on first use.
    package var annotations: CallAnnotations {
        self.values.value(CallAnnotations.self) { CallAnnotations() }
    }
}
