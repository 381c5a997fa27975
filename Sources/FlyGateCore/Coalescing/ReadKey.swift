import FlyMachinesProto
import SwiftProtobuf

/// Identifies identical reads: the rpc and the request's canonical bytes (deterministic
/// serialization, so field order on the wire and map insertion order cannot split a key).
package struct ReadKey: Hashable, Sendable {
    /// The rpc.
    package let rpc: MachinesRPC
    /// The request serialized with deterministic ordering.
    package let bytes: [UInt8]
    /// What the read is about (derived from the request, so not compared or hashed).
    package let scope: ReadScope
    /// The hash of `rpc` and `bytes`, made once: a read's key is looked up half a dozen times
    /// (its flight, the cache's index), and hashing the bytes each time cost ~2,500
    /// instructions a lookup.
    private let hash: Int

    /// The key of `request`; throws when the message does not serialize (then it is not coalesced).
    package init<Request: MachinesRPCRequest>(_ request: Request) throws {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        self.rpc = Request.rpc
        self.bytes = try request.serializedBytes(partial: true, options: options)
        self.scope = ReadScope.of(request)
        var hasher = Hasher()
        hasher.combine(self.rpc)
        hasher.combine(self.bytes)
        self.hash = hasher.finalize()
    }

    package static func == (lhs: ReadKey, rhs: ReadKey) -> Bool {
        lhs.hash == rhs.hash && lhs.rpc == rhs.rpc && lhs.bytes == rhs.bytes
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(self.hash)
    }

    /// Bytes this key holds, for the cache's byte bound.
    var byteCount: Int { bytes.count }
}
