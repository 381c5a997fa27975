import FlyGateWire
import Foundation
import SwiftProtobuf

extension RPCRouter {
    /// Registers a server-streaming method: one request in, any number of messages out. The
    /// handler returning ends the stream OK; throwing an RPCError ends it with that status; the
    /// handler's task is cancelled when the client goes away (connection closed, gRPC stream
    /// reset, or the call's deadline). The call runs behind the router's interceptor chain like
    /// a unary call (policy before the first message, observe/audit when the stream ends); the
    /// chain sees it as a call whose response is `SwiftProtobuf.Google_Protobuf_Empty`,
    /// returned when the stream ends.
    ///
    /// Over ttrpc the method needs ttrpc 1.2 (a Request flagged remote-closed); over gRPC it is
    /// an ordinary server-streaming call. Registering the same pair twice is a programming error.
    package mutating func registerServerStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        _ handler: @escaping @Sendable (Request, CallContext, RPCStreamWriter<Response>) async throws -> Void
    ) {
        precondition(self.services[service]?[method] == nil, "\(service)/\(method) registered twice")
        let interceptors = self.interceptors.specialized(service: service, method: method)
        let entry = Method(
            call: { _, _ in
                throw RPCError(code: .unimplemented, message: "method \(method) streams its answer; call it as a stream")
            },
            answersInline: false,
            callInline: nil,
            serverStream: { payload, context, sink in
                let request = try Self.decode(Request.self, payload)
                let writer = RPCStreamWriter<Response>(sink: sink)
                _ = try await interceptors.run(request, context: context) { request, context -> Google_Protobuf_Empty in
                    try await handler(request, context, writer)
                    return Google_Protobuf_Empty()
                }
            }
        )
        self.services[service, default: [:]][method] = entry
    }
}
