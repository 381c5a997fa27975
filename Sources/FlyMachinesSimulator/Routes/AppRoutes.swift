import FlyGateJSON

/// Apps (list, create, show, delete) and their IP assignments.
enum AppRoutes {
    /// `GET /apps?org_slug=&app_role=`.
    static func list(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        guard let org = request.query("org_slug"), !org.isEmpty else { throw .invalidArgument("org_slug is required") }
        let role = request.query("app_role").flatMap { $0.isEmpty ? nil : $0 }
        return .json(try store.read { state in state.listApps(org: org, role: role) })
    }

    /// `POST /apps` with `CreateAppRequest`: 201 and the new `App` (FLYGO decodes one).
    static func create(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(try store.update { state, now throws(SimulatorError) in try state.createApp(body: body, now: now) }, status: 201)
    }

    /// `GET /apps/{app}`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.showApp(route.app) })
    }

    /// `DELETE /apps/{app}`: 202, no body.
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        try store.change { state, _ throws(SimulatorError) in ((), try state.deleteApp(route.app)) }
        return SimulatorResponse(status: 202, body: nil)
    }

    /// `GET /apps/{app}/ip_assignments`.
    static func listIPs(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.listIPAssignments(app: route.app) })
    }

    /// `POST /apps/{app}/ip_assignments` with `assignIPRequest`.
    static func assignIP(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(try store.update { state, now throws(SimulatorError) in try state.assignIP(app: route.app, body: body, now: now) })
    }

    /// `DELETE /apps/{app}/ip_assignments/{ip}`: 204.
    static func releaseIP(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        try store.update { state, _ throws(SimulatorError) in try state.releaseIP(app: route.app, ip: route.resource) }
        return .noContent
    }
}
