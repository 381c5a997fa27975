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
        /// The same, for a handler that answers at once without waiting on anything: the server
        /// runs it on the connection's read loop instead of starting a task for it.
        let immediate: (@Sendable (_ payload: Data, _ context: CallContext) throws -> Data)?
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
        let entry = Method(
            call: { payload, context in
                let response = try await handler(try Self.decode(Request.self, payload), context)
                return try response.serializedBytes()
            },
            immediate: nil
        )
        self.services[service, default: [:]][method] = entry
    }

    /// Registers a handler that answers at once — it reads local state, never waits, never
    /// does I/O — so the server runs it on the connection's read loop, with no task of its own.
    package mutating func registerImmediate<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        _ handler: @escaping @Sendable (Request, CallContext) throws -> Response
    ) {
        precondition(self.services[service]?[method] == nil, "\(service)/\(method) registered twice")
        let immediate: @Sendable (Data, CallContext) throws -> Data = { payload, context in
            try handler(try Self.decode(Request.self, payload), context).serializedBytes()
        }
        self.services[service, default: [:]][method] = Method(call: { try immediate($0, $1) }, immediate: immediate)
    }

    private static func decode<Request: SwiftProtobuf.Message>(_ type: Request.Type, _ payload: Data) throws -> Request {
        do {
            return try Request(serializedBytes: payload)
        } catch {
            throw RPCError(code: .invalidArgument, message: "payload is not a \(Request.protoMessageName)", cause: error)
        }
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
