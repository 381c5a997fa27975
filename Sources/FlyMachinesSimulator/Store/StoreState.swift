import FlyGateJSON

/// What a wait request ended with.
package enum WaitOutcome: Sendable, Equatable {
    /// The machine reached `state`; `eventID` is the event that recorded it.
    case reached(state: String, version: String, eventID: String)
    /// The timeout ran out first.
    case timedOut
    /// The machine is gone (destroyed while waiting for something else, or unknown).
    case gone
    /// The version waited on was replaced by an update.
    case replaced
    /// The version waited on never existed.
    case unknownVersion
    /// The simulator is shutting down.
    case shutdown
}

/// Work the store's owner must do after a state change: start timers, wake waiters.
package struct StoreEffects: Sendable {
    /// Advance `machineID` one step after the transition delay, if its generation still matches.
    package var timers: [(machineID: String, generation: Int)] = []
    /// Waiters to resume, outside the lock.
    package var resumptions: [(CheckedContinuation<WaitOutcome, Never>, WaitOutcome)] = []
    /// Events logged by the change, not yet shown to the waiters.
    package var events: [(machineID: String, event: MachineEventRecord)] = []
}

/// The simulator's whole state, apps to machines and volumes, as a plain value: every change is a mutating
/// method that validates, applies and reports the effects to carry out.
package struct StoreState: Sendable {
    /// A pending `wait` call.
    package struct Waiter: Sendable {
        /// The machine waited on.
        package var machineID: String
        /// States that end the wait; `settled` means any non-transient state.
        package var states: Set<String>
        /// The version the wait is about, if given.
        package var version: String?
        /// Resumed exactly once.
        package var continuation: CheckedContinuation<WaitOutcome, Never>
    }

    /// Apps by name.
    package var apps: [String: SimulatedApp] = [:]
    /// App names in the order they were created or first used.
    package var appOrder: [String] = []
    /// Names of deleted apps: machine operations do not bring them back; `Apps_create` may.
    package var deletedApps: Set<String> = []
    /// Organisation slug to its `internal_numeric_id`.
    package var organizations: [String: Int] = [:]
    /// The next `internal_numeric_id` for an app or an organisation.
    package var nextNumericID = Int.random(in: 100_000...900_000)
    /// Addresses handed out so far, so no two assignments share one (shared IPv4 aside).
    package var nextAddress = Int.random(in: 0..<4096)
    /// Every machine by id, destroyed ones included.
    package var machines: [String: SimulatedMachine] = [:]
    /// Pending waits by id.
    package var waiters: [Int: Waiter] = [:]
    /// The next waiter id.
    package var nextWaiterID = 0
    /// The organisation's 6PN segment, shared by every machine.
    package var orgSegment = Identifiers.trimmedHex(4)
    /// The owner recorded on leases.
    package var leaseOwner: String
    /// Set at shutdown: new waits end at once.
    package var isShutDown = false

    /// An empty store.
    package init(leaseOwner: String) {
        self.leaseOwner = leaseOwner
    }

    /// Registers an app on first use by a machine operation, in the `personal` organisation; every
    /// name is accepted, except that a deleted app answers 404 until it is created again.
    package mutating func touchApp(_ app: String, now: WallClock) throws(SimulatorError) {
        if apps[app] != nil { return }
        if deletedApps.contains(app) { throw .appNotFound(app) }
        register(app, org: "personal", network: "default", now: now)
    }

    /// Records a new app.
    package mutating func register(_ app: String, org: String, network: String, now: WallClock) {
        if organizations[org] == nil {
            organizations[org] = nextNumericID
            nextNumericID += 1
        }
        apps[app] = SimulatedApp(name: app, numericID: nextNumericID, orgSlug: org, network: network, createdAt: now)
        nextNumericID += 1
        appOrder.append(app)
        deletedApps.remove(app)
    }

    /// The app `name`; 404 when there is none.
    package func app(_ name: String) throws(SimulatorError) -> SimulatedApp {
        guard let app = apps[name] else { throw .appNotFound(name) }
        return app
    }

    /// Runs `body` on the app `name`, storing what it changes; 404 when there is none.
    package mutating func withApp<Result>(
        _ name: String, _ body: (inout SimulatedApp) throws(SimulatorError) -> Result
    ) throws(SimulatorError) -> Result {
        guard var app = apps[name] else { throw .appNotFound(name) }
        let result = try body(&app)
        apps[name] = app
        return result
    }

    /// The machine `id` of `app`, destroyed ones included; 404 otherwise.
    package func machine(_ app: String, _ id: String) throws(SimulatorError) -> SimulatedMachine {
        guard let machine = machines[id], machine.appName == app else { throw .machineNotFound(id) }
        return machine
    }

    /// Runs `body` on a live machine after the lease check for `operation`; 404 for a destroyed one.
    package mutating func withMachine<Result>(
        _ app: String, _ id: String, operation: SimulatorOperation, nonce: String?, now: WallClock,
        _ body: (inout SimulatedMachine, inout StoreEffects) throws(SimulatorError) -> Result
    ) throws(SimulatorError) -> (Result, StoreEffects) {
        guard var machine = machines[id], machine.appName == app, machine.state != .destroyed else {
            throw .machineNotFound(id)
        }
        if operation.needsLeaseNonce, let lease = machine.lease, lease.isLive(at: now), nonce != lease.nonce {
            throw .fly(
                409,
                "aborted: machine ID \(id) lease currently held by \(lease.owner), expires at \(lease.expiresAt.rfc3339)")
        }
        var effects = StoreEffects()
        let result = try body(&machine, &effects)
        machines[id] = machine
        settle(&effects)
        return (result, effects)
    }

    /// Logs an event and moves the machine to `state`; `settle` later shows it to the waiters.
    package static func record(
        _ machine: inout SimulatedMachine, type: String, state: MachineState, source: String = "user",
        request: JSONValue? = nil, now: WallClock, effects: inout StoreEffects
    ) {
        machine.state = state
        machine.updatedAt = now
        let event = MachineEventRecord(
            id: Identifiers.ulid(at: now), type: type, status: state.rawValue, source: source, timestamp: now,
            request: request)
        machine.events.append(event)
        if machine.events.count > 200 { machine.events.removeFirst(machine.events.count - 200) }
        effects.events.append((machine.id, event))
    }

    /// Wakes the waiters that the change's events satisfy.
    package mutating func settle(_ effects: inout StoreEffects) {
        let events = effects.events
        effects.events.removeAll()
        for (machineID, event) in events {
            guard let machine = machines[machineID] else { continue }
            wakeWaiters(for: machine, event: event, effects: &effects)
        }
    }

    /// Starts a transition: the machine enters `first` now and each of `then` one delay later.
    package static func begin(
        _ machine: inout SimulatedMachine, _ first: SimulatedMachine.Step, then steps: [SimulatedMachine.Step],
        now: WallClock, effects: inout StoreEffects
    ) {
        record(
            &machine, type: first.eventType, state: first.state, source: first.source, request: first.request,
            now: now, effects: &effects)
        machine.generation += 1
        machine.pendingSteps = steps
        if !steps.isEmpty { effects.timers.append((machine.id, machine.generation)) }
    }

    /// A timer fired: enter the next step of the machine's transition if it is still current.
    package mutating func advance(machineID: String, generation: Int, now: WallClock) -> StoreEffects {
        var effects = StoreEffects()
        guard var machine = machines[machineID], machine.generation == generation, !machine.pendingSteps.isEmpty
        else { return effects }
        let step = machine.pendingSteps.removeFirst()
        if step.state == .started { machine.reclaimedMB = 0 }
        Self.record(
            &machine, type: step.eventType, state: step.state, source: step.source, request: step.request, now: now,
            effects: &effects)
        if step.state == .destroyed {
            machine.lease = nil
            detachVolumes(of: machine.id, app: machine.appName, now: now)
        }
        machine.generation += 1
        if !machine.pendingSteps.isEmpty { effects.timers.append((machine.id, machine.generation)) }
        machines[machineID] = machine
        settle(&effects)
        return effects
    }

    /// Whether `state` ends a wait for `states` (`settled` is any non-transient state).
    package static func satisfies(_ state: String, _ states: Set<String>) -> Bool {
        if states.contains(state) { return true }
        if states.contains("settled"), let known = MachineState(rawValue: state) { return !known.isTransient }
        return false
    }

    private mutating func wakeWaiters(for machine: SimulatedMachine, event: MachineEventRecord, effects: inout StoreEffects) {
        for (id, waiter) in waiters where waiter.machineID == machine.id {
            if waiter.version == nil || waiter.version == machine.instanceID,
                Self.satisfies(event.status, waiter.states)
            {
                effects.resumptions.append(
                    (waiter.continuation, .reached(state: event.status, version: machine.instanceID, eventID: event.id)))
                waiters[id] = nil
            } else if event.status == MachineState.destroyed.rawValue {
                effects.resumptions.append((waiter.continuation, .gone))
                waiters[id] = nil
            }
        }
    }
}
