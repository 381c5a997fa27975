import FlyGateJSON
import FlyMachinesProto
import Logging

extension FlyMachinesClient {
    /// The response message for a 2xx answer. Exec may answer raw bytes: they are its stdout.
    func decode<Response: MachinesRPCResponse>(_ answer: UpstreamAnswer, rpc: MachinesRPC, attempts: Int)
        throws(FlyAPIError) -> Response
    {
        var json: JSONValue?
        if !answer.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if let parsed = try? JSONValue(parsing: answer.body), !rpc.mayAnswerRawBytes || parsed.objectValue != nil {
                json = parsed
            } else if rpc.mayAnswerRawBytes {
                json = ["stdout": .string(String(decoding: answer.body, as: UTF8.self))]
            } else {
                throw FlyAPIError(
                    code: .internal, message: "Fly answered \(answer.status) with a body that is not JSON",
                    httpStatus: answer.status, flyRequestID: answer.flyRequestID, attempts: attempts)
            }
        }
        do {
            return try Response(restBody: json)
        } catch {
            throw FlyAPIError(
                code: .internal, message: "cannot read Fly's answer: \(FlyErrorText.sanitized(error.description))",
                httpStatus: answer.status, flyRequestID: answer.flyRequestID, attempts: attempts, cause: error)
        }
    }

    /// The error for a non-2xx answer: code by status, Fly's text, `Retry-After` on 429/503.
    func httpError(_ answer: UpstreamAnswer, attempts: Int) -> FlyAPIError {
        var message = FlyErrorText.message(status: answer.status, body: answer.body)
        // Fly never should, but an answer quoting our credentials must not carry them further.
        if credentials.appears(in: message) { message = "HTTP \(answer.status) (Fly's text withheld: it quoted the credentials)" }
        let retryAfter = answer.retryAfter.flatMap { RetryAfter.parse($0) }
        return FlyAPIError(
            code: FlyAPIError.Code(httpStatus: answer.status), message: message, httpStatus: answer.status,
            flyRequestID: answer.flyRequestID, attempts: attempts, retryAfter: retryAfter)
    }

    /// The error of a cancelled call.
    func cancelled(_ attempts: Int) -> FlyAPIError {
        FlyAPIError(code: .cancelled, message: "the call was cancelled", attempts: attempts)
    }

    /// Tells the observer and the debug log about one attempt.
    func report(
        _ rpc: MachinesRPC, _ number: Int, _ outcome: UpstreamAttempt.Outcome, _ duration: Duration,
        requestID: String?, logger: Logger
    ) {
        observer?.attemptFinished(UpstreamAttempt(rpc: rpc, number: number, outcome: outcome, duration: duration))
        // The metadata is built before the call, so only when the line will be written.
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = ["upstream.attempt": "\(number)", "upstream.duration": "\(duration)"]
        switch outcome {
        case .status(let status): metadata["upstream.http.status"] = "\(status)"
        case .transportFailure(let text): metadata["upstream.error"] = "\(text)"
        case .cancelled: metadata["upstream.error"] = "cancelled"
        }
        if let requestID { metadata["upstream.fly_request_id"] = "\(requestID)" }
        logger.debug("Upstream attempt finished", metadata: metadata)
    }
}
