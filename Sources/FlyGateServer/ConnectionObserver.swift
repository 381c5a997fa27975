/// Told when connections open and close; the lease book releases a holder's leases on close.
///
/// Called synchronously from the connection's task: keep the work short and do not block.
package protocol ConnectionObserver: Sendable {
    /// A connection was accepted and its peer read; calls may follow.
    func connectionOpened(id: UInt64, peer: PeerCredentials)
    /// A connection closed; its calls have finished or been cancelled.
    func connectionClosed(id: UInt64, peer: PeerCredentials)
}
