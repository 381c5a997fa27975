import FlyGateJSON

/// Metadata: the map, one key, per-key upsert and delete (204), and bulk PUT/PATCH (204, 412).
enum MetadataRoutes {
    /// `GET …/metadata`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.showMetadata(app: route.app, id: route.machineID) })
    }

    /// `GET …/metadata/{key}`.
    static func get(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.metadataValue(app: route.app, id: route.machineID, key: route.key) })
    }

    /// `POST …/metadata/{key}` with `{"value": "…"}`.
    static func upsert(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        guard let value = body["value"]?.stringValue else { throw .invalidArgument("value must be a string") }
        try store.update { state, now throws(SimulatorError) in
            try state.setMetadataValue(app: route.app, id: route.machineID, key: route.key, value: value, now: now)
        }
        return .noContent
    }

    /// `DELETE …/metadata/{key}`.
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        try store.update { state, now throws(SimulatorError) in
            try state.setMetadataValue(app: route.app, id: route.machineID, key: route.key, value: nil, now: now)
        }
        return .noContent
    }

    /// `PUT` (replace) or `PATCH` (merge) `…/metadata` with `{metadata, machine_version}`.
    static func bulk(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        let replace = request.method == "PUT"
        try store.update { state, now throws(SimulatorError) in
            try state.updateMetadata(app: route.app, id: route.machineID, body: body, replace: replace, now: now)
        }
        return .noContent
    }
}
