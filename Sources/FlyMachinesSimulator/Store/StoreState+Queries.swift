import FlyGateJSON

extension StoreState {
    /// The options of an organisation listing (`Machines_org_list`).
    package struct OrgListOptions: Sendable {
        /// The per-app filters that also apply here.
        package var filters = ListOptions()
        /// Only machines updated after this time.
        package var updatedAfter: WallClock?
        /// Resume after this machine id (the previous page's `next_cursor`).
        package var cursor: String?
        /// Page size.
        package var limit = 1000

        /// Defaults: every live machine, one page of up to 1000.
        package init() {}
    }

    /// `Machines_list_events`: newest first, at most `limit`.
    package func events(app: String, id: String, limit: Int) throws(SimulatorError) -> JSONValue {
        let machine = try machine(app, id)
        return .array(machine.events.reversed().prefix(limit).map(\.json))
    }

    /// `Machines_list_versions`: newest first.
    package func versions(app: String, id: String) throws(SimulatorError) -> JSONValue {
        let machine = try machine(app, id)
        return .array(
            machine.versions.reversed().map { ["version": .string($0.version), "user_config": $0.config] })
    }

    /// `Machines_org_list`: the machines of the organisation's apps, ordered by id, paged by cursor.
    package func orgList(org: String, options: OrgListOptions) -> JSONValue {
        var selected = machines.values.filter { apps[$0.appName]?.orgSlug == org && options.filters.matches($0) }
        if let after = options.updatedAfter { selected = selected.filter { $0.updatedAt > after } }
        if let cursor = options.cursor, !cursor.isEmpty { selected = selected.filter { $0.id > cursor } }
        selected.sort { $0.id < $1.id }
        let page = Array(selected.prefix(max(1, options.limit)))
        var object = JSONObject()
        object.append("machines", .array(page.map { $0.orgJSON(summary: options.filters.summary) }))
        if selected.count > page.count, let last = page.last { object.append("next_cursor", .string(last.id)) }
        if let last = page.last {
            object.append("last_machine_id", .string(last.id))
            object.append("last_updated_at", .string(last.updatedAt.rfc3339))
        }
        object.append("error_regions", .array([]))
        return .object(object)
    }

    /// `Machines_get_memory`: limit and what is free, for a started machine.
    package func memory(app: String, id: String) throws(SimulatorError) -> JSONValue {
        let machine = try runningMachine(app, id)
        return Self.memoryJSON(machine)
    }

    /// `Machines_set_memory_limit`: 1 MB up to the guest's `max_memory_mb` (or `memory_mb`).
    package mutating func setMemoryLimit(app: String, id: String, limitMB: Int64) throws(SimulatorError) -> JSONValue {
        var machine = try runningMachine(app, id)
        let maximum = machine.config["guest"]?["max_memory_mb"]?.int64Value ?? Int64(machine.configuredMemoryMB)
        guard limitMB >= 1, limitMB <= maximum else {
            throw .invalidArgument("limit_mb must be between 1 and \(maximum)")
        }
        machine.memoryLimitMB = Int(limitMB)
        machines[id] = machine
        return Self.memoryJSON(machine)
    }

    /// `Machines_reclaim_memory`: gives back up to `amountMB` of what the guest uses beyond a floor.
    package mutating func reclaimMemory(app: String, id: String, amountMB: Int64) throws(SimulatorError) -> JSONValue {
        var machine = try runningMachine(app, id)
        guard amountMB >= 0 else { throw .invalidArgument("amount_mb must not be negative") }
        let reclaimable = max(0, Self.usedMB(machine) - machine.memoryLimitMB / 10)
        let actual = min(Int(amountMB), reclaimable)
        machine.reclaimedMB += actual
        machines[id] = machine
        return ["actual_mb": .int(actual)]
    }

    /// A started machine; 404 when absent, 412 when not running.
    package func runningMachine(_ app: String, _ id: String) throws(SimulatorError) -> SimulatedMachine {
        let found = try liveMachine(app, id)
        guard found.state == .started else {
            throw .failedPrecondition("machine is not started (state: '\(found.state.rawValue)')")
        }
        return found
    }

    private static func usedMB(_ machine: SimulatedMachine) -> Int {
        max(0, machine.memoryLimitMB * 45 / 100 - machine.reclaimedMB)
    }

    private static func memoryJSON(_ machine: SimulatedMachine) -> JSONValue {
        ["limit_mb": .int(machine.memoryLimitMB), "available_mb": .int(machine.memoryLimitMB - usedMB(machine))]
    }

    /// Starts a wait: answers at once when the condition already holds, else registers a waiter and
    /// returns its id (nil outcome).
    package mutating func beginWait(
        app: String, id: String, states: Set<String>, version: String?, fromEventID: String?,
        continuation: CheckedContinuation<WaitOutcome, Never>
    ) -> (outcome: WaitOutcome?, waiterID: Int?) {
        if isShutDown { return (.shutdown, nil) }
        guard let machine = machines[id], machine.appName == app else { return (.gone, nil) }
        if let version, version != machine.instanceID {
            // An older version was replaced by an update: it will never reach anything again.
            return (machine.versions.contains { $0.version == version } ? .replaced : .unknownVersion, nil)
        }
        if let fromEventID, !fromEventID.isEmpty {
            if let event = machine.events.first(where: { $0.id > fromEventID && Self.satisfies($0.status, states) }) {
                return (.reached(state: event.status, version: machine.instanceID, eventID: event.id), nil)
            }
        } else if Self.satisfies(machine.state.rawValue, states) {
            let event = machine.events.last { $0.status == machine.state.rawValue } ?? machine.events.last
            return (.reached(state: machine.state.rawValue, version: machine.instanceID, eventID: event?.id ?? ""), nil)
        }
        if machine.state == .destroyed { return (.gone, nil) }
        let waiterID = nextWaiterID
        nextWaiterID += 1
        waiters[waiterID] = Waiter(machineID: id, states: states, version: version, continuation: continuation)
        return (nil, waiterID)
    }

    /// Removes a waiter (timeout or cancellation); returns its continuation if it was still pending.
    package mutating func endWait(_ waiterID: Int) -> CheckedContinuation<WaitOutcome, Never>? {
        waiters.removeValue(forKey: waiterID)?.continuation
    }
}
