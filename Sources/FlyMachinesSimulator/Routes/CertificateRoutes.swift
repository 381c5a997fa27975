import FlyGateJSON

/// TLS certificates: list, ACME request, custom upload, show, check, and the three deletions.
enum CertificateRoutes {
    /// `GET /apps/{app}/certificates?filter=&cursor=&limit=` (default 25, at most 500).
    static func list(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        var limit = 25
        if let text = request.query("limit"), !text.isEmpty {
            guard let value = Int(text), value > 0 else { throw .invalidArgument("invalid limit: \(text)") }
            limit = min(value, 500)
        }
        let filter = request.query("filter")
        let cursor = request.query("cursor")
        return .json(
            try store.read { state throws(SimulatorError) in
                try state.listCertificates(app: route.app, filter: filter, cursor: cursor, limit: limit)
            })
    }

    /// `POST /apps/{app}/certificates/acme` with `{hostname}`: 201.
    static func createACME(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(
            try store.update { state, now throws(SimulatorError) in
                try state.requestACMECertificate(app: route.app, body: body, now: now)
            }, status: 201)
    }

    /// `POST /apps/{app}/certificates/custom` with `{hostname, fullchain, private_key}`: 201.
    static func createCustom(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        return .json(
            try store.update { state, now throws(SimulatorError) in try state.importCertificate(app: route.app, body: body, now: now) },
            status: 201)
    }

    /// `GET /apps/{app}/certificates/{hostname}`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.certificate(app: route.app, hostname: route.resource) })
    }

    /// `POST /apps/{app}/certificates/{hostname}/check`.
    static func check(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(
            try store.update { state, now throws(SimulatorError) in
                try state.checkCertificate(app: route.app, hostname: route.resource, now: now)
            })
    }

    /// `DELETE /apps/{app}/certificates/{hostname}`: 204.
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        try store.update { state, _ throws(SimulatorError) in try state.deleteCertificate(app: route.app, hostname: route.resource) }
        return .noContent
    }

    /// `DELETE /apps/{app}/certificates/{hostname}/acme`.
    static func deleteACME(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(
            try store.update { state, now throws(SimulatorError) in
                try state.deleteACMECertificate(app: route.app, hostname: route.resource, now: now)
            })
    }

    /// `DELETE /apps/{app}/certificates/{hostname}/custom`.
    static func deleteCustom(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(
            try store.update { state, now throws(SimulatorError) in
                try state.deleteCustomCertificate(app: route.app, hostname: route.resource, now: now)
            })
    }
}
