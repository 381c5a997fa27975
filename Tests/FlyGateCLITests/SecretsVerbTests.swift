import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

@testable import FlyGateCLI

/// A value no output may show.
let secretValue = "hunter2-\(UInt32.random(in: 0...UInt32.max))"

/// Everything a verb printed, as one text, for "the secret is nowhere" checks.
func everything(_ output: CLIOutput) -> String {
    output.stdout + String(decoding: output.stdoutBytes, as: UTF8.self) + output.stderr
}

@Suite("secrets verbs against a fake client", .timeLimit(.minutes(1)))
struct SecretsVerbTests {
    @Test("set reads the value from stdin, drops one trailing newline, and prints no value")
    func setFromStdin() async throws {
        let answer = try json(#"{"name": "TOKEN", "digest": "d1g3st", "value": "\#(secretValue)", "version": 4, "Version": 4}"#)
        let client = FakeMachinesClient([.createSecret: [.body(answer)]])
        let output = try await run(["secrets", "set", "my-app", "TOKEN"], on: client, stdin: .text(secretValue + "\n"))
        let request = try #require(client.requests(Flygate_Secrets_V1_CreateSecretRequest.self).first)
        #expect(request.appName == "my-app" && request.secretName == "TOKEN")
        #expect(request.body.jsonValue() == ["value": .string(secretValue)])
        #expect(output.stdout == "set secret TOKEN on my-app, version 4, digest d1g3st\n")
        let jsonOutput = try await run(["secrets", "set", "my-app", "TOKEN", "--json"], on: client, json: true, stdin: .text(secretValue))
        #expect(!everything(output).contains(secretValue) && !everything(jsonOutput).contains(secretValue))
        #expect(try JSONValue(parsing: jsonOutput.stdout)["digest"] == "d1g3st")
    }

    @Test("set keeps a trailing newline when asked, and reads --value-file")
    func setFromFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flygate-secret-\(UUID().uuidString)").path
        try Data((secretValue + "\n").utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = FakeMachinesClient()
        _ = try await run(["secrets", "set", "my-app", "TOKEN", "--value-file", path, "--keep-trailing-newline"], on: client)
        #expect(client.requests(Flygate_Secrets_V1_CreateSecretRequest.self).first?.body.value == secretValue + "\n")
    }

    @Test("there is no way to give a secret value on the command line", arguments: [
        ["secrets", "set", "my-app", "TOKEN", "s3cret"], ["secrets", "set", "my-app", "TOKEN", "--value", "s3cret"],
        ["secrets", "set", "my-app", "TOKEN=s3cret"], ["secrets", "import", "my-app", "TOKEN=s3cret"],
        ["secrets", "keys", "set", "my-app", "k", "--type", "hs256", "s3cret"],
        ["secrets", "keys", "set", "my-app", "k", "--type", "hs256", "--value", "s3cret"],
        ["certs", "import", "my-app", "example.com", "--fullchain-file", "c.pem", "--key-file", "k.pem", "--private-key", "s3cret"],
    ])
    func noValueOnTheCommandLine(arguments: [String]) {
        #expect(usageError(arguments) != nil, "\(arguments) parsed")
    }

    @Test("a secret is not read from a terminal, where it would be echoed", arguments: [
        (["secrets", "set", "my-app", "TOKEN"], "--value-file"), (["secrets", "import", "my-app"], "--from-file"),
        (["secrets", "keys", "set", "my-app", "k", "--type", "hs256"], "--key-file"),
        (["certs", "import", "my-app", "h", "--fullchain-file", "/dev/null", "--key-file", "-"], "--key-file"),
    ])
    func refusesTerminal(arguments: [String], option: String) async throws {
        let client = FakeMachinesClient()
        let terminal = StandardInput(isTerminal: true) { Array(secretValue.utf8) }
        let refusal = CLIFailure.badInput("not reading a secret from the terminal (it would be echoed): pipe it in, or give \(option) FILE")
        await #expect(throws: refusal) { _ = try await run(arguments, on: client, stdin: terminal) }
        #expect(MachinesCommandContext.failure(refusal).exitCode == ExitStatus.usage)
        #expect(client.calls.isEmpty)
    }

    @Test("an empty value is refused before any call")
    func refusesEmpty() async throws {
        let client = FakeMachinesClient()
        await #expect(throws: CLIFailure.badInput("the value is empty: nothing was read")) {
            _ = try await run(["secrets", "set", "my-app", "TOKEN"], on: client, stdin: .text("\n"))
        }
        #expect(client.calls.isEmpty)
    }

    @Test("an error message that quotes the value shows [redacted] instead")
    func redactsErrors() async throws {
        let output = try await failure(
            of: ["secrets", "set", "my-app", "TOKEN"], RPCError(code: .invalidArgument, message: "value \"\(secretValue)\" is too weak"),
            stdin: .text(secretValue))
        #expect(output == CLIOutput(stderr: "flygate: INVALID_ARGUMENT: value \"[redacted]\" is too weak\n", exitCode: 8))
    }

