import FlyGateWire
import Foundation
import SwiftProtobuf

/// The table of handlers, by ttrpc `service` and `method`.
///
/// Built once before the server starts; the server reads it concurrently afterwards.
package struct RPCRouter: Sendable {
    /// One registered method: decodes the payload, runs the handler, encodes the answer.
    struct Method: Sendable {
        /// Runs the call; throws ``RPCError`` with INVALID_ARGUMENT when the payload does not decode.
        let call: @Sendable (_ payload: Data, _ context: CallContext) async throws -> Data
    }

    /// What a lookup found.
    enum Route: Sendable {
        case method(Method)
        case unknownService
        case unknownMethod
    }

    private var services: [String: [String: Method]] = [:]

    /// An empty router.
    package init() {}

    /// Registers `handler` for `service`/`method`; registering the same pair twice is a programming error.
    package mutating func register<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        _ handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        precondition(self.services[service]?[method] == nil, "\(service)/\(method) registered twice")
        let entry = Method { payload, context in
            let request: Request
            do {
                request = try Request(serializedBytes: payload)
            } catch {
                throw RPCError(
                    code: .invalidArgument,
                    message: "payload is not a \(Request.protoMessageName)",
                    cause: error
                )
            }
            let response = try await handler(request, context)
            return try response.serializedBytes()
        }
        self.services[service, default: [:]][method] = entry
    }

    /// The registered services and their methods, sorted.
    package var registeredMethods: [(service: String, method: String)] {
        self.services.keys.sorted().flatMap { service in
            self.services[service]!.keys.sorted().map { (service: service, method: $0) }
        }
    }

    /// Finds the method for `service`/`method`.
    func route(service: String, method: String) -> Route {
        guard let methods = self.services[service] else { return .unknownService }
        guard let entry = methods[method] else { return .unknownMethod }
        return .method(entry)
    }
}
