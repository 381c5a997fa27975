import FlyMachinesProto
import SwiftProtobuf

/// Identifies identical reads: the rpc and the request's canonical bytes (deterministic
/// serialization, so field order on the wire and map insertion order cannot split a key).
package struct ReadKey: Hashable, Sendable {
    /// The rpc.
    package let rpc: MachinesRPC
    /// The request serialized with deterministic ordering.
    package let bytes: [UInt8]
    /// What the read is about (derived from the request; part of the key only for convenience).
    package let scope: ReadScope

    /// The key of `request`; throws when the message does not serialize (then it is not coalesced).
    package init<Request: MachinesRPCRequest>(_ request: Request) throws {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        self.rpc = Request.rpc
        self.bytes = try request.serializedBytes(partial: true, options: options)
        self.scope = ReadScope.of(request)
    }

    /// Bytes this key holds, for the cache's byte bound.
    var byteCount: Int { bytes.count }
}
