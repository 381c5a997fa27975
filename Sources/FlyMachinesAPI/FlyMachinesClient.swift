import FlyMachinesProto
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The upstream client: every Machines rpc as a REST call to Fly over one pooled HTTP client,
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
    /// Carries the requests: flygate's own HTTP/1.1 pool for `http://`, AsyncHTTPClient for `https://`.
    let transport: any UpstreamTransport
    package let limiter: UpstreamRateLimiter
    let observer: (any UpstreamObserver)?
    let logger: Logger
    private let ownedGroup: MultiThreadedEventLoopGroup?
    private let isShutDown = Atomic<Bool>(false)

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
        transport =
            endpoint.scheme == "http"
            ? HTTP1Transport(endpoint: endpoint, configuration: configuration, group: group)
            : AsyncHTTPClientTransport(endpoint: endpoint, configuration: configuration, group: group, logger: logger)
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

    /// Closes the pools (and the client's own event loop group). Calls in flight fail. Every
    /// part is shut down even when one fails (a client left open traps on deinit); the first
    /// error is thrown. Calling it again does nothing.
    package func shutdown() async throws {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var failure: (any Error)?
        do { try await transport.shutdown() } catch { failure = error }
        do { try await ownedGroup?.shutdownGracefully() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
