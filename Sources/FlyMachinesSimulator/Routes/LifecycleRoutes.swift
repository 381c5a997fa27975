import FlyGateJSON

/// State changes: start, stop, suspend, restart, cordon, uncordon, signal.
enum LifecycleRoutes {
    /// `POST …/start`: Fly's `{previous_state, migrated, new_host}`.
    static func start(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let nonce = request.leaseNonce
        return .json(
            try store.change { state, now throws(SimulatorError) in
                try state.start(app: route.app, id: route.machineID, nonce: nonce, now: now)
            })
    }

    /// `POST …/stop` with an optional `StopRequest {signal, timeout}`.
    static func stop(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.jsonBody()
        if let body, body.objectValue == nil { throw .invalidArgument("StopRequest must be a JSON object") }
        let signal = try stopSignal(body?["signal"]?.stringValue ?? body?["signal"].flatMap(signalName))
        let timeout = try duration(body?["timeout"])
        let nonce = request.leaseNonce
        try store.change { state, now throws(SimulatorError) in
            ((), try state.stop(app: route.app, id: route.machineID, signal: signal, timeout: timeout, nonce: nonce, now: now))
        }
        return .ok
    }

    /// `POST …/suspend`.
    static func suspend(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let nonce = request.leaseNonce
        try store.change { state, now throws(SimulatorError) in
            ((), try state.suspend(app: route.app, id: route.machineID, nonce: nonce, now: now))
        }
        return .ok
    }

    /// `POST …/restart?timeout=&signal=`.
    static func restart(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let signal = try stopSignal(request.query("signal").flatMap { $0.isEmpty ? nil : $0 })
        let timeoutText = request.query("timeout") ?? ""
        let timeout = try duration(timeoutText.isEmpty ? Optional<JSONValue>.none : .string(timeoutText))
        let nonce = request.leaseNonce
        try store.change { state, now throws(SimulatorError) in
            ((), try state.restart(app: route.app, id: route.machineID, signal: signal, timeout: timeout, nonce: nonce, now: now))
        }
        return .ok
    }

    /// `POST …/cordon` and `POST …/uncordon`.
    static func cordon(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore, on: Bool) throws(SimulatorError)
        -> SimulatorResponse
    {
        let nonce = request.leaseNonce
        try store.change { state, now throws(SimulatorError) in
            ((), try state.setCordoned(on, app: route.app, id: route.machineID, nonce: nonce, now: now))
        }
        return .ok
    }

    /// `POST …/signal` with `{"signal": "SIGTERM"}` or, as FLYGO sends, `{"signal": 9}`.
    static func signal(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        guard let value = body["signal"], let name = signalName(value) else {
            throw .invalidArgument("invalid SignalRequest.Signal: \(body["signal"]?.serialized ?? "missing")")
        }
        let nonce = request.leaseNonce
        try store.change { state, now throws(SimulatorError) in
            ((), try state.signal(app: route.app, id: route.machineID, signal: name, nonce: nonce, now: now))
        }
        return .ok
    }

    /// A `SignalRequest` signal: one of the allowed names, or its number.
    private static func signalName(_ value: JSONValue) -> String? {
        if let text = value.stringValue {
            if Signals.numbers[text] != nil { return text }
            return Int(text).flatMap(Signals.name(forNumber:))
        }
        return value.int64Value.flatMap { Signals.name(forNumber: Int($0)) }
    }

    private static func stopSignal(_ name: String?) throws(SimulatorError) -> String? {
        guard let name else { return nil }
        guard Signals.stopSignals.contains(name) else { throw .invalidArgument("invalid signal: \(name)") }
        return name
    }

    /// A duration given as a Go duration string or a number of seconds, returned as text.
    private static func duration(_ value: JSONValue?) throws(SimulatorError) -> String? {
        guard let value, !value.isNull else { return nil }
        if let text = value.stringValue {
            guard GoDuration.parse(text) != nil else { throw .invalidArgument("invalid timeout: \(text)") }
            return text
        }
        if let seconds = value.int64Value, seconds >= 0 { return "\(seconds)s" }
        throw .invalidArgument("invalid timeout: \(value.serialized)")
    }
}
