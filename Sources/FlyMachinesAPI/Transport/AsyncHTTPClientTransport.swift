import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// The transport for `https://` endpoints: AsyncHTTPClient, with TLS and HTTP/2 when offered.
/// Two pools: one for short calls, one for Wait and Exec.
struct AsyncHTTPClientTransport: UpstreamTransport {
    let endpoint: UpstreamEndpoint
    let shortCalls: HTTPClient
    let longCalls: HTTPClient
    let maxResponseBytes: Int
    let logger: Logger

    init(endpoint: UpstreamEndpoint, configuration: FlyMachinesClient.Configuration, group: any EventLoopGroup, logger: Logger) {
        self.endpoint = endpoint
        self.maxResponseBytes = configuration.maxResponseBytes
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.redirectConfiguration = .disallow
        http.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(FlyMachinesClient.nanoseconds(configuration.connectTimeout)), read: nil)
        func pool(connectionsPerHost: Int) -> HTTPClient.Configuration.ConnectionPool {
            var pool = HTTPClient.Configuration.ConnectionPool(
                idleTimeout: .nanoseconds(FlyMachinesClient.nanoseconds(configuration.idleTimeout)),
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
        shortCalls = HTTPClient(eventLoopGroup: group, configuration: http, backgroundActivityLogger: logger)
        http.connectionPool = pool(connectionsPerHost: configuration.maxLongCallConnectionsPerHost)
        longCalls = HTTPClient(eventLoopGroup: group, configuration: http, backgroundActivityLogger: logger)
    }

    func send(_ request: UpstreamRequest, longRunning: Bool, deadline: NIODeadline) async throws(AttemptFailure)
        -> UpstreamAnswer
    {
        var outgoing = HTTPClientRequest(url: endpoint.url(request.target))
        outgoing.method = request.method
        outgoing.headers = request.headers
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await (longRunning ? longCalls : shortCalls).execute(outgoing, deadline: deadline, logger: logger)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return UpstreamAnswer(
                status: Int(response.status.code), flyRequestID: response.headers.first(name: "fly-request-id"),
                retryAfter: response.headers.first(name: "retry-after"), body: Array(buffer: body))
        } catch {
            throw Self.classify(error)
        }
    }

    /// Every pool is shut down even when one fails (a client left open traps on deinit).
    func shutdown() async throws {
        var failure: (any Error)?
        for client in [shortCalls, longCalls] {
            do { try await client.shutdown() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// Sorts a transport error into "never sent", "maybe sent", cancelled or too large.
    static func classify(_ error: any Error) -> AttemptFailure {
        if error is CancellationError || Task.isCancelled { return .cancelled }
        if error is NIOTooManyBytesError { return .tooLarge }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return .cancelled
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .alreadyShutdown:
                return .notSent(error)
            default: return .ambiguous(error)
            }
        }
        return .classifying(error, whileConnecting: false)
    }
}
