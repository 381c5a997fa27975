/// What a method does, for the access policy: look, operate a Machine, or change it.
package enum MethodClass: String, Sendable, CaseIterable, Hashable {
    /// List, Show, Get*, Wait, events, processes, versions, memory, org listing; the gateway's Stats and ListLeases.
    case read
    /// Start, Stop, Restart, Suspend, Signal, Cordon, Uncordon and leases.
    case operate
    /// Create, Update, Delete, Exec, metadata and memory writes.
    case admin
}
