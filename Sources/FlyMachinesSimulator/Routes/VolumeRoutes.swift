import FlyGateJSON

/// Volumes: list, create, show, update, extend, delete, snapshots, and the organisation list.
enum VolumeRoutes {
    /// `GET /apps/{app}/volumes?summary=`.
    static func list(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let summary = try request.queryBool("summary")
        return .json(try store.read { state throws(SimulatorError) in try state.listVolumes(app: route.app, summary: summary) })
    }

    /// `POST /apps/{app}/volumes` with `CreateVolumeRequest`.
    static func create(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(try store.update { state, now throws(SimulatorError) in try state.createVolume(app: route.app, body: body, now: now) })
    }

    /// `GET /apps/{app}/volumes/{id}`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.volume(app: route.app, id: route.resource) })
    }

    /// `PUT /apps/{app}/volumes/{id}` with `UpdateVolumeRequest`.
    static func update(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(
            try store.update { state, now throws(SimulatorError) in
                try state.updateVolume(app: route.app, id: route.resource, body: body, now: now)
            })
    }

    /// `PUT /apps/{app}/volumes/{id}/extend` with `{size_gb}`: `ExtendVolumeResponse`.
    static func extend(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        guard let size = body["size_gb"]?.int64Value else { throw .invalidArgument("size_gb must be an integer") }
        return .json(
            try store.update { state, now throws(SimulatorError) in
                try state.extendVolume(app: route.app, id: route.resource, sizeGB: size, now: now)
            })
    }

    /// `DELETE /apps/{app}/volumes/{id}`: the destroyed `Volume`; 412 while a machine mounts it.
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.update { state, now throws(SimulatorError) in try state.deleteVolume(app: route.app, id: route.resource, now: now) })
    }

    /// `GET /apps/{app}/volumes/{id}/snapshots`.
    static func snapshots(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.volumeSnapshots(app: route.app, id: route.resource) })
    }

    /// `POST /apps/{app}/volumes/{id}/snapshots`: 200, no body (the document defines none).
    static func snapshot(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        try store.update { state, now throws(SimulatorError) in try state.snapshotVolume(app: route.app, id: route.resource, now: now) }
        return SimulatorResponse(status: 200, body: nil)
    }

    /// `GET /orgs/{org}/volumes` with the machine org list's filters and paging.
    static func orgList(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        var options = StoreState.VolumeListOptions()
        options.includeDeleted = try request.queryBool("include_deleted")
        options.summary = try request.queryBool("summary")
        options.region = request.query("region").flatMap { $0.isEmpty ? nil : $0 }
        options.states = Set(request.queryList("state"))
        if let text = request.query("updated_after"), !text.isEmpty {
            guard let time = WallClock(rfc3339: text) else {
                throw .invalidArgument("invalid updated_after: \(text) is not an RFC 3339 time")
            }
            options.updatedAfter = time
        }
        options.cursor = request.query("cursor")
        if let text = request.query("limit"), !text.isEmpty {
            guard let limit = Int(text), limit > 0 else { throw .invalidArgument("invalid limit: \(text)") }
            options.limit = min(limit, 1000)
        }
        return .json(try store.read { state in state.orgVolumes(org: route.app, options: options) })
    }
}
