import SwiftProtobuf

/// Behaviour wrapped around every method of a router, whatever its service: observing,
/// access policy and auditing in the daemon. An interceptor sees the decoded request and the
/// call's context, and either answers (usually by throwing) or hands the call to `next`.
///
/// Interceptors know nothing of a particular service. What they need to know about a method
/// they resolve once, when the method is registered (``specialized(service:method:)``), or look
/// up by ``CallContext/service`` and ``CallContext/method``.
package protocol RPCInterceptor: Sendable {
    /// This interceptor as it applies to `service`/`method`, resolved once when the router
    /// registers the method: itself (the default), one bound to what it knows of the method,
    /// or nil when it has nothing to do for that method (it is then left out of its chain).
    func specialized(service: String, method: String) -> (any RPCInterceptor)?

    func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response
}

extension RPCInterceptor {
    /// Itself, for every method.
    package func specialized(service: String, method: String) -> (any RPCInterceptor)? { self }
}

/// An interceptor whose work never waits, so that a method answered at once
/// (``RPCRouter/registerImmediate(service:method:_:)``) can run through it synchronously, on
/// the connection's event loop as its frame is read, with no task and no suspension.
///
/// Its ``interceptInline(_:context:next:)`` must do what ``RPCInterceptor/intercept(_:context:next:)``
/// does. A method's chain runs inline only when every interceptor in it is one of these.
package protocol RPCInlineInterceptor: RPCInterceptor {
    func interceptInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: (Request, CallContext) throws -> Response
    ) throws -> Response
}

/// The rest of the chain after an interceptor: the next interceptor, or the method's handler.
package struct RPCInterceptorNext<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>: Sendable {
    let run: @Sendable (Request, CallContext) async throws -> Response

    /// Hands the call on.
    package func callAsFunction(_ request: Request, _ context: CallContext) async throws -> Response {
        try await self.run(request, context)
    }
}

/// Interceptors in order, outermost first, and the way a call passes through them.
///
/// The router runs every call it serves through its chain; code that makes calls of its own
/// (the daemon's lease renewals) runs them through the same chain, so nothing goes around it.
package struct RPCInterceptorChain: Sendable {
    private let interceptors: [any RPCInterceptor]
    /// The same chain run synchronously, when every interceptor of it can run inline; else nil.
    package let inline: RPCInlineInterceptorChain?

    /// A chain of `interceptors`, outermost first.
    package init(_ interceptors: [any RPCInterceptor] = []) {
        self.interceptors = interceptors
        let inline = interceptors.compactMap { $0 as? any RPCInlineInterceptor }
        self.inline = inline.count == interceptors.count ? RPCInlineInterceptorChain(interceptors: inline[...]) : nil
    }

    /// The chain for one method: each interceptor specialized to it, those with nothing to do
    /// for it left out.
    package func specialized(service: String, method: String) -> RPCInterceptorChain {
        RPCInterceptorChain(self.interceptors.compactMap { $0.specialized(service: service, method: method) })
    }

    /// Runs `request` through every interceptor, then `handler`.
    package func run<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) async throws -> Response {
        try await self.run(0, request, context, handler)
    }

    private func run<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ index: Int,
        _ request: Request,
        _ context: CallContext,
        _ handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) async throws -> Response {
        guard index < self.interceptors.count else { return try await handler(request, context) }
        let next = RPCInterceptorNext<Request, Response> { request, context in
            try await self.run(index + 1, request, context, handler)
        }
        return try await self.interceptors[index].intercept(request, context: context, next: next)
    }
}

/// A chain of interceptors that all run inline (``RPCInlineInterceptor``), run synchronously:
/// ``RPCInterceptorChain/inline``.
package struct RPCInlineInterceptorChain: Sendable {
    fileprivate let interceptors: ArraySlice<any RPCInlineInterceptor>

    /// Runs `request` through every interceptor, then `handler`.
    package func run<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        handler: (Request, CallContext) throws -> Response
    ) throws -> Response {
        guard let first = self.interceptors.first else { return try handler(request, context) }
        let rest = RPCInlineInterceptorChain(interceptors: self.interceptors.dropFirst())
        return try first.interceptInline(request, context: context) { request, context in
            try rest.run(request, context: context, handler: handler)
        }
    }
}
