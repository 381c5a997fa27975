import FlyGateJSON

/// `GET …/wait`: answers as soon as the machine reaches a requested state, 408 at the timeout.
enum WaitRoutes {
    /// States a wait may name.
    static let allowedStates: Set<String> = ["started", "stopped", "suspended", "destroyed", "failed", "settled"]

    /// Parses the query, then waits on the store (at most `timeoutCap`, when set).
    static func wait(
        _ request: SimulatorRequest, _ route: Route, _ store: MachineStore, timeoutCap: Duration? = nil
    ) async throws(SimulatorError) -> SimulatorResponse {
        var timeout = Duration.seconds(60)
        if let text = request.query("timeout"), !text.isEmpty {
            guard let parsed = GoDuration.parse(text), parsed >= .seconds(1), parsed <= .seconds(60) else {
                throw .invalidArgument("invalid WaitMachineRequest.Timeout: value must be inside range [1s, 1m0s]")
            }
            timeout = parsed
        }
        if let timeoutCap, timeoutCap < timeout { timeout = max(timeoutCap, .zero) }
        var states = Set(request.queryList("state").map { $0.lowercased() })
        if states.isEmpty { states = ["started"] }
        if let bad = states.first(where: { !allowedStates.contains($0) }) {
            throw .invalidArgument("invalid WaitMachineRequest.State: \(bad) is not one of \(allowedStates.sorted())")
        }
        let version = (request.query("version") ?? request.query("instance_id")).flatMap { $0.isEmpty ? nil : $0 }
        let fromEventID = request.query("from_event_id").flatMap { $0.isEmpty ? nil : $0 }
        _ = try store.read { state throws(SimulatorError) in try state.machine(route.app, route.machineID) }
        let outcome = await store.wait(
            app: route.app, id: route.machineID, states: states, version: version, fromEventID: fromEventID,
            timeout: timeout)
        switch outcome {
        case .reached(let state, let version, let eventID):
            return .json(["ok": true, "state": .string(state), "version": .string(version), "event_id": .string(eventID)])
        case .timedOut:
            throw .fly(408, "deadline_exceeded: machine \(route.machineID) did not reach \(states.sorted().joined(separator: ",")) in time")
        case .gone:
            throw .machineNotFound(route.machineID)
        case .replaced:
            throw .failedPrecondition("machine version \(version ?? "") currently replaced")
        case .unknownVersion:
            throw .invalidArgument("invalid version: \(version ?? "") is not a version of machine \(route.machineID)")
        case .shutdown:
            throw .fly(503, "unavailable: the simulator is shutting down")
        }
    }
}
