import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP answer, read whole.
struct UpstreamAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The `fly-request-id` header.
    var flyRequestID: String? { headers.first(name: "fly-request-id") }
}

/// Why an attempt produced no answer.
enum AttemptFailure: Error {
    /// The request never left (connect refused or timed out, no pooled connection in time).
    case notSent(any Error & Sendable)
    /// The request may have reached Fly.
    case ambiguous(any Error & Sendable)
    /// The caller was cancelled.
    case cancelled
    /// The answer was larger than `maxResponseBytes`.
    case tooLarge
}

extension FlyMachinesClient {
    /// Sends `call` once, to be answered by `deadline`.
    func send(_ call: RESTCall, deadline: ContinuousClock.Instant) async throws(AttemptFailure) -> UpstreamAnswer {
        var request = HTTPClientRequest(url: endpoint.url(call.pathAndQuery))
        request.method = HTTPMethod(rawValue: call.method)
        request.headers.add(name: "authorization", value: credentials.authorizationHeader)
        request.headers.add(name: "user-agent", value: configuration.userAgent)
        request.headers.add(name: "accept", value: "application/json")
        if let nonce = call.leaseNonce { request.headers.add(name: "fly-machine-lease-nonce", value: nonce) }
        if let body = call.body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serializedBytes))
        }
        let remaining = deadline - .now
        let nioDeadline = NIODeadline.now() + .nanoseconds(max(0, Self.nanoseconds(remaining)))
        do {
            let pool = call.rpc.traits.longRunning ? longCallHTTPClient : httpClient
            let response = try await pool.execute(request, deadline: nioDeadline, logger: logger)
            let body = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return UpstreamAnswer(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
        } catch {
            throw Self.classify(error)
        }
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
        if let error = error as? NIOConnectionError { return .notSent(error) }
        if let error = error as? ChannelError, case .connectTimeout = error { return .notSent(error) }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: return .notSent(error)
            default: return .ambiguous(error)
            }
        }
        return .ambiguous(SendableErrorText(String(describing: error)))
    }
}

/// A non-Sendable error kept as its text.
struct SendableErrorText: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
