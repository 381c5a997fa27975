import ArgumentParser
import FlyGateWire
import Testing

@testable import FlyGateCLI

@Suite("Exit codes and error lines")
struct ExitStatusTests {
    @Test("every status maps to its documented exit code", arguments: [
        (RPCStatusCode.ok, Int32(0)), (.notFound, 3), (.failedPrecondition, 4), (.aborted, 4), (.alreadyExists, 4),
        (.unavailable, 5), (.deadlineExceeded, 6), (.permissionDenied, 7), (.unauthenticated, 7),
        (.invalidArgument, 8), (.outOfRange, 8), (.resourceExhausted, 9), (.internalError, 1), (.unknown, 1),
        (.cancelled, 1), (.unimplemented, 1), (.dataLoss, 1),
    ])
    func mapsStatus(code: RPCStatusCode, exit: Int32) {
        #expect(ExitStatus.code(for: code) == exit)
    }

    @Test("the help table names every exit code the mapping can give")
    func helpTableIsComplete() {
        let codes = Set(RPCStatusCode.allCases.map(ExitStatus.code(for:)))
        for code in codes {
            #expect(ExitStatus.helpTable.contains("  \(code) "), "exit code \(code) is not documented")
        }
        #expect(ExitStatus.helpTable.contains("64"))
    }

    @Test("a status becomes one line on stderr and its exit code")
    func statusLine() {
        let output = MachinesCommandContext.failure(RPCError(code: .notFound, message: "machine not found"))
        #expect(output == CLIOutput(stderr: "flygate: NOT_FOUND: machine not found\n", exitCode: 3))
    }

    @Test("a multi-line message from upstream stays on one line")
    func oneLine() {
        let output = MachinesCommandContext.failure(RPCError(code: .internalError, message: "a\nb\u{1B}c"))
        #expect(output.stderr == "flygate: INTERNAL: a b?c\n")
    }

    @Test("a daemon that is not running gets a hint with the socket path")
    func daemonDown() {
        let output = MachinesCommandContext.failure(
            DaemonUnreachable(error: RPCError(code: .unavailable, message: "cannot connect to /tmp/x.sock"), socketPath: "/tmp/x.sock"))
        #expect(output.exitCode == 5)
        #expect(output.stderr == "flygate: UNAVAILABLE: cannot connect to /tmp/x.sock (is `flygate serve` running? socket: /tmp/x.sock)\n")
    }

    @Test("connecting to a socket nobody listens on fails with the hint and exit code 5")
    func connectFails() async throws {
        let path = "/tmp/flygate-cli-test-\(UInt32.random(in: 0...UInt32.max)).sock"
        let context = MachinesCommandContext(socketPath: path)
        await #expect(throws: ExitCode(5)) {
            try await context.run { _ in CLIOutput(stdout: "never") }
        }
    }
}
