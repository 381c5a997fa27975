import NIOCore
import NIOHTTP1

extension FlyMachinesClient {
    /// Sends `call` once, to be answered by `deadline`.
    func send(_ call: RESTCall, deadline: ContinuousClock.Instant) async throws(AttemptFailure) -> UpstreamAnswer {
        var headers = HTTPHeaders()
        headers.reserveCapacity(6)
        headers.add(name: "authorization", value: credentials.authorizationHeader)
        headers.add(name: "user-agent", value: configuration.userAgent)
        headers.add(name: "accept", value: "application/json")
        if let nonce = call.leaseNonce { headers.add(name: "fly-machine-lease-nonce", value: nonce) }
        if call.body != nil { headers.add(name: "content-type", value: "application/json") }
        let request = UpstreamRequest(
            method: HTTPMethod(rawValue: call.method), target: call.pathAndQuery, headers: headers,
            body: call.body?.serializedBytes)
        let remaining = deadline - .now
        let nioDeadline = NIODeadline.now() + .nanoseconds(max(0, Self.nanoseconds(remaining)))
        if Task.isCancelled { throw .cancelled }
        return try await transport.send(request, longRunning: call.rpc.traits.longRunning, deadline: nioDeadline)
    }
}
