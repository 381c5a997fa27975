import FlyGateJSON

/// Regions and placements.
enum PlatformRoutes {
    /// `GET /platform/regions`.
    static func regions(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(StoreState.regions())
    }

    /// `POST /platform/placements` with `main.getPlacementsRequest`.
    static func placements(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(try store.read { state throws(SimulatorError) in try state.placements(body: body) })
    }
}
