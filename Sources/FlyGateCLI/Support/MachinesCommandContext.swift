import ArgumentParser
import FlyGateClient
import FlyGateWire
import FlyMachinesProto
import Foundation

/// A `flygate machines` verb: options in, a request out, an answer rendered as text.
package protocol MachinesVerb: AsyncParsableCommand {
    /// `--socket`, `--json`.
    var global: MachinesGlobalOptions { get }
    /// How long to wait for the daemon's answer.
    var callDeadline: Duration { get }
    /// Makes the call(s) on `client` and renders the answer; throws the call's error.
    func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput
}

extension MachinesVerb {
    /// Connects, runs the verb, prints its output and exits with its code.
    package func run() async throws {
        let context = MachinesCommandContext(global: global, callDeadline: callDeadline)
        try await context.run { client in try await self.execute(on: client, context: context) }
    }
}

/// A verb whose call deadline is its `--timeout` option.
package protocol MachinesTimedVerb: MachinesVerb {
    var deadline: CallTimeoutOption { get }
}

extension MachinesTimedVerb {
    package var callDeadline: Duration { deadline.duration }
}

/// What every verb shares: where the daemon is, the deadline, JSON or text, and the one place
/// where an error becomes a message and an exit code.
package struct MachinesCommandContext: Sendable {
    /// The socket given with `--socket`; nil for the default rule.
    package var socketPath: String?
    /// Print JSON instead of text.
    package var json: Bool
    /// The call deadline.
    package var callDeadline: Duration
    /// The environment the default socket path is read from.
    package var environment: [String: String]
    /// Progress on standard error for long waits.
    package var progress: ProgressLine
    /// Where verbs that read input (secret values, plaintexts) read it when no file is named.
    package var standardInput: StandardInput

    /// A context from the verb's options and this process's environment and terminal.
    package init(global: MachinesGlobalOptions, callDeadline: Duration) {
        self.init(
            socketPath: global.socket, json: global.json, callDeadline: callDeadline,
            environment: ProcessInfo.processInfo.environment,
            progress: ProgressLine(enabled: !global.json && Terminal.standardErrorIsTerminal),
            standardInput: .process)
    }

    /// A context from its parts (tests: no terminal, an empty environment, empty input).
    package init(
        socketPath: String? = nil, json: Bool = false, callDeadline: Duration = .seconds(30),
        environment: [String: String] = [:], progress: ProgressLine = ProgressLine(enabled: false),
        standardInput: StandardInput = .bytes([])
    ) {
        self.socketPath = socketPath
        self.json = json
        self.callDeadline = callDeadline
        self.environment = environment
        self.progress = progress
        self.standardInput = standardInput
    }

    /// Call options with the context's deadline, or `timeout` when given.
    package func options(timeout: Duration? = nil) -> MachinesCallOptions {
        MachinesCallOptions(timeout: timeout ?? callDeadline)
    }

    /// The socket this context connects to.
    package var resolvedSocketPath: String { socketPath ?? SocketPath.default(environment: environment) }

    /// `--json`: the response's body as Fly's JSON; otherwise the `text` rendering.
    package func render<Response: MachinesRPCResponse>(_ response: Response, text: () -> String) -> CLIOutput {
        json ? CLIOutput(stdout: PrettyJSON.render(response.restBody)) : CLIOutput(stdout: text())
    }

    /// `--json`: the response's body as Fly's JSON; otherwise its member `member` (bytes, as
    /// an array or base64) written raw to stdout.
    package func renderBytes<Response: MachinesRPCResponse>(_ response: Response, member: String) throws -> CLIOutput {
        if json { return render(response) { "" } }
        return CLIOutput(stdoutBytes: try ByteString.member(member, of: response.restBody))
    }

    /// Connects to the daemon, runs `body`, prints its output, and exits with its code (or the
    /// error's). Usage errors are rethrown for ArgumentParser to report.
    package func run(_ body: (RPCClient) async throws -> CLIOutput) async throws {
        let output = try await perform(body)
        Terminal.write(output)
        if output.exitCode != 0 { throw ExitCode(output.exitCode) }
    }

    /// Connects to the daemon and runs `body`; any error but a usage error becomes the output
    /// (one line on stderr, the status's exit code). Prints nothing.
    package func perform(_ body: (RPCClient) async throws -> CLIOutput) async throws -> CLIOutput {
        do {
            let client: RPCClient
            do {
                client = try await RPCClient.connect(path: socketPath, environment: environment)
            } catch let error as RPCError where error.code == .unavailable {
                throw DaemonUnreachable(error: error, socketPath: resolvedSocketPath)
            }
            do {
                let output = try await body(client)
                await client.close()
                return output
            } catch {
                await client.close()
                throw error
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            return Self.failure(error)
        }
    }

    /// The one-line message and exit code for any error a verb throws.
    package static func failure(_ error: any Error) -> CLIOutput {
        switch error {
        case let error as DaemonUnreachable:
            return CLIOutput(
                stderr: "flygate: \(error.error.code.name): \(error.error.message)"
                    + " (is `flygate serve` running? socket: \(error.socketPath))\n",
                exitCode: ExitStatus.code(for: error.error.code))
        case let error as RPCError:
            return CLIOutput(stderr: "flygate: \(error.code.name): \(oneLine(error.message))\n", exitCode: ExitStatus.code(for: error.code))
        case let error as CLIFailure:
            return CLIOutput(stderr: "flygate: \(oneLine(error.message))\n", exitCode: error.exitCode)
        default:
            return CLIOutput(stderr: "flygate: \(oneLine(String(describing: error)))\n", exitCode: 1)
        }
    }

    private static func oneLine(_ text: String) -> String {
        TableFormatter.sanitized(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}

/// The daemon's socket did not answer.
package struct DaemonUnreachable: Error {
    /// The connect error (UNAVAILABLE).
    package var error: RPCError
    /// Where we looked.
    package var socketPath: String
}

/// A failure of the CLI itself (a file it could not read, an answer it could not use).
package struct CLIFailure: Error, Equatable {
    /// What went wrong, one line.
    package var message: String
    /// The exit code; 1 unless said otherwise.
    package var exitCode: Int32

    /// A failure that exits with `exitCode`.
    package init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// Input a verb read once it ran (stdin, a file) that it cannot use: a usage error, but one
    /// line without the usage text, which would only repeat the options.
    package static func badInput(_ message: String) -> CLIFailure {
        CLIFailure(message, exitCode: ExitStatus.usage)
    }
}
