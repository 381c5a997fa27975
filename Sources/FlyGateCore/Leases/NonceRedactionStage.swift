import FlyGateServer
import FlyMachinesProto

/// The first Machines stage: lets a lease nonce in an answer reach only the caller entitled to
/// it. A nonce of a lease in the book is shown whole to the connection holding it and by its
/// prefix (``LeaseRecord/redacted(_:)``) to everyone else; a nonce the book does not know (a
/// lease taken outside flygate, or one already released) is shown by its prefix to every
/// local caller, since flygate cannot tell whose it is. A caller always sees the nonce it
/// brought itself, and the daemon's own calls see what they asked for.
///
/// It runs before ``CoalescingStage`` because an answer from the read cache, or joined from
/// another caller's call, never reaches the stages after it: redacting there would hand one
/// caller's nonce to everyone who shares the answer.
package struct NonceRedactionStage: MachinesStage {
    let book: LeaseBook

    /// A stage showing whole only the nonces `book` says the caller holds.
    package init(book: LeaseBook) {
        self.book = book
    }

    /// Only answers that can carry a nonce are redacted.
    package func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool {
        Request.Response.self is any LeaseNonceCarrying.Type
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        let response = try await next(request, context)
        guard context.daemonInitiated == nil, let carrying = response as? any LeaseNonceCarrying else { return response }
        let brought = LeaseStage.broughtNonce(request, context)
        let book = self.book
        let connection = context.connectionID
        let redacted = Self.redact(
            carrying, app: request.pathParameter("app_name") ?? "", machine: request.pathParameter("machine_id")
        ) { key, nonce in
            nonce == brought || book.holds(key, nonce: nonce, connectionID: connection) ? nonce : LeaseRecord.redacted(nonce)
        }
        guard let answer = redacted as? Request.Response else {
            throw DaemonError(code: .internalError, message: "redacting an answer changed its type")
        }
        return answer
    }

    private static func redact<Answer: LeaseNonceCarrying>(
        _ answer: Answer, app: String, machine: String?, _ transform: (LeaseKey, String) -> String
    ) -> Answer {
        var answer = answer
        answer.mapLeaseNonces(app: app, request: machine, transform)
        return answer
    }
}
