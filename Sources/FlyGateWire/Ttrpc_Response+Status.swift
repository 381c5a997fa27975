import Foundation

extension Ttrpc_Response {
    /// A failed call's answer: the error's status and no payload.
    package init(error: RPCError) {
        self.init()
        self.status = error.status
    }

    /// A successful call's answer: no status (which means OK) and the response message's bytes.
    package init(payload: Data) {
        self.init()
        self.payload = payload
    }

    /// The error this answer carries; `nil` for a missing status or code 0, both meaning OK.
    package var rpcError: RPCError? {
        guard self.hasStatus, self.status.code != RPCStatusCode.ok.rawValue else { return nil }
        return RPCError(status: self.status)
    }
}
