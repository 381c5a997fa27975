import FlyGateWire
import Foundation
import SwiftProtobuf

/// The table of handlers, by ttrpc `service` and `method`, and the interceptors every one of
/// them runs behind.
///
/// Built once before the server starts; the server reads it concurrently afterwards.
package struct RPCRouter: Sendable {
    /// One registered method: decodes the payload, runs the interceptors and the handler,
    /// encodes the answer.
    struct Method: Sendable {
        /// Runs the call; throws ``RPCError`` with INVALID_ARGUMENT when the payload does not decode.
        let call: @Sendable (_ payload: Data, _ context: CallContext) async throws -> Data
        /// The method answers from local state without waiting on anything (and so do the
        /// interceptors for it): the server runs it on the connection's read loop instead of
        /// starting a task for it.
        let answersInline: Bool
        /// The call made synchronously: set for a method that answers at once whose
        /// interceptors all run inline (``RPCInlineInterceptor``), so the connection answers it
        /// as its frame is read, with no task and no suspension.
        var callInline: (@Sendable (_ payload: Data, _ context: CallContext) throws -> Data)?
        /// Set for a server-streaming method (``registerServerStreaming(service:method:_:)``):
        /// decodes the payload and runs the interceptors and the handler, which sends its
        /// messages to the sink; returning ends the stream OK. `call` then only refuses.
        var serverStream: (@Sendable (_ payload: Data, _ context: CallContext, _ sink: RPCStreamSink) async throws -> Void)?
    }

    /// What a lookup found.
    enum Route: Sendable {
        case method(Method)
        case unknownService
        case unknownMethod
    }

    /// What every registered method runs behind.
    package let interceptors: RPCInterceptorChain
    var services: [String: [String: Method]] = [:]
    /// Serialized `FileDescriptorSet`s of the proto files that define the registered services,
    /// which gRPC server reflection hands to clients.
    package private(set) var descriptorSets: [Data] = []

    /// An empty router whose methods will run behind `interceptors`.
    package init(interceptors: RPCInterceptorChain = RPCInterceptorChain()) {
        self.interceptors = interceptors
    }

    /// Registers `handler` for `service`/`method`; registering the same pair twice is a programming error.
    package mutating func register<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        _ handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        self.add(service, method, answersInline: false, handler)
    }

    /// Registers a handler that answers at once — it reads local state, never waits, never
    /// does I/O — so the server runs it on the connection's read loop, with no task of its own.
    /// The interceptors must not wait for it either (the daemon declares such methods' rules so).
    package mutating func registerImmediate<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        _ handler: @escaping @Sendable (Request, CallContext) throws -> Response
    ) {
        self.add(service, method, answersInline: true) { request, context in try handler(request, context) }
        guard let interceptors = self.interceptors.specialized(service: service, method: method).inline else { return }
        self.services[service]?[method]?.callInline = { payload, context in
            let request = try Self.decode(Request.self, payload)
            return try interceptors.run(request, context: context, handler: handler).singlePassSerializedData()
        }
    }

    /// Adds the descriptors of the services' proto files (a serialized `FileDescriptorSet`, as
    /// `protoc --descriptor_set_out --include_imports` writes it) for server reflection.
    package mutating func describe(with descriptorSet: Data) {
        self.descriptorSets.append(descriptorSet)
    }

    private mutating func add<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ service: String,
        _ method: String,
        answersInline: Bool,
        _ handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        precondition(self.services[service]?[method] == nil, "\(service)/\(method) registered twice")
        let interceptors = self.interceptors.specialized(service: service, method: method)
        let entry = Method(
            call: { payload, context in
                let request = try Self.decode(Request.self, payload)
                let response = try await interceptors.run(request, context: context, handler: handler)
                return try response.singlePassSerializedData()
            },
            answersInline: answersInline,
            callInline: nil,
            serverStream: nil
        )
        self.services[service, default: [:]][method] = entry
    }

    static func decode<Request: SwiftProtobuf.Message>(_ type: Request.Type, _ payload: Data) throws -> Request {
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
