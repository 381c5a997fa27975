extension FlyMachinesClient {
    /// How the upstream client connects, times out, retries and limits itself.
    package struct Configuration: Sendable {
        /// The Machines API base URL, without `/v1` (the client adds it).
        package var baseURL: String
        /// The `User-Agent` header.
        package var userAgent: String
        /// Longest time to open a TCP (and TLS) connection.
        package var connectTimeout: Duration
        /// Longest time for one HTTP request when the caller gives no deadline (a `Wait` gets its
        /// upstream timeout on top).
        package var requestTimeout: Duration
        /// How long an idle pooled connection is kept.
        package var idleTimeout: Duration
        /// Larger answers fail with RESOURCE_EXHAUSTED.
        package var maxResponseBytes: Int
        /// HTTP/1.1 connections per host the pool opens at most (soft limit); HTTP/2 multiplexes on
        /// one. For `http://` it is shared out evenly over the event loops, at least one each.
        package var maxConnectionsPerHost: Int
        /// HTTP/1.1 connections per host for long-running calls (Wait, Exec), a pool of their own
        /// so that long polls never hold up short calls waiting for a pooled connection.
        package var maxLongCallConnectionsPerHost: Int
        /// Offer HTTP/2 (ALPN, TLS only); false pins HTTP/1.1.
        package var http2: Bool
        /// Threads of the client's own event loop group (when none is given).
        package var eventLoopThreads: Int
        /// When failed attempts are retried.
        package var retry: UpstreamRetryPolicy
        /// The client-side rate limiter.
        package var rateLimits: UpstreamRateLimiter.Configuration

        /// Every field.
        package init(
            baseURL: String, userAgent: String, connectTimeout: Duration, requestTimeout: Duration,
            idleTimeout: Duration, maxResponseBytes: Int, maxConnectionsPerHost: Int,
            maxLongCallConnectionsPerHost: Int, http2: Bool, eventLoopThreads: Int, retry: UpstreamRetryPolicy,
            rateLimits: UpstreamRateLimiter.Configuration
        ) {
            self.baseURL = baseURL
            self.userAgent = userAgent
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.maxResponseBytes = maxResponseBytes
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxLongCallConnectionsPerHost = maxLongCallConnectionsPerHost
            self.http2 = http2
            self.eventLoopThreads = eventLoopThreads
            self.retry = retry
            self.rateLimits = rateLimits
        }

        /// `https://api.machines.dev`; 10 s connect, 60 s per request, 60 s idle; 16 MiB answers;
        /// 8 connections per host, and 32 more for Wait and Exec; HTTP/2 offered; 1 event-loop
        /// thread; `UpstreamRetryPolicy.defaults`; Fly's documented rate limits.
        package static var defaults: Configuration {
            Configuration(
                baseURL: UpstreamEndpoint.publicURL, userAgent: "flygate/0.1", connectTimeout: .seconds(10),
                requestTimeout: .seconds(60), idleTimeout: .seconds(60), maxResponseBytes: 16 << 20,
                maxConnectionsPerHost: 8, maxLongCallConnectionsPerHost: 32, http2: true, eventLoopThreads: 1,
                retry: .defaults, rateLimits: .defaults)
        }

        /// This configuration with `FLY_FLAPS_BASE_URL` from `environment` applied, as flyctl does.
        package func applyingEnvironment(_ environment: [String: String]) -> Configuration {
            var copy = self
            if let value = environment[UpstreamEndpoint.environmentVariable], !value.isEmpty { copy.baseURL = value }
            return copy
        }

        /// Refuses settings that cannot work; returns the parsed endpoint.
        @discardableResult
        package func validate() throws(FlyAPIError) -> UpstreamEndpoint {
            let endpoint = try UpstreamEndpoint(baseURL)
            guard connectTimeout > .zero, requestTimeout > .zero, idleTimeout > .zero else {
                throw .configuration("connect, request and idle timeouts must be positive")
            }
            guard maxResponseBytes > 0 else { throw .configuration("maxResponseBytes must be positive") }
            guard maxConnectionsPerHost >= 1, maxLongCallConnectionsPerHost >= 1 else {
                throw .configuration("maxConnectionsPerHost and maxLongCallConnectionsPerHost must be at least 1")
            }
            guard eventLoopThreads >= 1 else { throw .configuration("eventLoopThreads must be at least 1") }
            guard userAgent.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                throw .configuration("userAgent must be printable ASCII")
            }
            try retry.validate()
            try rateLimits.validate()
            return endpoint
        }
    }
}
