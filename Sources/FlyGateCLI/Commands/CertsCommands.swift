import ArgumentParser
import FlyMachinesProto

/// `flygate certs`: one verb per rpc of flygate.certificates.v1.Certificates (delete covers three).
package struct CertsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Add, import, check, show and remove an app's TLS certificates through the flygate daemon.",
        discussion: """
            The rpcs of flygate.certificates.v1.Certificates. HOSTNAME is the certificate's host name. \
            Output, --json and exit codes are as for `flygate machines` (see `flygate machines --help`).

            Examples:
              flygate certs add my-app www.example.com
              flygate certs check my-app www.example.com
              flygate certs import my-app www.example.com --fullchain-file fullchain.pem --key-file privkey.pem
              flygate certs delete my-app www.example.com --custom-only
            """,
        subcommands: [
            CertsListCommand.self, CertsAddCommand.self, CertsImportCommand.self, CertsShowCommand.self,
            CertsCheckCommand.self, CertsDeleteCommand.self,
        ])

    package init() {}
}

/// The APP and HOSTNAME positionals of the verbs on one certificate.
package struct CertificateTarget: ParsableArguments {
    @Argument(help: "The Fly app's name.")
    package var app: String

    @Argument(help: "The certificate's host name, e.g. www.example.com.")
    package var hostname: String

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        try ResourceName.validate(hostname, as: "HOSTNAME")
    }
}

/// `flygate certs list APP`.
package struct CertsListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an app's certificates, one page (HOSTNAME, STATUS, SOURCE, CONFIGURED, CREATED).",
        discussion: "Pass the printed cursor back with --cursor for the next page. Example: flygate certs list my-app --filter example.com")

    @Argument(help: "The Fly app's name.") package var app: String
    @Option(help: "Only host names containing this text.") package var filter: String?
    @Option(help: "At most this many (Fly's default 25, at most 500).") package var limit: Int64?
    @Option(help: "The cursor of the previous page.") package var cursor: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Certificates_V1_ListCertificatesRequest()
        request.appName = app
        if let filter { request.filter = filter }
        if let limit { request.limit = limit }
        if let cursor { request.cursor = cursor }
        let response = try await client.listCertificates(request, options: context.options())
        return context.render(response) { CertificateFormatter.table(response.body) }
    }
}

/// `flygate certs add APP HOSTNAME`: a certificate Fly obtains over ACME.
package struct CertsAddCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Ask Fly for an ACME (Let's Encrypt) certificate for a host name; prints the DNS records to set.",
        discussion: "Example: flygate certs add my-app www.example.com && flygate certs check my-app www.example.com")

    @OptionGroup package var target: CertificateTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Certificates_V1_CreateAcmeCertificateRequest()
        request.appName = target.app
        request.body.hostname = target.hostname
        let response = try await client.createAcmeCertificate(request, options: context.options())
        return context.render(response) { CertificateFormatter.detail(response.body) }
    }
}

