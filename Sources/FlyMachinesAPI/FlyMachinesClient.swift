import AsyncHTTPClient
import FlyMachinesProto
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The upstream client: every Machines rpc as a REST call to Fly over one pooled `HTTPClient`,
/// with client-side rate limiting, retries inside the caller's deadline and long waits. Conforms
/// to `MachinesCalling`, so the 29 typed methods come with it. Call `shutdown()` when done.
package final class FlyMachinesClient: MachinesCalling {
    /// The configuration in force.
    package let configuration: Configuration
    /// The validated base URL.
    package let endpoint: UpstreamEndpoint
    private let currentCredentials: Mutex<FlyCredentials>
    /// The credentials presented now (replaced on reload).
    var credentials: FlyCredentials { currentCredentials.withLock { $0 } }
    /// The pool for every call but the long-running ones.
    let httpClient: HTTPClient
    /// The pool for Wait and Exec, which may hold a connection for a minute.
    let longCallHTTPClient: HTTPClient
    package let limiter: UpstreamRateLimiter
    let observer: (any UpstreamObserver)?
    let logger: Logger
    private let ownedGroup: MultiThreadedEventLoopGroup?

    /// A client for `configuration` presenting `credentials`; on `eventLoopGroup`, or on its own
    /// group of `configuration.eventLoopThreads` threads when nil. `observer` hears every attempt.
    package init(
        configuration: Configuration, credentials: FlyCredentials, eventLoopGroup: (any EventLoopGroup)? = nil,
        observer: (any UpstreamObserver)? = nil, logger: Logger
    ) throws(FlyAPIError) {
        endpoint = try configuration.validate()
        self.configuration = configuration
        self.currentCredentials = Mutex(credentials)
        self.observer = observer
        self.logger = logger
        limiter = UpstreamRateLimiter(configuration: configuration.rateLimits)
        let group: any EventLoopGroup
        if let eventLoopGroup {
            group = eventLoopGroup
            ownedGroup = nil
        } else {
            let own = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoopThreads)
            group = own
            ownedGroup = own
        }
        var http = HTTPClient.Configuration()
        http.redirectConfiguration = .disallow
        http.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(Self.nanoseconds(configuration.connectTimeout)), read: nil)
        func pool(connectionsPerHost: Int) -> HTTPClient.Configuration.ConnectionPool {
            var pool = HTTPClient.Configuration.ConnectionPool(
                idleTimeout: .nanoseconds(Self.nanoseconds(configuration.idleTimeout)),
                concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
            // Our retry policy decides about failed connects, and counts them as attempts.
            pool.retryConnectionEstablishment = false
            return pool
        }
        http.connectionPool = pool(connectionsPerHost: configuration.maxConnectionsPerHost)
        http.httpVersion = configuration.http2 ? .automatic : .http1Only
        http.decompression = .disabled
        // No spans: nothing here reads them, and making one per request (with the URL parsed
        // again for its attributes) was a tenth of the daemon's instructions per Show.
        http.tracing.tracer = nil
        httpClient = HTTPClient(eventLoopGroup: group, configuration: http, backgroundActivityLogger: logger)
        http.connectionPool = pool(connectionsPerHost: configuration.maxLongCallConnectionsPerHost)
        longCallHTTPClient = HTTPClient(eventLoopGroup: group, configuration: http, backgroundActivityLogger: logger)
    }

    /// Makes one call; `options.timeout` becomes the deadline.
    package func call<Request: MachinesRPCRequest>(_ request: Request, options: MachinesCallOptions) async throws
        -> Request.Response
    {
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        return try await perform(request, deadline: deadline).response
    }

    /// Presents `credentials` from the next request on (a token reloaded on SIGHUP); calls in
    /// flight keep the header they were sent with.
    package func replaceCredentials(_ credentials: FlyCredentials) {
        currentCredentials.withLock { $0 = credentials }
    }

    /// Closes both pools (and the client's own event loop group). Calls in flight fail. Every
    /// part is shut down even when one fails (a client left open traps on deinit); the first
    /// error is thrown.
    package func shutdown() async throws {
        var failure: (any Error)?
        for client in [httpClient, longCallHTTPClient] {
            do { try await client.shutdown() } catch { failure = failure ?? error }
        }
        do { try await ownedGroup?.shutdownGracefully() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
