import FlyGateJSON

extension StoreState {
    /// The options of a machine list (`Machines_list`).
    package struct ListOptions: Sendable {
        /// Include destroyed machines.
        package var includeDeleted = false
        /// Only this region.
        package var region: String?
        /// Only these states.
        package var states: Set<String> = []
        /// Drop config, events, checks and host status.
        package var summary = false
        /// `metadata.{key}=value` filters.
        package var metadata: [(key: String, value: String)] = []

        /// Options with everything off.
        package init() {}

        /// Whether `machine` passes the filters.
        package func matches(_ machine: SimulatedMachine) -> Bool {
            if !includeDeleted, machine.state == .destroyed { return false }
            if let region, machine.region != region { return false }
            if !states.isEmpty, !states.contains(machine.state.rawValue) { return false }
            let entries = machine.metadata
            for filter in metadata where !entries.contains(where: { $0.key == filter.key && $0.value == filter.value }) {
                return false
            }
            return true
        }
    }

    /// `Machines_create`: validates the request, records the machine, and launches it unless `skip_launch`.
    package mutating func create(
        app: String, body: JSONValue, now: WallClock
    ) throws(SimulatorError) -> (JSONValue, StoreEffects) {
        try touchApp(app, now: now)
        guard body.objectValue != nil else { throw .invalidArgument("request body must be a JSON object") }
        let config = try Self.validatedConfig(body["config"])
        var region = body["region"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let mount = try Self.mountedVolumeID(config)
        if let mount {
            // Without a region the machine goes where its volume is.
            region = try mountableVolume(app: app, id: mount, machineID: nil, region: region).region
        }
        let name = body["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? Identifiers.machineName()
        let taken = (apps[app]?.machineIDs ?? []).contains {
            machines[$0]?.name == name && machines[$0]?.state != .destroyed
        }
        if taken { throw .fly(422, "unable to create machine: a machine named \"\(name)\" already exists in app \(app)") }
        let leaseTTL = try Self.leaseTTL(body)
        let version = Identifiers.ulid(at: now)
        var machine = SimulatedMachine(
            id: Identifiers.machineID(), name: name, appName: app, region: region ?? "iad",
            privateIP: Identifiers.privateIP(orgSegment: orgSegment), instanceID: version, state: .created,
            config: config, createdAt: now, updatedAt: now, versions: [.init(version: version, config: config)],
            memoryLimitMB: 0)
        machine.memoryLimitMB = machine.configuredMemoryMB
        machine.cordoned = body["skip_service_registration"]?.boolValue ?? false
        var effects = StoreEffects()
        var nonce: String?
        if let leaseTTL {
            let lease = newLease(ttl: leaseTTL, description: "", version: version, now: now)
            machine.lease = lease
            nonce = lease.nonce
        }
        let launch = SimulatedMachine.Step(state: .created, eventType: "launch", source: "user")
        let steps: [SimulatedMachine.Step] =
            body["skip_launch"]?.boolValue == true
            ? [] : [.init(state: .starting, eventType: "start"), .init(state: .started, eventType: "start")]
        Self.begin(&machine, launch, then: steps, now: now, effects: &effects)
        machines[machine.id] = machine
        apps[app]?.machineIDs.append(machine.id)
        if let mount { attachVolume(mount, to: machine.id, app: app, now: now) }
        return (machine.json(nonce: nonce), effects)
    }

    /// `Machines_list`: the app's machines that pass `options`, oldest first.
    package mutating func list(app: String, options: ListOptions, now: WallClock) throws(SimulatorError) -> JSONValue {
        try touchApp(app, now: now)
        let selected = (apps[app]?.machineIDs ?? []).compactMap { machines[$0] }.filter(options.matches)
        return .array(selected.map { $0.json(summary: options.summary) })
    }

    /// `Machines_update`: a new version with the full new config; name and region cannot change.
    /// A mount added or removed by the new config attaches or detaches that volume.
    package mutating func update(
        app: String, id: String, body: JSONValue, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> (JSONValue, StoreEffects) {
        guard body.objectValue != nil else { throw .invalidArgument("request body must be a JSON object") }
        let config = try Self.validatedConfig(body["config"])
        let leaseTTL = try Self.leaseTTL(body)
        let owner = leaseOwner
        let mount = try Self.mountedVolumeID(config)
        if let mount {
            _ = try mountableVolume(app: app, id: mount, machineID: id, region: try liveMachine(app, id).region)
        }
        let answer = try withMachine(app, id, operation: .update, nonce: nonce, now: now) {
            (machine, effects) throws(SimulatorError) -> JSONValue in
            if let region = body["region"]?.stringValue, !region.isEmpty, region != machine.region {
                throw .invalidArgument("region cannot be changed by an update (\(machine.region) -> \(region))")
            }
            if let name = body["name"]?.stringValue, !name.isEmpty, name != machine.name {
                throw .invalidArgument("name cannot be changed by an update")
            }
            if let current = body["current_version"]?.stringValue, !current.isEmpty, current != machine.instanceID {
                throw .failedPrecondition("machine version \(current) is not the current version \(machine.instanceID)")
            }
            let version = Identifiers.ulid(at: now)
            let previous = machine.state
            machine.instanceID = version
            machine.config = config
            machine.versions.append(.init(version: version, config: config))
            machine.memoryLimitMB = machine.configuredMemoryMB
            var returnedNonce: String?
            if let leaseTTL {
                var lease = machine.lease.flatMap { $0.isLive(at: now) ? $0 : nil }
                    ?? LeaseRecord(nonce: Identifiers.nonce(), expiresAt: now, owner: owner, description: "", version: version)
                lease.expiresAt = now.adding(.seconds(leaseTTL))
                lease.version = version
                machine.lease = lease
                returnedNonce = lease.nonce
            }
            let steps: [SimulatedMachine.Step]
            if body["skip_launch"]?.boolValue == true {
                steps = [.init(state: previous == .created ? .created : .stopped, eventType: "update")]
            } else {
                steps = [.init(state: .starting, eventType: "start"), .init(state: .started, eventType: "start")]
            }
            Self.begin(&machine, .init(state: .replacing, eventType: "update"), then: steps, now: now, effects: &effects)
            return machine.json(nonce: returnedNonce)
        }
        remount(machineID: id, app: app, volumeID: mount, now: now)
        return answer
    }

    /// `Machines_delete`: refuses a running machine unless `force`, then destroying -> destroyed.
    package mutating func delete(
        app: String, id: String, force: Bool, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> StoreEffects {
        try withMachine(app, id, operation: .delete, nonce: nonce, now: now) { (machine, effects) throws(SimulatorError) in
            if machine.state.isRunning, !force {
                throw .failedPrecondition(
                    "unable to destroy machine, not currently stopped or suspended (state: \(machine.state.rawValue))")
            }
            Self.begin(
                &machine, .init(state: .destroying, eventType: "destroy", source: "user"),
                then: [.init(state: .destroyed, eventType: "destroy")], now: now, effects: &effects)
        }.1
    }

    /// Records a machine directly in `state`, without transitions: for tests and demos.
    package mutating func seed(
        app: String, config: JSONValue, name: String?, region: String, state: MachineState, now: WallClock
    ) -> SimulatedMachine {
        if apps[app] == nil { register(app, org: "personal", network: "default", now: now) }
        let version = Identifiers.ulid(at: now)
        let normalized = SimulatedMachine.normalizedConfig(config)
        var machine = SimulatedMachine(
            id: Identifiers.machineID(), name: name ?? Identifiers.machineName(), appName: app, region: region,
            privateIP: Identifiers.privateIP(orgSegment: orgSegment), instanceID: version, state: .created,
            config: normalized, createdAt: now, updatedAt: now, versions: [.init(version: version, config: normalized)],
            memoryLimitMB: 0)
        machine.memoryLimitMB = machine.configuredMemoryMB
        var effects = StoreEffects()
        Self.record(&machine, type: "launch", state: .created, now: now, effects: &effects)
        if state != .created { Self.record(&machine, type: "seed", state: state, source: "flyd", now: now, effects: &effects) }
        machines[machine.id] = machine
        apps[app]?.machineIDs.append(machine.id)
        return machine
    }

    /// A new lease record.
    package func newLease(ttl: Int64, description: String, version: String, now: WallClock) -> LeaseRecord {
        LeaseRecord(
            nonce: Identifiers.nonce(), expiresAt: now.adding(.seconds(ttl)), owner: leaseOwner,
            description: description, version: version)
    }

    /// The config of a create or update: an object with a non-empty `image`, `autostop` normalized.
    private static func validatedConfig(_ config: JSONValue?) throws(SimulatorError) -> JSONValue {
        guard let config, config.objectValue != nil else { throw .invalidArgument("config is required") }
        guard let image = config["image"]?.stringValue, !image.isEmpty else {
            throw .invalidArgument("invalid config.image: an image is required")
        }
        return SimulatedMachine.normalizedConfig(config)
    }

    /// `lease_ttl` of a create or update, when present; 400 unless a positive integer.
    private static func leaseTTL(_ body: JSONValue) throws(SimulatorError) -> Int64? {
        guard let value = body["lease_ttl"], !value.isNull else { return nil }
        guard let ttl = value.int64Value, ttl > 0 else { throw .invalidArgument("lease_ttl must be a positive integer") }
        return ttl
    }
}