/// `flygate certs import APP HOSTNAME --fullchain-file F --key-file F`: your own certificate.
package struct CertsImportCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Upload your own certificate: the PEM chain and private key are read from files, never from the command line.",
        discussion: """
            The private key is never printed, nor put in an error message; --json leaves out any \
            private_key member. `-` reads one of the two files from stdin (not from a terminal for \
            the key).

            Example: flygate certs import my-app www.example.com --fullchain-file fullchain.pem --key-file privkey.pem
            """)

    @OptionGroup package var target: CertificateTarget
    @Option(help: ArgumentHelp("The certificate chain, leaf first, as PEM.", valueName: "file")) package var fullchainFile: String
    @Option(help: ArgumentHelp("The private key as PEM.", valueName: "file")) package var keyFile: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        if fullchainFile == "-", keyFile == "-" { throw ValidationError("--fullchain-file and --key-file cannot both be stdin") }
    }

    /// The CreateCustomCertificate request for a chain and key.
    package func request(fullchain: String, privateKey: String) -> Flygate_Certificates_V1_CreateCustomCertificateRequest {
        var request = Flygate_Certificates_V1_CreateCustomCertificateRequest()
        request.appName = target.app
        request.body.hostname = target.hostname
        request.body.fullchain = fullchain
        request.body.privateKey = privateKey
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let chain = try InputFile.read(fullchainFile, option: "--fullchain-file", from: context.standardInput)
        let key = try InputFile.read(keyFile, option: "--key-file", from: context.standardInput, sensitive: true)
        guard let fullchain = String(validating: chain, as: UTF8.self), !fullchain.isEmpty else {
            throw CLIFailure.badInput("--fullchain-file must be PEM text")
        }
        guard let privateKey = String(validating: key, as: UTF8.self), !privateKey.isEmpty else {
            throw CLIFailure.badInput("--key-file must be PEM text")
        }
        return try await SecretRedaction.scrubbing(SecretRedaction.forms(ofPEM: privateKey)) {
            let response = try await client.createCustomCertificate(request(fullchain: fullchain, privateKey: privateKey), options: context.options())
            return context.renderRedacted(response) { CertificateFormatter.detail(response.body) }
        }
    }
}

/// `flygate certs show APP HOSTNAME`.
package struct CertsShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a certificate: status, issued certificates, the DNS records it needs, validation errors.")

    @OptionGroup package var target: CertificateTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Certificates_V1_ShowCertificateRequest()
        request.appName = target.app
        request.hostname = target.hostname
        let response = try await client.showCertificate(request, options: context.options())
        return context.render(response) { CertificateFormatter.detail(response.body) }
    }
}

/// `flygate certs check APP HOSTNAME`: Fly looks at DNS again.
package struct CertsCheckCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Have Fly check the host name's DNS and validate the certificate again; prints what it found.")

    @OptionGroup package var target: CertificateTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Certificates_V1_CheckCertificateRequest()
        request.appName = target.app
        request.hostname = target.hostname
        let response = try await client.checkCertificate(request, options: context.options())
        return context.render(response) { CertificateFormatter.check(response.body) }
    }
}

/// `flygate certs delete APP HOSTNAME [--acme-only | --custom-only]`.
package struct CertsDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Remove a host name's certificates: all of them, or only the ACME or only the custom one.",
        discussion: "Example: flygate certs delete my-app www.example.com --custom-only")

    @OptionGroup package var target: CertificateTarget
    @Flag(help: "Remove only the certificates Fly obtained over ACME.") package var acmeOnly = false
    @Flag(help: "Remove only the certificate you imported.") package var customOnly = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        if acmeOnly, customOnly { throw ValidationError("give at most one of --acme-only and --custom-only") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        if acmeOnly {
            var request = Flygate_Certificates_V1_DeleteAcmeCertificateRequest()
            request.appName = target.app
            request.hostname = target.hostname
            let response = try await client.deleteAcmeCertificate(request, options: context.options())
            return context.render(response) { "removed the ACME certificates of \(target.hostname)\n" }
        }
        if customOnly {
            var request = Flygate_Certificates_V1_DeleteCustomCertificateRequest()
            request.appName = target.app
            request.hostname = target.hostname
            let response = try await client.deleteCustomCertificate(request, options: context.options())
            return context.render(response) {
                var text = "removed the custom certificate of \(target.hostname)\n"
                if response.body.hasWarning, !response.body.warning.isEmpty {
                    text += "warning: \(TableFormatter.sanitized(response.body.warning))\n"
                }
                return text
            }
        }
        var request = Flygate_Certificates_V1_DeleteCertificateRequest()
        request.appName = target.app
        request.hostname = target.hostname
        let response = try await client.deleteCertificate(request, options: context.options())
        return context.render(response) { "removed \(target.hostname) and its certificates from \(target.app)\n" }
    }
}
