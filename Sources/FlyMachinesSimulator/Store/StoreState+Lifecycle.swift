import FlyGateJSON

extension StoreState {
    /// `Machines_start`: stopped, created, suspended or failed -> starting -> started.
    /// Starting a machine that is already up is a no-op; the answer is Fly's start body.
    package mutating func start(app: String, id: String, nonce: String?, now: WallClock) throws(SimulatorError) -> (
        JSONValue, StoreEffects
    ) {
        try withMachine(app, id, operation: .start, nonce: nonce, now: now) {
            (machine, effects) throws(SimulatorError) -> JSONValue in
            let previous = machine.state
            switch previous {
            case .stopped, .created, .suspended, .failed:
                Self.begin(
                    &machine, .init(state: .starting, eventType: "start", source: "user"),
                    then: [.init(state: .started, eventType: "start")], now: now, effects: &effects)
            case .started, .starting, .restarting, .replacing:
                break
            case .stopping, .suspending, .destroying, .destroyed:
                throw .failedPrecondition("unable to start machine from current state: '\(previous.rawValue)'")
            }
            return ["previous_state": .string(previous.rawValue), "migrated": false, "new_host": ""]
        }
    }

    /// `Machines_stop`: started (or on its way) -> stopping -> stopped; a suspended machine drops its snapshot.
    package mutating func stop(
        app: String, id: String, signal: String?, timeout: String?, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> StoreEffects {
        try withMachine(app, id, operation: .stop, nonce: nonce, now: now) { (machine, effects) throws(SimulatorError) in
            switch machine.state {
            case .stopped, .created, .stopping, .destroying, .destroyed, .failed:
                return
            case .started, .starting, .restarting, .replacing, .suspended, .suspending:
                break
            }
            let stopConfig = machine.config["stop_config"]
            let signalName = signal ?? stopConfig?["signal"]?.stringValue ?? "SIGINT"
            let timeoutText = timeout ?? stopConfig?["timeout"]?.stringValue ?? "5s"
            let exitEvent: JSONValue = [
                "exit_event": [
                    "requested_stop": true, "restarting": false, "exit_code": 0, "guest_exit_code": 0,
                    "guest_signal": 0, "oom_killed": false, "signal": .int(Signals.numbers[signalName] ?? 2),
                    "exited_at": .string(now.rfc3339),
                ],
                "restart_count": 0,
            ]
            Self.begin(
                &machine,
                .init(
                    state: .stopping, eventType: "stop", source: "user",
                    request: ["signal": .string(signalName), "timeout": .string(timeoutText)]),
                then: [.init(state: .stopped, eventType: "exit", request: exitEvent)], now: now, effects: &effects)
        }.1
    }

    /// `Machines_suspend`: started -> suspending -> suspended.
    package mutating func suspend(app: String, id: String, nonce: String?, now: WallClock) throws(SimulatorError)
        -> StoreEffects
    {
        try withMachine(app, id, operation: .suspend, nonce: nonce, now: now) { (machine, effects) throws(SimulatorError) in
            switch machine.state {
            case .suspended, .suspending:
                return
            case .started:
                Self.begin(
                    &machine, .init(state: .suspending, eventType: "suspend", source: "user"),
                    then: [.init(state: .suspended, eventType: "suspend")], now: now, effects: &effects)
            default:
                throw .failedPrecondition("unable to suspend machine from current state: '\(machine.state.rawValue)'")
            }
        }.1
    }

    /// `Machines_restart`: started -> restarting -> started, recording the signal and timeout.
    package mutating func restart(
        app: String, id: String, signal: String?, timeout: String?, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> StoreEffects {
        try withMachine(app, id, operation: .restart, nonce: nonce, now: now) { (machine, effects) throws(SimulatorError) in
            guard machine.state == .started else {
                throw .failedPrecondition("unable to restart machine from current state: '\(machine.state.rawValue)'")
            }
            var request = JSONObject()
            if let signal { request.append("signal", .string(signal)) }
            if let timeout { request.append("timeout", .string(timeout)) }
            Self.begin(
                &machine, .init(state: .restarting, eventType: "restart", source: "user", request: .object(request)),
                then: [.init(state: .started, eventType: "start")], now: now, effects: &effects)
        }.1
    }

    /// `Machines_cordon` / `Machines_uncordon`: sets the flag and logs it.
    package mutating func setCordoned(
        _ cordoned: Bool, app: String, id: String, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> StoreEffects {
        let operation: SimulatorOperation = cordoned ? .cordon : .uncordon
        return try withMachine(app, id, operation: operation, nonce: nonce, now: now) {
            (machine, effects) throws(SimulatorError) in
            machine.cordoned = cordoned
            Self.record(
                &machine, type: cordoned ? "cordon" : "uncordon", state: machine.state, now: now, effects: &effects)
        }.1
    }

    /// `Machines_signal`: delivers a named signal to a started machine (logged; the machine keeps running).
    package mutating func signal(
        app: String, id: String, signal: String, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> StoreEffects {
        try withMachine(app, id, operation: .signal, nonce: nonce, now: now) { (machine, effects) throws(SimulatorError) in
            guard machine.state == .started else {
                throw .failedPrecondition("machine is not started (state: '\(machine.state.rawValue)')")
            }
            Self.record(
                &machine, type: "signal", state: machine.state, request: ["signal": .string(signal)], now: now,
                effects: &effects)
        }.1
    }
}
