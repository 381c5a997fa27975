/// Told when connections open and close; the lease book releases a holder's leases on close.
///
/// Called synchronously from the connection's task: keep the work short and do not block.
package protocol ConnectionObserver: Sendable {
    /// A connection was accepted and its peer read; calls may follow.
    func connectionOpened(id: UInt64, peer: PeerCredentials)
    /// A connection closed; its calls have finished or been cancelled.
    func connectionClosed(id: UInt64, peer: PeerCredentials)
    /// Whether connection `id`, past the idle timeout, must stay open anyway: it holds
    /// something that lives only as long as the connection (the lease book: a lease, whose
    /// holder waits without sending). Asked from the idle sweep; read memory only.
    func keepsIdleConnectionOpen(id: UInt64) -> Bool
}

extension ConnectionObserver {
    /// By default an idle connection holds nothing and may be closed.
    package func keepsIdleConnectionOpen(id: UInt64) -> Bool { false }
}
