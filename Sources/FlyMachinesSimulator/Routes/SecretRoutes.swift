import FlyGateJSON

/// App secrets: list, bulk update, and one secret's get, set and delete. Values go in, never out:
/// `show_secrets` is accepted and ignored.
enum SecretRoutes {
    /// `GET /apps/{app}/secrets?min_version=`.
    static func list(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        _ = try request.queryBool("show_secrets")
        let minVersion = request.query("min_version")
        return .json(
            try store.read { state throws(SimulatorError) in
                try state.checkSecretsVersion(app: route.app, minVersion: minVersion)
                return try state.listSecrets(app: route.app)
            })
    }

    /// `POST /apps/{app}/secrets` with `{"values": {name: value or null}}`.
    static func update(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(try store.update { state, now throws(SimulatorError) in try state.updateSecrets(app: route.app, body: body, now: now) })
    }

    /// `GET /apps/{app}/secrets/{name}?min_version=`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        _ = try request.queryBool("show_secrets")
        let minVersion = request.query("min_version")
        return .json(
            try store.read { state throws(SimulatorError) in
                try state.checkSecretsVersion(app: route.app, minVersion: minVersion)
                return try state.secret(app: route.app, name: route.resource)
            })
    }

    /// `POST /apps/{app}/secrets/{name}` with `{"value": "…"}`: 201.
    static func set(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        guard let value = body["value"]?.stringValue else { throw .invalidArgument("value must be a string") }
        return .json(
            try store.update { state, now throws(SimulatorError) in
                try state.setSecret(app: route.app, name: route.resource, value: value, now: now)
            }, status: 201)
    }

    /// `DELETE /apps/{app}/secrets/{name}`.
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.update { state, _ throws(SimulatorError) in try state.deleteSecret(app: route.app, name: route.resource) })
    }
}
