import ArgumentParser
import FlyMachinesProto
import Foundation

/// `flygate machines exec APP MACHINE -- CMD ARGS…`: runs a command in the machine.
package struct MachinesExecCommand: MachinesVerb {
    package static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command in a machine; print its output and exit with its exit code.",
        discussion: """
            The command's stdout and stderr are printed as they came back, and flygate exits with the \
            command's exit code (128+N when signal N killed it). With --json the whole answer \
            ({exit_code, stdout, stderr, ...}) is printed and flygate exits 0.

            Example: flygate machines exec my-app d8d9e1e5c43e08 --timeout 30 -- sh -c 'echo hi; exit 3'
            Example: echo hello | flygate machines exec my-app d8d9e1e5c43e08 --stdin-file - -- cat
            """)

    @OptionGroup package var target: MachineTarget
    @Option(help: "Seconds the command may run (Fly's limit applies).") package var timeout: Int64?
    @Option(help: "Run in this container of the machine.") package var container: String?
    @Option(help: ArgumentHelp("Send this file as the command's stdin; `-` reads flygate's own stdin.", valueName: "file"))
    package var stdinFile: String?
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after `--`.") package var command: [String] = []
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions

    package init() {}
    package var callDeadline: Duration { .seconds(30 + (timeout ?? 30)) }

    package func validate() throws {
        guard let first = argv.first, !first.isEmpty else {
            throw ValidationError("give the command to run after `--`, e.g. flygate machines exec APP MACHINE -- ls -l /")
        }
        if let timeout, timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }

    /// The command line to run, without a leading `--`.
    package var argv: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    /// The Exec request; `stdin` is the text to send, if any.
    package func request(stdin: String?) -> Flygate_Machines_V1_ExecRequest {
        var request = Flygate_Machines_V1_ExecRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.body.command = argv
        if let timeout { request.body.timeout = timeout }
        if let container { request.body.container = container }
        if let stdin { request.body.stdin = stdin }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.exec(request(stdin: try readStdin()), options: lease.carried(in: context.options()))
        if context.json { return CLIOutput(stdout: PrettyJSON.render(response.restBody)) }
        return Self.output(of: response.body)
    }

    /// The command's output and exit code as flygate's own.
    package static func output(of body: Flygate_Machines_V1_ExecResponseBody) -> CLIOutput {
        let code: Int32
        if body.hasExitSignal, body.exitSignal > 0 {
            code = 128 + Int32(clamping: body.exitSignal)
        } else {
            code = Int32(clamping: body.exitCode)
        }
        return CLIOutput(stdout: body.stdout, stderr: body.stderr, exitCode: code & 0xFF == code ? code : 1)
    }

    private func readStdin() throws -> String? {
        guard let stdinFile else { return nil }
        let data: Data
        if stdinFile == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: stdinFile) else {
                throw ValidationError("cannot read --stdin-file \(stdinFile)")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--stdin-file must be UTF-8 text (Fly's exec takes stdin as a JSON string)")
        }
        return text
    }
}
