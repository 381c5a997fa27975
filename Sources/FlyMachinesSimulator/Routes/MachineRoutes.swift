import FlyGateJSON

/// Machine records: list, create, show, update, delete, events, versions, and the organisation list.
enum MachineRoutes {
    /// `GET /apps/{app}/machines`.
    static func list(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let options = try listOptions(request)
        return .json(
            try store.update { state, now throws(SimulatorError) in try state.list(app: route.app, options: options, now: now) })
    }

    /// `POST /apps/{app}/machines`.
    static func create(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(try store.change { state, now throws(SimulatorError) in try state.create(app: route.app, body: body, now: now) })
    }

    /// `GET /apps/{app}/machines/{id}`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.machine(route.app, route.machineID).json() })
    }

    /// `POST /apps/{app}/machines/{id}`.
    static func update(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        let nonce = request.leaseNonce
        return .json(
            try store.change { state, now throws(SimulatorError) in
                try state.update(app: route.app, id: route.machineID, body: body, nonce: nonce, now: now)
            })
    }

    /// `DELETE /apps/{app}/machines/{id}?force=` (FLYGO's `kill=` is taken as `force`).
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let force = try request.queryBool("force")
        let kill = try request.queryBool("kill")
        let nonce = request.leaseNonce
        try store.change { state, now throws(SimulatorError) in
            ((), try state.delete(app: route.app, id: route.machineID, force: force || kill, nonce: nonce, now: now))
        }
        return .ok
    }

    /// `GET …/events?limit=` (default 20, at most 50).
    static func events(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        var limit = 20
        if let text = request.query("limit") {
            guard let value = Int(text), value >= 0 else { throw .invalidArgument("invalid limit: \(text)") }
            limit = min(value == 0 ? 20 : value, 50)
        }
        return .json(try store.read { state throws(SimulatorError) in try state.events(app: route.app, id: route.machineID, limit: limit) })
    }

    /// `GET …/versions`.
    static func versions(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.versions(app: route.app, id: route.machineID) })
    }

    /// `GET /orgs/{org}/machines`: every app's machines.
    static func orgList(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        var options = StoreState.OrgListOptions()
        options.filters = try listOptions(request)
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
        return .json(try store.read { state in state.orgList(org: route.app, options: options) })
    }

    private static func listOptions(_ request: SimulatorRequest) throws(SimulatorError) -> StoreState.ListOptions {
        var options = StoreState.ListOptions()
        options.includeDeleted = try request.queryBool("include_deleted")
        options.summary = try request.queryBool("summary")
        options.region = request.query("region").flatMap { $0.isEmpty ? nil : $0 }
        options.states = Set(request.queryList("state"))
        options.metadata = request.query.compactMap { parameter in
            parameter.name.hasPrefix("metadata.") ? (String(parameter.name.dropFirst(9)), parameter.value) : nil
        }
        return options
    }
}
