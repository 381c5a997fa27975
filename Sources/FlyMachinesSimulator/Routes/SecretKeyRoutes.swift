import FlyGateJSON

/// Secret keys: list, get, set, generate, delete, and the cryptographic operations. Private key
/// material never leaves the simulator.
enum SecretKeyRoutes {
    /// `GET /apps/{app}/secretkeys?types=&min_version=`.
    static func list(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let types = request.queryList("types")
        let minVersion = request.query("min_version")
        return .json(
            try store.read { state throws(SimulatorError) in
                try state.checkSecretsVersion(app: route.app, minVersion: minVersion)
                return try state.listSecretKeys(app: route.app, types: types)
            })
    }

    /// `GET /apps/{app}/secretkeys/{name}`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try key(request, route, store).json)
    }

    /// `POST /apps/{app}/secretkeys/{name}` with `{type, value}` (`Secretkey_set`), or
    /// `…/generate` with `{type}` (`Secretkey_generate`): 201.
    static func set(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore, generate: Bool) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.jsonBody() ?? [:]
        guard body.objectValue != nil else { throw .invalidArgument("a JSON object body is required") }
        let type = body["type"]?.stringValue
        var value: [UInt8]?
        if !generate {
            value = try ByteFields.member(body, "value")
            guard value != nil else { throw .invalidArgument("value is required; use generate for a server-made key") }
        }
        return .json(
            try store.update { state, now throws(SimulatorError) in
                try state.setSecretKey(app: route.app, name: route.resource, type: type, value: value, now: now)
            }, status: 201)
    }

    /// `DELETE /apps/{app}/secretkeys/{name}`.
    static func delete(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.update { state, _ throws(SimulatorError) in try state.deleteSecretKey(app: route.app, name: route.resource) })
    }

    /// `POST …/sign` with `{plaintext}`: `{signature}`.
    static func sign(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        let plaintext = try ByteFields.member(body, "plaintext") ?? []
        let key = try key(request, route, store)
        return .json(["signature": ByteFields.json(try key.type.sign(plaintext, material: key.material))])
    }

    /// `POST …/verify` with `{plaintext, signature}`: 204 when it verifies, 400 when it does not.
    static func verify(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        let plaintext = try ByteFields.member(body, "plaintext") ?? []
        let signature = try ByteFields.member(body, "signature") ?? []
        let key = try key(request, route, store)
        guard try key.type.verify(signature, of: plaintext, material: key.material, publicKey: key.publicKey) else {
            throw .invalidArgument("signature verification failed")
        }
        return .noContent
    }

    /// `POST …/encrypt` with `{plaintext, associated_data}`: `{ciphertext}`.
    static func encrypt(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        let plaintext = try ByteFields.member(body, "plaintext") ?? []
        let associated = try ByteFields.member(body, "associated_data") ?? []
        let key = try key(request, route, store)
        let ciphertext = try key.type.encrypt(
            plaintext, associatedData: associated, material: key.material, publicKey: key.publicKey)
        return .json(["ciphertext": ByteFields.json(ciphertext)])
    }

    /// `POST …/decrypt` with `{ciphertext, associated_data}`: `{plaintext}`; 400 for a ciphertext
    /// this key did not make or that was altered.
    static func decrypt(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body = try request.requiredObjectBody()
        let ciphertext = try ByteFields.member(body, "ciphertext") ?? []
        let associated = try ByteFields.member(body, "associated_data") ?? []
        let key = try key(request, route, store)
        let plaintext = try key.type.decrypt(
            ciphertext, associatedData: associated, material: key.material, publicKey: key.publicKey)
        return .json(["plaintext": ByteFields.json(plaintext)])
    }

    /// The named key, after the `min_version` check.
    private static func key(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SecretKeyRecord
    {
        let minVersion = request.query("min_version")
        return try store.read { state throws(SimulatorError) in
            try state.checkSecretsVersion(app: route.app, minVersion: minVersion)
            return try state.secretKey(app: route.app, name: route.resource)
        }
    }
}
