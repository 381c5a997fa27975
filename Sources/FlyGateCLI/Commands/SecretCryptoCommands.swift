import ArgumentParser
import FlyMachinesProto

/// `--in FILE` and `--min-version`, for the verbs that send a payload to a secret key.
package struct CryptoInputOptions: ParsableArguments {
    @Option(name: .customLong("in"), help: ArgumentHelp("Read the input from this file instead of stdin (`-`: stdin).", valueName: "file"))
    package var inputFile: String?
    @OptionGroup package var minVersion: MinVersionOption

    package init() {}

    /// Throws a usage error when `other` (a flag's file) would read stdin too.
    package func checkOneStandardInput(_ other: String?, option: String) throws {
        if other == "-", inputFile == nil || inputFile == "-" {
            throw ValidationError("the input and \(option) cannot both come from stdin: give --in FILE or a \(option) path")
        }
    }

    /// The input's bytes.
    package func read(_ context: MachinesCommandContext) throws -> [UInt8] {
        try InputFile.read(inputFile, option: "--in", from: context.standardInput)
    }
}

/// `--associated-data-file FILE`, for encrypt and decrypt with AEAD key types.
package struct AssociatedDataOption: ParsableArguments {
    @Option(help: ArgumentHelp("Authenticate these bytes too (AEAD key types); decrypt needs the ones encrypt was given.", valueName: "file"))
    package var associatedDataFile: String?

    package init() {}

    /// The file's bytes, when one was given.
    package func read(_ context: MachinesCommandContext) throws -> [UInt8]? {
        try associatedDataFile.map { try InputFile.read($0, option: "--associated-data-file", from: context.standardInput) }
    }
}

/// `flygate secrets encrypt APP NAME`: plaintext in, ciphertext out.
package struct SecretsEncryptCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "encrypt", abstract: "Encrypt stdin (or --in) with a secret key; write the ciphertext's raw bytes to stdout.",
        discussion: """
            The plaintext is never printed, nor put in an error message. With --json the answer is \
            printed as Fly's JSON instead of raw bytes.

            Example: flygate secrets encrypt my-app sealing --in notes.txt > notes.sealed
            """)

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var input: CryptoInputOptions
    @OptionGroup package var associatedData: AssociatedDataOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try input.checkOneStandardInput(associatedData.associatedDataFile, option: "--associated-data-file") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let plaintext = try input.read(context)
        var request = Flygate_Secrets_V1_EncryptRequest()
        request.appName = target.app
        request.secretName = target.name
        if let version = input.minVersion.minVersion { request.minVersion = version }
        request.body.plaintext = ByteString.integers(plaintext)
        if let associatedData = try associatedData.read(context) { request.body.associatedData = ByteString.integers(associatedData) }
        return try await SecretRedaction.scrubbing(SecretRedaction.forms(of: plaintext)) {
            let response = try await client.encrypt(request, options: context.options())
            return try context.renderBytes(response, member: "ciphertext")
        }
    }
}

/// `flygate secrets decrypt APP NAME`: ciphertext in, plaintext out.
package struct SecretsDecryptCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "decrypt", abstract: "Decrypt stdin (or --in) with a secret key; write the plaintext's raw bytes to stdout.",
        discussion: """
            The plaintext goes to stdout only, never to stderr or an error message. With --json the \
            answer is printed as Fly's JSON instead of raw bytes.

            Example: flygate secrets decrypt my-app sealing --in notes.sealed > notes.txt
            """)

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var input: CryptoInputOptions
    @OptionGroup package var associatedData: AssociatedDataOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try input.checkOneStandardInput(associatedData.associatedDataFile, option: "--associated-data-file") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Secrets_V1_DecryptRequest()
        request.appName = target.app
        request.secretName = target.name
        if let version = input.minVersion.minVersion { request.minVersion = version }
        request.body.ciphertext = ByteString.integers(try input.read(context))
        if let associatedData = try associatedData.read(context) { request.body.associatedData = ByteString.integers(associatedData) }
        let response = try await client.decrypt(request, options: context.options())
        return try context.renderBytes(response, member: "plaintext")
    }
}

/// `flygate secrets sign APP NAME`: payload in, signature out.
package struct SecretsSignCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign stdin (or --in) with a secret key; write the signature's raw bytes to stdout.",
        discussion: "The payload is never printed, nor put in an error message. Example: flygate secrets sign my-app signing --in release.tar > release.sig")

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var input: CryptoInputOptions
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let payload = try input.read(context)
        var request = Flygate_Secrets_V1_SignRequest()
        request.appName = target.app
        request.secretName = target.name
        if let version = input.minVersion.minVersion { request.minVersion = version }
        request.body.plaintext = ByteString.integers(payload)
        return try await SecretRedaction.scrubbing(SecretRedaction.forms(of: payload)) {
            let response = try await client.sign(request, options: context.options())
            return try context.renderBytes(response, member: "signature")
        }
    }
}

/// `flygate secrets verify APP NAME --signature-file FILE`.
package struct SecretsVerifyCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a signature of stdin (or --in) with a secret key.",
        discussion: """
            Exits 0 and prints `signature valid` when Fly accepts the signature; otherwise fails with \
            the status Fly answered and its exit code. The payload is never printed, nor put in an \
            error message.

            Example: flygate secrets verify my-app signing --in release.tar --signature-file release.sig
            """)

    @OptionGroup package var target: SecretTarget
    @OptionGroup package var input: CryptoInputOptions
    @Option(help: ArgumentHelp("The signature's raw bytes, as `sign` wrote them.", valueName: "file"))
    package var signatureFile: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws { try input.checkOneStandardInput(signatureFile, option: "--signature-file") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let payload = try input.read(context)
        var request = Flygate_Secrets_V1_VerifyRequest()
        request.appName = target.app
        request.secretName = target.name
        if let version = input.minVersion.minVersion { request.minVersion = version }
        request.body.plaintext = ByteString.integers(payload)
        request.body.signature = ByteString.integers(try InputFile.read(signatureFile, option: "--signature-file", from: context.standardInput))
        return try await SecretRedaction.scrubbing(SecretRedaction.forms(of: payload)) {
            let response = try await client.verify(request, options: context.options())
            return context.render(response) { "signature valid\n" }
        }
    }
}
