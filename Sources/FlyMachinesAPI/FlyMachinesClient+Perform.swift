import FlyGateJSON
import FlyMachinesProto
import Logging

extension FlyMachinesClient {
    /// Makes one call by `deadline` (nil: no caller deadline) and returns the response with what
    /// the exchange told us. Refuses bad identifiers before any traffic, queues behind the
    /// rate limiter, retries as `UpstreamRetryPolicy` allows within the deadline, and serves a
    /// `Wait` longer than Fly's 60 s by waiting again on 408 (see `WaitPlan`). `caller` names
    /// who the call is for (the daemon passes the peer's uid), for the limiter's fairness.
    package func perform<Request: MachinesRPCRequest>(
        _ request: Request, deadline: ContinuousClock.Instant?, caller: String = ""
    ) async throws(FlyAPIError) -> (response: Request.Response, info: UpstreamCallInfo) {
        let rpc = Request.rpc
        var call = try RESTCall(request)
        var logger = logger
        // Every line this logs is a debug line: spare the metadata copy when they are off.
        if logger.logLevel <= .debug { logger[metadataKey: "upstream.rpc"] = "\(rpc.rawValue)" }
        let waitPlan = rpc == .wait
            ? WaitPlan(requestedSeconds: call.queryValue("timeout").flatMap { Int64($0) }, callerDeadline: deadline, now: .now)
            : nil
        let overall = waitPlan?.deadline ?? deadline
        var attempts = 0
        var budgetAttempts = 0
        var rateLimitDelay = Duration.zero
        var lastError: FlyAPIError?
        while true {
            if Task.isCancelled { throw cancelled(attempts) }
            let now = ContinuousClock.now
            switch limiter.decide(rpc, scope: call.scope, caller: caller, now: now, deadline: overall) {
            case .go: break
            case .waitUntil(let instant, let reservation):
                logger.debug("Queued by the client-side rate limiter", metadata: ["upstream.limiter.wait": "\(instant - now)"])
                rateLimitDelay += instant - now
                do {
                    try await Task.sleep(until: instant, clock: .continuous)
                } catch {
                    // Given up before the slot came: it goes back, for the callers still waiting.
                    limiter.cancel(reservation)
                    throw cancelled(attempts)
                }
                limiter.settle(reservation)
            case .refuse(let retryAfter):
                if let lastError { throw lastError }
                logger.debug("Refused by the client-side rate limiter")
                throw FlyAPIError(
                    code: .resourceExhausted,
                    message: "\(rpc.rawValue) is held to Fly's rate limit for this machine or app and the deadline "
                        + "comes before the next slot; retry after \(retryAfter)",
                    attempts: attempts, retryAfter: retryAfter)
            }
            var attemptDeadline = ContinuousClock.now + configuration.requestTimeout
            if let waitPlan {
                guard let seconds = waitPlan.upstreamSeconds(now: .now, isFirst: attempts == 0) else {
                    throw lastError ?? FlyAPIError(code: .deadlineExceeded, message: "the wait's deadline passed", attempts: attempts)
                }
                call.setQuery("timeout", String(seconds))
                attemptDeadline = attemptDeadline + .seconds(seconds)
            }
            if let deadline { attemptDeadline = min(attemptDeadline, deadline) }
            attempts += 1
            budgetAttempts += 1
            let started = ContinuousClock.now
            let result: Result<UpstreamAnswer, AttemptFailure>
            do { result = .success(try await send(call, deadline: attemptDeadline)) } catch { result = .failure(error) }
            let duration = ContinuousClock.now - started
            let outcome: UpstreamRetryPolicy.Outcome
            let error: FlyAPIError
            switch result {
            case .success(let answer):
                report(rpc, attempts, .status(answer.status), duration, requestID: answer.flyRequestID, logger: logger)
                if (200..<300).contains(answer.status) {
                    let response: Request.Response = try decode(answer, rpc: rpc, attempts: attempts)
                    let info = UpstreamCallInfo(
                        httpStatus: answer.status, flyRequestID: answer.flyRequestID, attempts: attempts,
                        rateLimitDelay: rateLimitDelay)
                    return (response, info)
                }
                error = httpError(answer, attempts: attempts)
                outcome = .status(answer.status, retryAfter: error.retryAfter)
                if let waitPlan, answer.status == 408, waitPlan.upstreamSeconds(now: .now, isFirst: false) != nil {
                    // Fly's wait ran out but the caller's has not: wait again. Not a retry.
                    budgetAttempts -= 1
                    lastError = error
                    continue
                }
            case .failure(.cancelled):
                report(rpc, attempts, .cancelled, duration, requestID: nil, logger: logger)
                throw cancelled(attempts)
            case .failure(.tooLarge):
                report(rpc, attempts, .transportFailure("answer too large"), duration, requestID: nil, logger: logger)
                throw FlyAPIError(
                    code: .resourceExhausted, message: "Fly's answer is larger than \(configuration.maxResponseBytes) bytes",
                    attempts: attempts)
            case .failure(.notSent(let cause)), .failure(.ambiguous(let cause)):
                report(rpc, attempts, .transportFailure("\(cause)"), duration, requestID: nil, logger: logger)
                if let overall, ContinuousClock.now >= overall {
                    throw FlyAPIError(
                        code: .deadlineExceeded, message: "the deadline passed before Fly answered", attempts: attempts,
                        cause: cause)
                }
                let notSent = if case .failure(.notSent) = result { true } else { false }
                outcome = notSent ? .notSent : .ambiguous
                error = FlyAPIError(
                    code: .unavailable,
                    message: notSent ? "cannot connect to the Fly API" : "the connection to the Fly API failed before the answer",
                    attempts: attempts, cause: cause)
            }
            guard let delay = configuration.retry.delay(for: rpc, after: outcome, attempt: budgetAttempts) else { throw error }
            if let overall, ContinuousClock.now + delay >= overall { throw error }
            logger.debug("Retrying upstream call", metadata: ["upstream.attempt": "\(attempts)", "upstream.retry.delay": "\(delay)"])
            do { try await Task.sleep(for: delay) } catch { throw cancelled(attempts) }
            lastError = error
        }
    }
}
