import ArgumentParser
import FlyMachinesProto

/// `flygate secrets keys list|show|set|generate|delete`: the app's secret keys.
package struct SecretKeysCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, show, set, generate and delete an app's secret keys (for encrypt, decrypt, sign, verify).",
        discussion: """
            Key material is read from stdin or --key-file, never from the command line, and never \
            printed; Fly never returns a private key, and `show` prints a public key only.

            Types are Fly's, passed as is: e.g. nacl_sign, es256 (signing), nacl_secretbox, \
            nacl_box, xaes256gcm (encryption), hs256, hs384, hs512, nacl_auth (MACs).

            Example: flygate secrets keys generate my-app signing --type nacl_sign
            Example: head -c 32 /dev/urandom | flygate secrets keys set my-app mac --type hs256
            """,
        subcommands: [
            SecretKeysListCommand.self, SecretKeysShowCommand.self, SecretKeysSetCommand.self, SecretKeysGenerateCommand.self,
            SecretKeysDeleteCommand.self,
        ])

    package init() {}
}

/// `flygate secrets keys list APP`.
package struct SecretKeysListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an app's secret keys (NAME, TYPE, CREATED, UPDATED).")

    @Argument(help: "The Fly app's name.") package var app: String
    @Option(help: "Only keys of these types, comma-separated, passed to Fly as is.") package var types: String?
    @OptionGroup package var minVersion: MinVersionOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_ListSecretKeysRequest()
        request.appName = app
        if let types { request.types = types }
        if let version = minVersion.minVersion { request.minVersion = version }
        let response = try await client.listSecretKeys(request, options: context.options())
        return context.renderRedacted(response) { SecretFormatter.keys(response.body.secretKeys) }
    }
}

/// `flygate secrets keys show APP NAME`.
package struct SecretKeysShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a secret key's type, public key (base64, when it has one) and times.")

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var minVersion: MinVersionOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_GetSecretKeyRequest()
        request.appName = target.app
        request.secretName = target.name
        if let version = minVersion.minVersion { request.minVersion = version }
        let response = try await client.getSecretKey(request, options: context.options())
        return context.renderRedacted(response) { SecretFormatter.key(response.body, body: response.restBody) }
    }
}

/// `flygate secrets keys set APP NAME --type TYPE`: key material from stdin or a file.
package struct SecretKeysSetCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Create or replace a secret key; its bytes are read from stdin or --key-file, never from the command line.",
        discussion: """
            The input is the raw key, byte for byte (decode base64 or hex first). It is never printed, \
            nor put in an error message. Standard input is not read from a terminal.

            Example: head -c 32 /dev/urandom | flygate secrets keys set my-app mac --type hs256
            Example: base64 -d sealing.b64 | flygate secrets keys set my-app sealing --type nacl_secretbox
            """)

    @OptionGroup package var target: SecretTarget
    @Option(help: "The key's type as Fly names it (see `flygate secrets keys --help`).") package var type: String
    @Option(help: ArgumentHelp("Read the key from this file instead of stdin (`-`: stdin).", valueName: "file"))
    package var keyFile: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws {
        if type.isEmpty { throw ValidationError("--type must not be empty") }
    }

    /// The SetSecretKey request for the key `material`.
    package func request(material: [UInt8]) -> Flygate_Secrets_V1_SetSecretKeyRequest {
        var request = Flygate_Secrets_V1_SetSecretKeyRequest()
        request.appName = target.app
        request.secretName = target.name
        request.body.type = type
        request.body.value = ByteString.integers(material)
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let material = try InputFile.read(keyFile, option: "--key-file", from: context.standardInput, sensitive: true)
        guard !material.isEmpty else { throw CLIFailure.badInput("the key is empty: nothing was read") }
        return try await SecretRedaction.scrubbing(SecretRedaction.forms(of: material)) {
            let response = try await client.setSecretKey(request(material: material), options: context.options())
            return context.renderRedacted(response) {
                let body = response.body
                return "set key \(target.name) (\(TableFormatter.sanitized(type))) on \(target.app)"
                    + SecretFormatter.version(body.hasVersion ? body.version : nil) + "\n"
            }
        }
    }
}

/// `flygate secrets keys generate APP NAME --type TYPE`: Fly makes the key.
package struct SecretKeysGenerateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Have Fly generate a random secret key of a type; its private part never leaves Fly.",
        discussion: "Example: flygate secrets keys generate my-app signing --type nacl_sign")

    @OptionGroup package var target: SecretTarget
    @Option(help: "The key's type as Fly names it (see `flygate secrets keys --help`).") package var type: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws {
        if type.isEmpty { throw ValidationError("--type must not be empty") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_GenerateSecretKeyRequest()
        request.appName = target.app
        request.secretName = target.name
        request.body.type = type
        let response = try await client.generateSecretKey(request, options: context.options())
        return context.renderRedacted(response) {
            let body = response.body
            var text = "generated key \(target.name) (\(TableFormatter.sanitized(type))) on \(target.app)"
                + SecretFormatter.version(body.hasVersion ? body.version : nil) + "\n"
            if let key = response.restBody?["public_key"].flatMap(ByteString.bytes(of:)), !key.isEmpty {
                text += "public key: \(ByteString.base64(key))\n"
            }
            return text
        }
    }
}

/// `flygate secrets keys delete APP NAME`.
package struct SecretKeysDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a secret key.")

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_DeleteSecretKeyRequest()
        request.appName = target.app
        request.secretName = target.name
        let response = try await client.deleteSecretKey(request, options: context.options())
        return context.render(response) {
            "deleted key \(target.name) from \(target.app)" + SecretFormatter.version(response.body.hasVersion ? response.body.version : nil) + "\n"
        }
    }
}
