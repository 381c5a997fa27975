import FlyMachinesProto
import Synchronization

/// What a mailbox holds for its watcher between two reads: changes folded together, so a slow
/// watcher gets the latest state and never an unbounded queue.
package protocol WatchPending: Sendable {
    associatedtype Change: Sendable
    associatedtype Message: Sendable
    init()
    /// Folds `change` into what is pending.
    mutating func add(_ change: Change)
    /// The next message to hand the watcher, removing it; nil when nothing is pending.
    mutating func take() -> Message?
}

/// One watcher's mailbox: the loop adds changes without ever waiting, the watcher takes them
/// one message at a time. Closing it (the loop ended, or the watcher left) ends the watcher's
/// reads once what is pending has been taken.
package final class WatchMailbox<Pending: WatchPending>: Sendable {
    private struct State: Sendable {
        var pending = Pending()
        var waiter: CheckedContinuation<Pending.Message?, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    package init() {}

    /// Adds a change (from the watch loop); wakes the watcher if it is waiting.
    package func add(_ change: Pending.Change) {
        let woken: (CheckedContinuation<Pending.Message?, Never>, Pending.Message)? = state.withLock { state in
            guard !state.closed else { return nil }
            state.pending.add(change)
            guard let waiter = state.waiter, let message = state.pending.take() else { return nil }
            state.waiter = nil
            return (waiter, message)
        }
        if let (waiter, message) = woken { waiter.resume(returning: message) }
    }

    /// No more changes will come; the watcher reads what is pending, then nil.
    package func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Pending.Message?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next message, waiting for one; nil once the mailbox is closed and empty, or when the
    /// calling task is cancelled.
    package func next() async -> Pending.Message? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Pending.Message?, Never>) in
                let ready: Pending.Message?? = state.withLock { state in
                    if let message = state.pending.take() { return .some(message) }
                    if state.closed || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }
}

/// A machine watcher's pending update: the latest machine, every event since the last message
/// (up to a bound), and how many changes were folded.
package struct PendingMachineUpdate: WatchPending {
    /// Most events kept for one watcher; older ones are counted in `events_dropped`.
    package static let maxEvents = 256

    package struct Change: Sendable {
        package var machine: Flygate_Machines_V1_Machine
        package var events: [Flygate_Machines_V1_MachineEvent]
        package var gone: Bool

        package init(machine: Flygate_Machines_V1_Machine, events: [Flygate_Machines_V1_MachineEvent], gone: Bool) {
            self.machine = machine
            self.events = events
            self.gone = gone
        }
    }

    private var update: Flygate_Watch_V1_MachineUpdate?
    private var changes = 0

    package init() {}

    package mutating func add(_ change: Change) {
        var update = self.update ?? Flygate_Watch_V1_MachineUpdate()
        update.machine = change.machine
        update.events += change.events
        let excess = update.events.count - Self.maxEvents
        if excess > 0 {
            update.events.removeFirst(excess)
            update.eventsDropped += Int64(excess)
        }
        if change.gone { update.gone = true }
        changes += 1
        self.update = update
    }

    package mutating func take() -> Flygate_Watch_V1_MachineUpdate? {
        guard var update else { return nil }
        if changes > 1 { update.coalesced = Int64(changes - 1) }
        self.update = nil
        changes = 0
        return update
    }
}

/// An app watcher's pending updates: one per machine, in the order the machines first
/// changed; a machine's later changes fold into its pending one.
package struct PendingAppUpdates: WatchPending {
    package enum Kind: String, Sendable {
        case added, changed, removed
    }

    package struct Change: Sendable {
        package var kind: Kind
        package var machine: Flygate_Machines_V1_Machine

        package init(kind: Kind, machine: Flygate_Machines_V1_Machine) {
            self.kind = kind
            self.machine = machine
        }
    }

    private var order: [String] = []
    private var byID: [String: (kind: Kind, machine: Flygate_Machines_V1_Machine, folded: Int)] = [:]

    package init() {}

    package mutating func add(_ change: Change) {
        let id = change.machine.id
        guard let pending = byID[id] else {
            order.append(id)
            byID[id] = (change.kind, change.machine, 0)
            return
        }
        let kind: Kind? =
            switch (pending.kind, change.kind) {
            case (.added, .removed): nil  // the watcher never saw it: nothing to say
            case (.added, _): .added
            case (.removed, .added), (.removed, .changed): .changed
            default: change.kind
            }
        guard let kind else {
            byID[id] = nil
            order.removeAll { $0 == id }
            return
        }
        byID[id] = (kind, change.machine, pending.folded + 1)
    }

    package mutating func take() -> Flygate_Watch_V1_AppUpdate? {
        guard !order.isEmpty else { return nil }
        let id = order.removeFirst()
        guard let pending = byID.removeValue(forKey: id) else { return nil }
        var update = Flygate_Watch_V1_AppUpdate()
        update.change = pending.kind.rawValue
        update.machine = pending.machine
        if pending.folded > 0 { update.coalesced = Int64(pending.folded) }
        return update
    }
}
