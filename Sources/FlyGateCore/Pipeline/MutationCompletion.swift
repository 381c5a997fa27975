import FlyGateServer
import SwiftProtobuf
import Synchronization

/// Lets a mutation the policy allowed run to its end when its caller stops waiting — it
/// disconnects, is cancelled, or its deadline passes — so that what Fly did is what the audit
/// log records, and a lease it took is booked (and, its holder being gone, released).
///
/// Each mutation runs in a task the daemon owns (``OwnedTasks``), not in the caller's
/// task; the caller waits for it and, if it stops waiting first, gets its CANCELLED or
/// DEADLINE_EXCEEDED while the call goes on. The call's own deadline becomes at least
/// ``cap`` from its start, so a call that reached Fly is not cut off by its caller's deadline but
/// none runs unbounded. Calls the daemon makes on its own are not detached: the lease keeper
/// waits for them itself.
package final class MutationCompletion: RPCInterceptor {
    /// The least time a detached mutation is given from its start, whatever its caller's deadline.
    package static let defaultCap = Duration.seconds(120)

    let rules: MethodRules
    let cap: Duration
    private let jobs = OwnedTasks()

    /// Detaches the mutations of `rules`, each given at least `cap`.
    package init(rules: MethodRules, cap: Duration = MutationCompletion.defaultCap) {
        self.rules = rules
        self.cap = cap
    }

    /// Returns once ``finish()`` was called and the detached calls have ended.
    package func run() async {
        await self.jobs.run()
    }

    /// Takes no new calls (they are refused with UNAVAILABLE: it is called once the server has
    /// stopped); ``run()`` returns once those running have ended.
    package func finish() {
        self.jobs.finish()
    }

    /// For a mutation, an interceptor that detaches every call of it (no rule lookup per call);
    /// nil (left out) for every other method.
    package func specialized(service: String, method: String) -> (any RPCInterceptor)? {
        guard case .receivedAndCompleted? = self.rules.rule(service: service, method: method)?.audit else { return nil }
        return Detaching(completion: self)
    }

    package func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        guard case .receivedAndCompleted? = self.rules.rule(for: context)?.audit else { return try await next(request, context) }
        return try await self.detach(request, context: context, next: next)
    }

    /// The interceptor of one mutation.
    struct Detaching: RPCInterceptor {
        let completion: MutationCompletion

        func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
            _ request: Request,
            context: CallContext,
            next: RPCInterceptorNext<Request, Response>
        ) async throws -> Response {
            try await self.completion.detach(request, context: context, next: next)
        }
    }

    /// Runs the rest of a mutation's chain in a task of the daemon's; the daemon's own calls stay
    /// in their caller's task (the lease keeper waits for them itself).
    private func detach<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        guard context.daemonInitiated == nil else { return try await next(request, context) }
        let detached = self.detached(context)
        let outcome = Outcome<Response>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard outcome.wait(continuation) else { return }
                let job = self.jobs.submit(on: context.executor) {
                    do {
                        outcome.resume(.success(try await next(request, detached)))
                    } catch {
                        outcome.resume(.failure(error))
                    }
                }
                if job == nil {
                    // Only after the server stopped: no call could have come in since.
                    outcome.resume(.failure(DaemonError(code: .unavailable, message: "server is shutting down")))
                }
            }
        } onCancel: {
            outcome.resume(.failure(CancellationError()))
        }
    }

    /// `context` with its deadline moved to at least ``cap`` from now.
    private func detached(_ context: CallContext) -> CallContext {
        var detached = context
        if let deadline = context.deadline { detached.deadline = max(deadline, .now + self.cap) }
        return detached
    }

    /// The caller's side of a detached call: resumed once, by the call's end or by the caller
    /// giving up, whichever comes first.
    final class Outcome<Response: Sendable>: Sendable {
        private enum State {
            case idle
            case waiting(CheckedContinuation<Response, any Error>)
            case done(Result<Response, any Error>?)
        }

        private let state = Mutex(State.idle)

        /// Takes the caller's continuation; false (and resumed) when the caller gave up already.
        func wait(_ continuation: CheckedContinuation<Response, any Error>) -> Bool {
            let early: Result<Response, any Error>? = self.state.withLock { state in
                switch state {
                case .idle:
                    state = .waiting(continuation)
                    return nil
                case .waiting:
                    preconditionFailure("a detached call waited for twice")
                case .done(let result):
                    return result ?? .failure(CancellationError())
                }
            }
            guard let early else { return true }
            continuation.resume(with: early)
            return false
        }

        /// Resumes the caller with `result` unless it was resumed already.
        func resume(_ result: Result<Response, any Error>) {
            let continuation: CheckedContinuation<Response, any Error>? = self.state.withLock { state in
                switch state {
                case .idle:
                    state = .done(result)
                    return nil
                case .waiting(let continuation):
                    state = .done(nil)
                    return continuation
                case .done:
                    return nil
                }
            }
            continuation?.resume(with: result)
        }
    }
}
