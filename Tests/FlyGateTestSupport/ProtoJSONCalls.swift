import FlyGateJSON
import FlyMachinesProto

/// Why ``MachinesCalling/call(_:protoJSON:timeout:)`` made no call.
package struct NoRequestType: Error, CustomStringConvertible {
    package let rpc: MachinesRPC
    package var description: String { "\(rpc) has no request type" }
}

extension MachinesCalling {
    /// Calls `rpc` with the request its proto JSON `text` stands for, and answers the response's
    /// REST body: how the tours of every rpc, through the upstream client and through the
    /// daemon, make each step's call from one table.
    package func call(_ rpc: MachinesRPC, protoJSON text: String, timeout: Duration = .seconds(10)) async throws -> JSONValue? {
        var finder = RequestTypeFinder(rpc: rpc, client: self, timeout: timeout)
        MachinesRPC.visitAll(&finder)
        guard let call = finder.call else { throw NoRequestType(rpc: rpc) }
        return try await call(text)
    }
}

/// Finds `rpc`'s request type and makes a call of it from proto JSON.
private struct RequestTypeFinder<Client: MachinesCalling>: MachinesRPCVisitor {
    let rpc: MachinesRPC
    let client: Client
    let timeout: Duration
    var call: (@Sendable (String) async throws -> JSONValue?)?

    mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
        guard Request.rpc == rpc else { return }
        let (client, timeout) = (self.client, self.timeout)
        call = { text in
            let request = try Request(jsonString: text)
            return try await client.call(request, options: MachinesCallOptions(timeout: timeout)).restBody
        }
    }
}
