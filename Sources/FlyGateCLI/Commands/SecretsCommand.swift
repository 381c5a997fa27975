import ArgumentParser
import FlyMachinesProto

/// `flygate secrets`: one verb per rpc of flygate.secrets.v1.Secrets.
package struct SecretsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Set, list and delete an app's secrets, manage its secret keys, and encrypt, decrypt, sign and verify with them.",
        discussion: """
            Every verb is one rpc of flygate.secrets.v1.Secrets. NAME is the secret's (or key's) name.

            Secret values and key material are read from standard input or a file, never from the \
            command line (where `ps` and shell history would see them), and never printed: tables \
            show names and digests, error lines have any value replaced by [redacted], and --json \
            drops `value` members. Standard input is not read from a terminal for them; pipe the \
            value in or name a file.

            Output and exit codes are as for `flygate machines` (see `flygate machines --help`); \
            encrypt, decrypt and sign write raw bytes to stdout.

            Examples:
              printf %s "$DATABASE_URL" | flygate secrets set my-app DATABASE_URL
              flygate secrets set my-app TLS_CERT --value-file cert.pem
              flygate secrets import my-app --from-file .env --unset OLD_TOKEN
              flygate secrets list my-app
              flygate secrets keys generate my-app signing --type nacl_sign
              flygate secrets sign my-app signing --in release.tar > release.sig
            """,
        subcommands: [
            SecretsListCommand.self, SecretsShowCommand.self, SecretsSetCommand.self, SecretsImportCommand.self,
            SecretsUnsetCommand.self, SecretsDeleteCommand.self, SecretKeysCommand.self, SecretsEncryptCommand.self,
            SecretsDecryptCommand.self, SecretsSignCommand.self, SecretsVerifyCommand.self,
        ])

    package init() {}
}

/// The APP and NAME positionals of the verbs on one secret or key.
package struct SecretTarget: ParsableArguments {
    @Argument(help: "The Fly app's name.")
    package var app: String

    @Argument(help: "The secret's name.")
    package var name: String

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        try ResourceName.validate(name, as: "NAME")
        // `set APP NAME=VALUE` would put the value in the name; no secret's name holds `=`.
        if name.contains("=") { throw ValidationError("NAME must not contain '=': secret values are read from stdin or a file") }
    }
}

/// `--min-version`, for the reads Fly lets wait for a secrets version.
package struct MinVersionOption: ParsableArguments {
    @Option(help: "Fail unless Fly's answer includes at least this secrets version (printed when secrets change).")
    package var minVersion: String?

    package init() {}
}

/// `flygate secrets list APP`.
package struct SecretsListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an app's secrets (NAME, DIGEST, CREATED, UPDATED); never their values.")

    @Argument(help: "The Fly app's name.") package var app: String
    @OptionGroup package var minVersion: MinVersionOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_ListSecretsRequest()
        request.appName = app
        if let version = minVersion.minVersion { request.minVersion = version }
        let response = try await client.listSecrets(request, options: context.options())
        return context.renderRedacted(response) { SecretFormatter.table(response.body.secrets) }
    }
}

/// `flygate secrets show APP NAME`.
package struct SecretsShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one secret's name, digest and times; never its value.")

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var minVersion: MinVersionOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_GetSecretRequest()
        request.appName = target.app
        request.secretName = target.name
        if let version = minVersion.minVersion { request.minVersion = version }
        let response = try await client.getSecret(request, options: context.options())
        return context.renderRedacted(response) { SecretFormatter.detail(response.body) }
    }
}

/// `flygate secrets delete APP NAME`.
package struct SecretsDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete one secret (NOT_FOUND when there is none; `unset` removes several at once).")

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_DeleteSecretRequest()
        request.appName = target.app
        request.secretName = target.name
        let response = try await client.deleteSecret(request, options: context.options())
        return context.render(response) {
            "deleted secret \(target.name) from \(target.app)" + SecretFormatter.version(response.body.hasVersion ? response.body.version : nil) + "\n"
        }
    }
}