    @Test("list prints names and digests; --json drops any value member")
    func list() async throws {
        let body = try json(#"""
            {"secrets": [{"name": "TOKEN", "digest": "d1", "created_at": "2026-02-21T08:12:44Z", "updated_at": "2026-02-22T08:12:44Z", "value": "\#(secretValue)"},
                         {"name": "URL", "digest": "d2"}]}
            """#)
        let client = FakeMachinesClient([.listSecrets: [.body(body)]])
        let output = try await run(["secrets", "list", "my-app", "--min-version", "3"], on: client)
        let request = try #require(client.requests(Flygate_Secrets_V1_ListSecretsRequest.self).first)
        #expect(request.appName == "my-app" && request.minVersion == "3")
        #expect(output.stdout == """
            NAME   DIGEST  CREATED               UPDATED
            TOKEN  d1      2026-02-21T08:12:44Z  2026-02-22T08:12:44Z
            URL    d2      -                     -

            """)
        let jsonOutput = try await run(["secrets", "list", "my-app", "--json"], on: client, json: true)
        #expect(!jsonOutput.stdout.contains(secretValue))
        #expect(try JSONValue(parsing: jsonOutput.stdout)["secrets"]?.arrayValue?.first == (try json(#"""
            {"name": "TOKEN", "digest": "d1", "created_at": "2026-02-21T08:12:44Z", "updated_at": "2026-02-22T08:12:44Z"}
            """#)))
    }

    @Test("show prints the digest and times, never the value")
    func show() async throws {
        let client = FakeMachinesClient([.getSecret: [.body(try json(#"{"name": "TOKEN", "digest": "d1", "value": "\#(secretValue)"}"#))]])
        let output = try await run(["secrets", "show", "my-app", "TOKEN"], on: client)
        #expect(client.requests(Flygate_Secrets_V1_GetSecretRequest.self).first?.secretName == "TOKEN")
        #expect(output.stdout == "name    TOKEN\ndigest  d1\n")
    }

    @Test("import sends NAME=VALUE lines and --unset names as null in one change")
    func importLines() async throws {
        let client = FakeMachinesClient([.updateSecrets: [.body(try json(#"{"secrets": [], "version": 9}"#))]])
        let input = "# production\nTOKEN=\(secretValue)\r\n\nURL=postgres://u:p@h/db?x=1\nEMPTY=\n"
        let output = try await run(["secrets", "import", "my-app", "--unset", "OLD"], on: client, stdin: .text(input))
        let request = try #require(client.requests(Flygate_Secrets_V1_UpdateSecretsRequest.self).first)
        #expect(request.appName == "my-app")
        #expect(request.body.jsonValue() == (try json(#"""
            {"values": {"TOKEN": "\#(secretValue)", "URL": "postgres://u:p@h/db?x=1", "EMPTY": "", "OLD": null}}
            """#)))
        #expect(output.stdout == "updated secrets on my-app: 3 set, 1 unset, version 9\n")
        #expect(!everything(output).contains(secretValue))
    }

    @Test("a bad import line is named by its number, never shown", arguments: [
        ("A=1\n\(secretValue)\n", "line 2: expected NAME=VALUE"),
        ("A=1\nmy \(secretValue)=x\n", "line 2: the name before `=`"),
        ("A=1\nA=\(secretValue)\n", "line 2: the name was given on an earlier line too"),
    ])
    func badImportLine(input: String, expected: String) async throws {
        let client = FakeMachinesClient()
        do {
            _ = try await run(["secrets", "import", "my-app"], on: client, stdin: .text(input))
            Issue.record("the import did not fail")
        } catch {
            let message = "\(error)"
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains(secretValue))
        }
        #expect(client.calls.isEmpty)
    }

    @Test("unset sends each name as null")
    func unset() async throws {
        let client = FakeMachinesClient()
        let output = try await run(["secrets", "unset", "my-app", "A", "B"], on: client)
        let request = try #require(client.requests(Flygate_Secrets_V1_UpdateSecretsRequest.self).first)
        #expect(request.body.jsonValue() == (try json(#"{"values": {"A": null, "B": null}}"#)))
        #expect(output.stdout == "unset 2 secrets on my-app\n")
    }

    @Test("delete names the secret and prints the new version")
    func delete() async throws {
        let client = FakeMachinesClient([.deleteSecret: [.body(try json(#"{"version": 5, "Version": 5}"#))]])
        let output = try await run(["secrets", "delete", "my-app", "TOKEN"], on: client)
        #expect(client.requests(Flygate_Secrets_V1_DeleteSecretRequest.self).first?.secretName == "TOKEN")
        #expect(output.stdout == "deleted secret TOKEN from my-app, version 5\n")
    }
}
