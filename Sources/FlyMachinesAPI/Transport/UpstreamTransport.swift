import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Carries one HTTP request to the Machines API and brings its answer back whole. Two
/// implementations: `HTTP1Transport` (flygate's own pooled HTTP/1.1 client, for plain `http://`
/// endpoints: the simulator, a loopback proxy, `_api.internal`) and `AsyncHTTPClientTransport`
/// (TLS and HTTP/2, for `https://`).
protocol UpstreamTransport: Sendable {
    /// Sends `request` once, to be answered by `deadline`; `longRunning` calls (Wait, Exec) use a
    /// pool of their own so that they never hold up short calls.
    func send(_ request: UpstreamRequest, longRunning: Bool, deadline: NIODeadline) async throws(AttemptFailure)
        -> UpstreamAnswer
    /// Closes every connection; calls in flight fail. The first error is thrown.
    func shutdown() async throws
}

/// One HTTP request, ready to send.
struct UpstreamRequest: Sendable {
    var method: HTTPMethod
    /// The path and query, starting with `/v1`.
    var target: String
    /// Every header but `host`, `content-length` and `connection`, which the transport sets.
    var headers: HTTPHeaders
    var body: [UInt8]?
}

/// One HTTP answer, read whole: its status, the two headers the client reads, and its body.
struct UpstreamAnswer: Sendable {
    var status: Int
    /// The `fly-request-id` header, which errors and logs carry.
    var flyRequestID: String?
    /// The `retry-after` header, as sent.
    var retryAfter: String?
    var body: [UInt8]
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

    /// Sorts an error of NIO's connect and socket layer into "never sent" or "maybe sent".
    static func classifying(_ error: any Error, whileConnecting: Bool) -> AttemptFailure {
        if error is CancellationError { return .cancelled }
        if whileConnecting { return .notSent(error) }
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

/// What went wrong in a transport, when no lower error says it better.
enum UpstreamTransportError: Error, Sendable, CustomStringConvertible {
    /// No connection could be had from the pool before the deadline.
    case noConnectionInTime
    /// The answer did not come before the deadline.
    case deadlinePassed
    /// The connection closed before the whole answer came.
    case closedBeforeAnswer
    /// The answer was not HTTP/1.1 the client can read.
    case malformedAnswer
    /// The transport was shut down.
    case shutDown

    var description: String {
        switch self {
        case .noConnectionInTime: "no connection to the Fly API came free before the deadline"
        case .deadlinePassed: "the deadline passed before the answer"
        case .closedBeforeAnswer: "the connection closed before the whole answer"
        case .malformedAnswer: "the answer is not HTTP/1.1"
        case .shutDown: "the upstream client is shut down"
        }
    }
}

/// A non-Sendable error kept as its text.
struct SendableErrorText: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
