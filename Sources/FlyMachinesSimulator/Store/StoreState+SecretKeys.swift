import FlyGateJSON

extension StoreState {
    /// `Secretkeys_list`: every key, or those of `types` (comma-separated); public halves only.
    package func listSecretKeys(app: String, types: [String]) throws(SimulatorError) -> JSONValue {
        let wanted = Set(types)
        let keys = try self.app(app).secretKeys.filter { wanted.isEmpty || wanted.contains($0.type.rawValue) }
        return ["secret_keys": .array(keys.map(\.json))]
    }

    /// `Secretkey_get`.
    package func secretKey(app: String, name: String) throws(SimulatorError) -> SecretKeyRecord {
        guard let key = try self.app(app).secretKeys.first(where: { $0.name == name }) else {
            throw .notFound("secret key", name)
        }
        return key
    }

    /// `Secretkey_set` (`value` given) and `Secretkey_generate` (nil): creates or replaces the key
    /// and bumps the secrets version.
    package mutating func setSecretKey(app: String, name: String, type typeName: String?, value: [UInt8]?, now: WallClock)
        throws(SimulatorError) -> JSONValue
    {
        guard SecretKeyRecord.isValidName(name) else {
            throw .invalidArgument("invalid secret key name \(name): use letters, digits, '_', '-' and '.'")
        }
        guard let typeName, !typeName.isEmpty else { throw .invalidArgument("type is required") }
        guard let type = SecretKeyType(rawValue: typeName) else {
            let known = SecretKeyType.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("unsupported secret key type \(typeName): one of \(known)")
        }
        let material: [UInt8]
        let publicKey: [UInt8]?
        if let value {
            (material, publicKey) = try type.imported(value)
        } else {
            (material, publicKey) = type.generate()
        }
        return try withApp(app) { record throws(SimulatorError) -> JSONValue in
            var key = SecretKeyRecord(
                name: name, type: type, material: material, publicKey: publicKey, createdAt: now, updatedAt: now)
            if let index = record.secretKeys.firstIndex(where: { $0.name == name }) {
                key.createdAt = record.secretKeys[index].createdAt
                record.secretKeys[index] = key
            } else {
                record.secretKeys.append(key)
            }
            record.secretsVersion += 1
            return key.setResponse(version: record.secretsVersion)
        }
    }

    /// `Secretkey_delete`: 404 when there is no such key.
    package mutating func deleteSecretKey(app: String, name: String) throws(SimulatorError) -> JSONValue {
        try withApp(app) { record throws(SimulatorError) -> JSONValue in
            guard let index = record.secretKeys.firstIndex(where: { $0.name == name }) else {
                throw .notFound("secret key", name)
            }
            record.secretKeys.remove(at: index)
            record.secretsVersion += 1
            return ["version": .int(record.secretsVersion), "Version": .int(record.secretsVersion)]
        }
    }
}
