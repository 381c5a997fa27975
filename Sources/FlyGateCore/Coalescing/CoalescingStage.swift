import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import Logging
import Metrics

/// Coalesces identical concurrent reads into one upstream call, serves fresh-enough cached
/// answers to callers who allow it, and invalidates cached answers when a mutation passes.
///
/// Sits after policy (callers are authorized before they join) and before the upstream.
/// Metadata: `flygate-max-staleness-ms: N` accepts a cached answer younger than N ms (the reply
/// then says its age, see docs/wire.md); `flygate-no-coalesce: true` bypasses both.
package struct CoalescingStage: MachinesStage {
    /// Metadata key: the oldest cached answer (in ms) the caller accepts.
    package static let maxStalenessKey = "flygate-max-staleness-ms"
    /// Metadata key: `true` bypasses coalescing and the cache.
    package static let noCoalesceKey = "flygate-no-coalesce"

    /// Least time left for a waiter to start over (Fly's shortest wait is a second; less than a
    /// round trip's worth is not worth an upstream call either).
    static let minimumRestart = Duration.milliseconds(20)

    /// The settings in force.
    package let configuration: Configuration
    /// The shared calls and the cache; its `run()` must run while the stage serves.
    package let coalescer: Coalescer
    private let logger: Logger
    /// `flygate_cache_hits_total` and `flygate_coalesced_calls_total`, by rpc.
    private let cacheHits = KeptHandles { (rpc: MachinesRPC) in
        Counter(label: "flygate_cache_hits_total", dimensions: [("method", rpc.rawValue)])
    }
    private let coalescedCalls = KeptHandles { (rpc: MachinesRPC) in
        Counter(label: "flygate_coalesced_calls_total", dimensions: [("method", rpc.rawValue)])
    }

    /// A stage with `configuration` (assumed valid).
    package init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.coalescer = Coalescer(
            maxCacheEntries: configuration.maxCacheEntries, maxCacheBytes: configuration.maxCacheBytes,
            maxFlightDuration: configuration.maxFlightDuration)
        self.logger = logger
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        guard configuration.enabled else { return try await next(request, context) }
        guard !Request.rpc.traits.mutates else {
            // Before: nothing cached before the mutation is served or stored while it runs.
            // After (whatever the outcome, a failed call may still have taken effect): nothing
            // read while it ran stays cached, and reads already in flight are not joined anew.
            let scopes = ReadScope.invalidated(by: request)
            coalescer.invalidate(scopes)
            defer { coalescer.invalidate(scopes) }
            return try await next(request, context)
        }
        if let bypass = context.metadataValue(Self.noCoalesceKey), ["true", "1", "yes"].contains(bypass.lowercased()) {
            return try await next(request, context)
        }
        let maxStaleness = try Self.maxStaleness(context)
        guard let key = try? ReadKey(request) else { return try await next(request, context) }
        let method = Request.rpc.rawValue

        if let maxStaleness, let answer = coalescer.cachedAnswer(for: key, maxAge: maxStaleness),
            let response = answer.response as? Request.Response
        {
            let age = max(.zero, ContinuousClock.now - answer.takenAt)
            context.annotations.update {
                $0.cacheHit = true
                $0.cacheAge = age
            }
            context.values[ReplyDetails.self] = ReplyDetails(cacheAge: age)
            cacheHits[Request.rpc].increment()
            return response
        }

        let deadline = Self.ownDeadline(request, context)
        var rejoins = 0
        while true {
            let wakeup = await coalescer.join(key, request: request, context: context, next: next, deadline: deadline)
            guard case .finished(let outcome, let joined) = wakeup else {
                if let deadline, ContinuousClock.now >= deadline {
                    throw RPCError(code: .deadlineExceeded, message: "deadline exceeded")
                }
                throw CancellationError()
            }
            context.annotations.update {
                $0.upstream = outcome.upstream
                $0.coalesced = joined
            }
            switch outcome.result {
            case .success(let message):
                guard let response = message as? Request.Response else {
                    throw DaemonError(code: .internalError, message: "a shared call answered with the wrong message type")
                }
                if joined { coalescedCalls[Request.rpc].increment() }
                return response
            case .failure(let error):
                guard rejoins < configuration.maxRejoins,
                    Self.startsOver(after: error, joined: joined, flightDeadline: outcome.deadline, deadline: deadline)
                else {
                    if joined { coalescedCalls[Request.rpc].increment() }
                    throw error
                }
                rejoins += 1
                context.annotations.update { $0.coalesced = false }
                logger.debug("transient failure of a shared call; starting over", metadata: ["flygate.rpc.method": "\(method)"])
            }
        }
    }

    /// When this caller stops waiting: its deadline, and for a call with a long-poll window (a
    /// Wait's `timeout`) also the end of its own wait (a Wait it joined late may have started up
    /// to `timeout` earlier).
    static func ownDeadline<Request: MachinesRPCRequest>(_ request: Request, _ context: CallContext) -> ContinuousClock.Instant? {
        guard let longPoll = request.longPollWindow else { return context.deadline }
        let window = ContinuousClock.now + max(.seconds(1), longPoll)
        return context.deadline.map { min($0, window) } ?? window
    }

    /// Whether a waiter starts over instead of taking `error`: a transient failure (UNAVAILABLE,
    /// RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, CANCELLED) of a call it joined, or the shared
    /// call's own deadline (the cap) cutting it short of the waiter's. Other answers are
    /// everyone's answer. Less than `minimumRestart` before its deadline, a waiter does not
    /// start a new upstream call it could not wait for.
    static func startsOver(
        after error: any Error, joined: Bool, flightDeadline: ContinuousClock.Instant, deadline: ContinuousClock.Instant?,
        now: ContinuousClock.Instant = .now
    ) -> Bool {
        if let deadline, deadline - now < minimumRestart { return false }
        switch RPCError(converting: error).code {
        case .unavailable, .resourceExhausted, .cancelled:
            return joined
        case .deadlineExceeded:
            return joined || (now >= flightDeadline && deadline.map { $0 > flightDeadline } ?? true)
        default:
            return false
        }
    }

    /// `flygate-max-staleness-ms` as a duration; INVALID_ARGUMENT when it is not a whole number >= 0.
    static func maxStaleness(_ context: CallContext) throws -> Duration? {
        guard let text = context.metadataValue(maxStalenessKey) else { return nil }
        guard let milliseconds = Int64(text), milliseconds >= 0 else {
            throw DaemonError(code: .invalidArgument, message: "\(maxStalenessKey) must be a whole number of milliseconds")
        }
        return .milliseconds(milliseconds)
    }
}
