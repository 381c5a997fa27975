import ArgumentParser
import FlyGateJSON
import FlyMachinesProto

/// `flygate secrets set APP NAME`: one value, from stdin or a file.
package struct SecretsSetCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set one secret; the value is read from stdin or --value-file, never from the command line.",
        discussion: """
            The value is never printed, nor put in an error message (it shows as [redacted]). \
            One trailing newline is dropped (`echo` adds one) unless --keep-trailing-newline. \
            Standard input is not read from a terminal: pipe the value in or name a file.

            Example: printf %s "$DATABASE_URL" | flygate secrets set my-app DATABASE_URL
            Example: flygate secrets set my-app TLS_KEY --value-file key.pem --keep-trailing-newline
            """)

    @OptionGroup package var target: SecretTarget
    @Option(help: ArgumentHelp("Read the value from this file instead of stdin (`-`: stdin).", valueName: "file"))
    package var valueFile: String?
    @Flag(help: "Keep a trailing newline of the input as part of the value.") package var keepTrailingNewline = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    /// The CreateSecret request for `value`.
    package func request(value: String) -> Flygate_Secrets_V1_CreateSecretRequest {
        var request = Flygate_Secrets_V1_CreateSecretRequest()
        request.appName = target.app
        request.secretName = target.name
        request.body.value = value
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let bytes = try InputFile.read(valueFile, option: "--value-file", from: context.standardInput, sensitive: true)
        let value = try SecretInput.value(bytes, keepNewline: keepTrailingNewline)
        return try await SecretRedaction.scrubbing([value]) {
            let response = try await client.createSecret(request(value: value), options: context.options())
            return context.renderRedacted(response) {
                let body = response.body
                var line = "set secret \(target.name) on \(target.app)" + SecretFormatter.version(body.hasVersion ? body.version : nil)
                if body.hasDigest, !body.digest.isEmpty { line += ", digest \(body.digest)" }
                return TableFormatter.sanitized(line) + "\n"
            }
        }
    }
}

/// `flygate secrets import APP`: many values in one change, as `NAME=VALUE` lines.
package struct SecretsImportCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Set many secrets in one change from NAME=VALUE lines on stdin or in --from-file.",
        discussion: """
            Each line is NAME=VALUE: the value is everything after the first `=`, taken literally (no \
            quotes or escapes; a value cannot span lines — use `set` for those). Blank lines and lines \
            starting with # are skipped. --unset removes secrets in the same change. Values are never \
            printed, nor put in an error message; a bad line is named by its number only. Standard \
            input is not read from a terminal.

            Example: flygate secrets import my-app --from-file .env.production --unset LEGACY_TOKEN
            """)

    @Argument(help: "The Fly app's name.") package var app: String
    @Option(help: ArgumentHelp("Read the lines from this file instead of stdin (`-`: stdin).", valueName: "file"))
    package var fromFile: String?
    @Option(name: .customLong("unset"), help: ArgumentHelp("Remove this secret in the same change; repeat for more.", valueName: "NAME"))
    package var unset: [String] = []
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        for name in unset { try ResourceName.validate(name, as: "--unset") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let pairs = try SecretInput.lines(try InputFile.read(fromFile, option: "--from-file", from: context.standardInput, sensitive: true))
        return try await SecretRedaction.scrubbing(pairs.map(\.value)) {
            if let both = unset.first(where: { name in pairs.contains { $0.name == name } }) {
                throw CLIFailure.badInput("\(both) is both set and unset")
            }
            guard !pairs.isEmpty || !unset.isEmpty else { throw CLIFailure.badInput("nothing to import: the input has no NAME=VALUE line") }
            let request = try SecretsUpdate.request(app: app, set: pairs, unset: unset)
            let response = try await client.updateSecrets(request, options: context.options())
            return context.renderRedacted(response) {
                "updated secrets on \(app): \(pairs.count) set, \(unset.count) unset"
                    + SecretFormatter.version(response.body.hasVersion ? response.body.version : nil) + "\n"
            }
        }
    }
}

/// `flygate secrets unset APP NAME…`: removes several secrets in one change.
package struct SecretsUnsetCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "unset", abstract: "Remove secrets in one change (names Fly does not have are no error).",
        discussion: "Example: flygate secrets unset my-app OLD_TOKEN LEGACY_URL")

    @Argument(help: "The Fly app's name.") package var app: String
    @Argument(help: "The secrets to remove.") package var names: [String] = []
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        guard !names.isEmpty else { throw ValidationError("give at least one NAME to unset") }
        for name in names { try ResourceName.validate(name, as: "NAME") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.updateSecrets(try SecretsUpdate.request(app: app, set: [], unset: names), options: context.options())
        return context.renderRedacted(response) {
            "unset \(names.count) secret\(names.count == 1 ? "" : "s") on \(app)"
                + SecretFormatter.version(response.body.hasVersion ? response.body.version : nil) + "\n"
        }
    }
}

/// The UpdateSecrets request: Fly's `{"values": {NAME: "value", GONE: null}}`, where null unsets.
package enum SecretsUpdate {
    /// A request that sets `set` and unsets `unset`. The proto's string map cannot hold null, so
    /// the body is built from its JSON, which keeps the nulls losslessly (see the contract's rules).
    package static func request(app: String, set: [(name: String, value: String)], unset: [String]) throws
        -> Flygate_Secrets_V1_UpdateSecretsRequest
    {
        var values = JSONObject()
        for (name, value) in set { values.append(name, .string(value)) }
        for name in unset where values[name] == nil { values.append(name, .null) }
        var request = Flygate_Secrets_V1_UpdateSecretsRequest()
        request.appName = app
        request.body = try Flygate_Secrets_V1_AppSecretsUpdateRequest(json: ["values": .object(values)])
        return request
    }
}
