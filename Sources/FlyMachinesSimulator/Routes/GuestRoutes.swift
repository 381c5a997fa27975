import FlyGateJSON

/// What runs inside a started machine: exec, ps, and the memory balloon.
enum GuestRoutes {
    /// `POST …/exec` with `command` (argv) or the deprecated `cmd` string, `stdin`, `timeout`.
    static func exec(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        var argv: [String] = []
        if let command = body["command"]?.arrayValue {
            argv = command.compactMap(\.stringValue)
            guard argv.count == command.count else { throw .invalidArgument("command must be an array of strings") }
        } else if let cmd = body["cmd"]?.stringValue {
            argv = GuestExec.words(cmd)
        }
        guard !argv.isEmpty else { throw .invalidArgument("command is required") }
        if let timeout = body["timeout"], !timeout.isNull {
            guard let seconds = timeout.int64Value, seconds >= 0 else { throw .invalidArgument("invalid timeout") }
        }
        let stdin = body["stdin"]?.stringValue ?? ""
        let machine = try store.read { state throws(SimulatorError) in try state.runningMachine(route.app, route.machineID) }
        return .json(GuestExec.run(argv, stdin: stdin, machine: machine).json)
    }

    /// `GET …/ps?sort_by=&order=`.
    static func processes(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let sortBy = request.query("sort_by").flatMap { $0.isEmpty ? nil : $0 } ?? "pid"
        guard ProcessTable.sortKeys.contains(sortBy) else { throw .invalidArgument("invalid sort_by: \(sortBy)") }
        let order = request.query("order").flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "asc"
        guard order == "asc" || order == "desc" else { throw .invalidArgument("invalid order: \(order)") }
        let machine = try store.read { state throws(SimulatorError) in try state.runningMachine(route.app, route.machineID) }
        return .json(.array(ProcessTable.processes(of: machine, sortBy: sortBy, descending: order == "desc")))
    }

    /// `GET …/memory`.
    static func memory(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.memory(app: route.app, id: route.machineID) })
    }

    /// `PUT …/memory` with `{limit_mb}`.
    static func setMemoryLimit(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        guard let limit = body["limit_mb"]?.int64Value else { throw .invalidArgument("limit_mb must be an integer") }
        return .json(
            try store.update { state, _ throws(SimulatorError) in
                try state.setMemoryLimit(app: route.app, id: route.machineID, limitMB: limit)
            })
    }

    /// `POST …/memory/reclaim` with `{amount_mb}`.
    static func reclaimMemory(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        guard let amount = body["amount_mb"]?.int64Value else { throw .invalidArgument("amount_mb must be an integer") }
        return .json(
            try store.update { state, _ throws(SimulatorError) in
                try state.reclaimMemory(app: route.app, id: route.machineID, amountMB: amount)
            })
    }
}
