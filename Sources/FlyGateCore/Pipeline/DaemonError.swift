import FlyGateWire

/// An error of the daemon's own stages, already in the terms of the wire.
package struct DaemonError: Error, RPCErrorConvertible, CustomStringConvertible {
    package var code: RPCStatusCode
    package var message: String

    package init(code: RPCStatusCode, message: String) {
        self.code = code
        self.message = message
    }

    package var rpcError: RPCError { RPCError(code: code, message: message) }
    package var description: String { "\(code.name): \(message)" }
}
