/// Everything a handler knows about the call it is serving, besides the request message.
package struct CallContext: Sendable {
    /// The fully qualified service name, e.g. `flygate.machines.v1.Machines`.
    package var service: String
    /// The bare rpc name, e.g. `Show`.
    package var method: String
    /// The connection's peer, read once when it was accepted.
    package var peer: PeerCredentials
    /// The connection's id, unique for the life of the server.
    package var connectionID: UInt64
    /// The call's ttrpc stream id.
    package var streamID: UInt32
    /// When the caller stops waiting (from `timeout_nano`); `nil` when it set none.
    package var deadline: ContinuousClock.Instant?
    /// The call's metadata in wire order, keys lower-cased; a key may repeat.
    package var metadata: [(key: String, value: String)]
    /// Values the interceptors and the handler of this call share (see ``CallValues``).
    package let values: CallValues
    /// The executor of the call's connection (its event loop's, ``EventLoopTaskExecutor``):
    /// work the daemon starts in a task of its own for this call runs there too. `nil` when
    /// the call came by no connection (the daemon's own calls).
    package var executor: (any TaskExecutor)?
    /// Whether the server cancels the call's task once ``deadline`` passes (it races each call
    /// it runs against its deadline): a stage waiting on something for this call then needs no
    /// timer of its own at that deadline. False for calls the daemon makes itself.
    package var cancelledAtDeadline = false

    /// Creates a context from its parts.
    package init(
        service: String,
        method: String,
        peer: PeerCredentials,
        connectionID: UInt64,
        streamID: UInt32,
        deadline: ContinuousClock.Instant?,
        metadata: [(key: String, value: String)],
        values: CallValues = CallValues()
    ) {
        self.service = service
        self.method = method
        self.peer = peer
        self.connectionID = connectionID
        self.streamID = streamID
        self.deadline = deadline
        self.metadata = metadata
        self.values = values
    }

    /// The first value of metadata `key` (matched lower-cased), or `nil`.
    package func metadataValue(_ key: String) -> String? {
        let key = Self.lowercased(key)
        return self.metadata.first { $0.key == key }?.value
    }

    /// Every value of metadata `key` (matched lower-cased), in wire order.
    package func metadataValues(_ key: String) -> [String] {
        let key = Self.lowercased(key)
        return self.metadata.filter { $0.key == key }.map(\.value)
    }

    /// `key` lower-cased; the daemon's own keys already are, and `lowercased()` cost ~700
    /// instructions a lookup, several lookups a call.
    private static func lowercased(_ key: String) -> String {
        key.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 } ? key.lowercased() : key
    }
}
