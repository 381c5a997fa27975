import FlyGateJSON

extension StoreState {
    /// `Secrets_list`: names and digests, never values.
    package func listSecrets(app: String) throws(SimulatorError) -> JSONValue {
        ["secrets": .array(try self.app(app).secrets.map(\.json))]
    }

    /// `Secret_get`.
    package func secret(app: String, name: String) throws(SimulatorError) -> JSONValue {
        guard let secret = try self.app(app).secrets.first(where: { $0.name == name }) else {
            throw .notFound("secret", name)
        }
        return secret.json
    }

    /// `Secret_create`: sets one secret (creating or replacing it) and bumps the version.
    package mutating func setSecret(app: String, name: String, value: String, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        guard AppSecretRecord.isValidName(name) else { throw Self.invalidSecretName(name) }
        return try withApp(app) { record throws(SimulatorError) -> JSONValue in
            let secret = Self.set(&record, name: name, value: value, now: now)
            record.secretsVersion += 1
            var object = secret.json.objectValue ?? JSONObject()
            object.append("version", .int(record.secretsVersion))
            object.append("Version", .int(record.secretsVersion))
            return .object(object)
        }
    }

    /// `Secrets_update`: sets the names given a string and unsets those given null (unsetting an
    /// absent secret is no error), as one change with one new version.
    package mutating func updateSecrets(app: String, body: JSONValue, now: WallClock) throws(SimulatorError) -> JSONValue {
        guard let values = body["values"]?.objectValue else {
            throw .invalidArgument("values must be an object of names to strings (or null to unset)")
        }
        for (name, value) in values.members {
            guard AppSecretRecord.isValidName(name) else { throw Self.invalidSecretName(name) }
            guard value.isNull || value.stringValue != nil else {
                throw .invalidArgument("the value of secret \(name) must be a string, or null to unset it")
            }
        }
        return try withApp(app) { record throws(SimulatorError) -> JSONValue in
            for (name, value) in values.members {
                if let text = value.stringValue {
                    Self.set(&record, name: name, value: text, now: now)
                } else {
                    record.secrets.removeAll { $0.name == name }
                }
            }
            record.secretsVersion += 1
            return [
                "secrets": .array(record.secrets.map(\.json)), "version": .int(record.secretsVersion),
                "Version": .int(record.secretsVersion),
            ]
        }
    }

    /// `Secret_delete`: 404 when there is no such secret.
    package mutating func deleteSecret(app: String, name: String) throws(SimulatorError) -> JSONValue {
        try withApp(app) { record throws(SimulatorError) -> JSONValue in
            guard let index = record.secrets.firstIndex(where: { $0.name == name }) else { throw .notFound("secret", name) }
            record.secrets.remove(at: index)
            record.secretsVersion += 1
            return ["version": .int(record.secretsVersion), "Version": .int(record.secretsVersion)]
        }
    }

    /// Checks `min_version` (a secrets version the answer must include): the simulator is never
    /// behind, so any version it has reached passes; 400 for one it has not, or for non-numbers.
    package func checkSecretsVersion(app: String, minVersion: String?) throws(SimulatorError) {
        guard let minVersion, !minVersion.isEmpty else { return }
        guard let wanted = Int(minVersion), wanted >= 0 else {
            throw .invalidArgument("invalid min_version: \(minVersion) is not a version number")
        }
        let current = try self.app(app).secretsVersion
        guard wanted <= current else {
            throw .invalidArgument("min_version \(wanted) is newer than the app's secrets version \(current)")
        }
    }

    @discardableResult
    private static func set(_ record: inout SimulatedApp, name: String, value: String, now: WallClock) -> AppSecretRecord {
        let digest = AppSecretRecord.digest(of: value)
        if let index = record.secrets.firstIndex(where: { $0.name == name }) {
            record.secrets[index].digest = digest
            record.secrets[index].updatedAt = now
            return record.secrets[index]
        }
        let secret = AppSecretRecord(name: name, digest: digest, createdAt: now, updatedAt: now)
        record.secrets.append(secret)
        return secret
    }

    private static func invalidSecretName(_ name: String) -> SimulatorError {
        .invalidArgument("invalid secret name \(name): use letters, digits and underscores, not starting with a digit")
    }
}
