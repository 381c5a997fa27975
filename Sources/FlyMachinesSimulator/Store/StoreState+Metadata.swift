import FlyGateJSON

extension StoreState {
    /// `Machines_show_metadata`: the config's metadata as a string map.
    package func showMetadata(app: String, id: String) throws(SimulatorError) -> JSONValue {
        let machine = try liveMachine(app, id)
        return .object(JSONObject(machine.metadata.map { (key: $0.key, value: JSONValue.string($0.value)) }))
    }

    /// `Machines_get_metadata_key`: `{value}`, or 404 when the key is absent.
    package func metadataValue(app: String, id: String, key: String) throws(SimulatorError) -> JSONValue {
        let machine = try liveMachine(app, id)
        guard let value = machine.metadata.first(where: { $0.key == key })?.value else {
            throw .fly(404, "metadata key not found: \(key)")
        }
        return ["value": .string(value)]
    }

    /// `Machines_upsert_metadata` (value) and `Machines_delete_metadata` (nil).
    package mutating func setMetadataValue(app: String, id: String, key: String, value: String?, now: WallClock)
        throws(SimulatorError)
    {
        guard !key.isEmpty else { throw .invalidArgument("metadata key must not be empty") }
        var machine = try liveMachine(app, id)
        var entries = machine.metadata
        if let value {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].value = value
            } else {
                entries.append((key, value))
            }
        } else {
            entries.removeAll { $0.key == key }
        }
        machine.setMetadata(entries)
        machine.updatedAt = now
        machines[id] = machine
    }

    /// `Machines_update_metadata`: PATCH merges, PUT replaces; a null or empty value deletes its key;
    /// 412 when `machine_version` is given and is not the current version.
    package mutating func updateMetadata(app: String, id: String, body: JSONValue, replace: Bool, now: WallClock)
        throws(SimulatorError)
    {
        var machine = try liveMachine(app, id)
        guard let changes = body["metadata"]?.objectValue else {
            throw .invalidArgument("metadata must be an object of strings")
        }
        if let version = body["machine_version"]?.stringValue, !version.isEmpty, version != machine.instanceID {
            throw .fly(412, "failed_precondition: machine version \(version) does not match current version \(machine.instanceID)")
        }
        var entries = replace ? [] : machine.metadata
        for (key, value) in changes.members {
            entries.removeAll { $0.key == key }
            switch value {
            case .null: continue
            case .string(let text): if !text.isEmpty { entries.append((key, text)) }
            default: throw .invalidArgument("metadata value for \(key) must be a string")
            }
        }
        machine.setMetadata(entries)
        machine.updatedAt = now
        machines[id] = machine
    }

    /// A machine that is not destroyed; 404 otherwise.
    package func liveMachine(_ app: String, _ id: String) throws(SimulatorError) -> SimulatedMachine {
        let found = try machine(app, id)
        guard found.state != .destroyed else { throw .machineNotFound(id) }
        return found
    }
}
