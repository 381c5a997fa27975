extension FlyMachinesSimulator {
    /// How a simulator listens and behaves.
    package struct Configuration: Sendable {
        /// The address to bind; loopback unless you mean otherwise.
        package var host: String
        /// The port; 0 picks a free one (read it back from `boundPort`).
        package var port: Int
        /// The token clients must present (`Bearer` or `FlyV1`); nil accepts any, but a header is still required.
        package var token: String?
        /// How long each transient state (starting, stopping, …) lasts.
        package var transitionDelay: Duration
        /// Enforce Fly's rate limits (429 beyond 1 req/s burst 3 per action and machine; Show 5/s burst 10).
        package var rateLimits: Bool
        /// Faults in force from the start.
        package var faults: SimulatorFaults
        /// Record every exchange (operation, status, request and response bodies) for tests.
        package var recordExchanges: Bool
        /// The owner written on leases.
        package var leaseOwner: String
        /// Larger request bodies get 413.
        package var maxBodyBytes: Int

        /// Every field.
        package init(
            host: String, port: Int, token: String?, transitionDelay: Duration, rateLimits: Bool,
            faults: SimulatorFaults, recordExchanges: Bool, leaseOwner: String, maxBodyBytes: Int
        ) {
            self.host = host
            self.port = port
            self.token = token
            self.transitionDelay = transitionDelay
            self.rateLimits = rateLimits
            self.faults = faults
            self.recordExchanges = recordExchanges
            self.leaseOwner = leaseOwner
            self.maxBodyBytes = maxBodyBytes
        }

        /// 127.0.0.1 on a free port, any token, 30 ms transitions, Fly's rate limits on, no faults,
        /// nothing recorded, 4 MiB bodies.
        package static var defaults: Configuration {
            Configuration(
                host: "127.0.0.1", port: 0, token: nil, transitionDelay: .milliseconds(30), rateLimits: true,
                faults: .none, recordExchanges: false, leaseOwner: "flygate-simulator@tokens.fly.io",
                maxBodyBytes: 4 << 20)
        }

        /// Refuses settings that cannot work.
        package func validate() throws(SimulatorError) {
            guard (0...65535).contains(port) else { throw .invalidArgument("port \(port) is out of range") }
            guard transitionDelay >= .zero else { throw .invalidArgument("transitionDelay must not be negative") }
            guard maxBodyBytes > 0 else { throw .invalidArgument("maxBodyBytes must be positive") }
        }
    }
}
