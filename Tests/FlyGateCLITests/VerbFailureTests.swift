import FlyGateWire
import Testing

@testable import FlyGateCLI

@Suite("A failed call of any group exits as for machines", .timeLimit(.minutes(1)))
struct VerbFailureTests {
    /// One verb of each group, and the verbs that read a secret.
    static let commandLines: [[String]] = [
        ["apps", "show", "my-app"], ["ips", "release", "my-app", "1.2.3.4"], ["volumes", "show", "my-app", "vol_1"],
        ["volumes", "org-list", "acme"], ["secrets", "list", "my-app"], ["secrets", "set", "my-app", "TOKEN"],
        ["secrets", "keys", "delete", "my-app", "k"], ["secrets", "decrypt", "my-app", "k"],
        ["certs", "show", "my-app", "www.example.com"], ["regions", "list"],
    ]

    @Test("NOT_FOUND is one line on stderr and exit code 3", arguments: commandLines)
    func notFound(arguments: [String]) async throws {
        let output = try await failure(of: arguments, RPCError(code: .notFound, message: "not found"), stdin: .text("value"))
        #expect(output == CLIOutput(stderr: "flygate: NOT_FOUND: not found\n", exitCode: 3))
    }

    @Test("PERMISSION_DENIED is one line on stderr and exit code 7", arguments: commandLines)
    func permissionDenied(arguments: [String]) async throws {
        let output = try await failure(of: arguments, RPCError(code: .permissionDenied, message: "uid 1000 may not call this"), stdin: .text("value"))
        #expect(output == CLIOutput(stderr: "flygate: PERMISSION_DENIED: uid 1000 may not call this\n", exitCode: 7))
    }
}
