import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

/// Parses a `flygate machines …` command line into its verb.
func verb(_ arguments: [String]) throws -> any MachinesVerb {
    try #require(try MachinesCommand.parseAsRoot(arguments) as? any MachinesVerb)
}

@Suite("Machines verbs against a fake client")
struct MachinesVerbTests {
    @Test("list sends the filters it was given and prints a table")
    func list() async throws {
        let client = FakeMachinesClient([.list: [.body(try json("[\(machineJSON)]"))]])
        let output = try await verb(["list", "my-app", "--region", "iad", "--state", "started", "--include-deleted"])
            .execute(on: client, context: MachinesCommandContext())
        let request = try #require(client.requests(Flygate_Machines_V1_ListRequest.self).first)
        #expect(request.appName == "my-app" && request.region == "iad" && request.state == "started")
        #expect(request.includeDeleted && !request.hasSummary)
        #expect(output.stdout.hasPrefix("ID              NAME            STATE    REGION  IMAGE       UPDATED\n"))
        #expect(output.exitCode == 0)
    }

    @Test("--json prints Fly's JSON of the body, members no schema names included")
    func showJSON() async throws {
        let client = FakeMachinesClient([.show: [.body(try json(machineJSON))]])
        let output = try await verb(["show", "my-app", "d8d9e1e5c43e08", "--json"])
            .execute(on: client, context: MachinesCommandContext(json: true))
        #expect(try JSONValue(parsing: output.stdout) == json(machineJSON))
        #expect(output.stdout.contains("\n  \"future_top_level_member\": {\n    \"rollout\": \"blue\"\n  }\n}\n"))
    }

    @Test("start prints one line with the previous state")
    func start() async throws {
        let client = FakeMachinesClient([.start: [.body(try json(#"{"previous_state":"stopped","migrated":false,"new_host":""}"#))]])
        let output = try await verb(["start", "my-app", "d8d9e1e5c43e08", "--lease-nonce", "abc"])
            .execute(on: client, context: MachinesCommandContext())
        #expect(output.stdout == "started d8d9e1e5c43e08 (previous state: stopped)\n")
        #expect(client.requests(Flygate_Machines_V1_StartRequest.self).first?.leaseNonce == "abc")
    }

    @Test("stop sends signal and timeout in the body and waits longer than the stop timeout")
    func stop() async throws {
        let stop = try verb(["stop", "my-app", "m1", "--signal", "term", "--timeout", "45"])
        let client = FakeMachinesClient()
        let output = try await stop.execute(on: client, context: MachinesCommandContext())
        let request = try #require(client.requests(Flygate_Machines_V1_StopRequest.self).first)
        #expect(request.body.signal == "SIGTERM" && request.body.timeout == "45s")
        #expect(!request.hasLeaseNonce)
        #expect(stop.callDeadline > .seconds(45))
        #expect(output.stdout == "stopping m1 (SIGTERM)\n")
    }

    @Test("stop without options sends no body at all")
    func stopWithoutBody() async throws {
        let client = FakeMachinesClient()
        _ = try await verb(["stop", "my-app", "m1"]).execute(on: client, context: MachinesCommandContext())
        #expect(client.requests(Flygate_Machines_V1_StopRequest.self).first?.hasBody == false)
    }

    @Test("update without --config changes only the given fields and keeps everything else")
    func updateKeepsTheRest() async throws {
        let client = FakeMachinesClient([
            .show: [.body(try json(machineJSON))], .update: [.body(try json(machineJSON))],
        ])
        let output = try await verb(["update", "my-app", "d8d9e1e5c43e08", "--env", "NEW=1", "--env", "PORT=9090", "--memory-mb", "512"])
            .execute(on: client, context: MachinesCommandContext())
        #expect(client.calls.map(\.rpc) == [.show, .update])
        let request = try #require(client.requests(Flygate_Machines_V1_UpdateRequest.self).first)
        #expect(!request.body.hasCurrentVersion)
        let sent = request.body.config.jsonValue()
        var expected = try json(machineJSON)["config"]!.objectValue!
        expected["env"] = try json(#"{"PORT": "9090", "LOG_LEVEL": "info", "NEW": "1"}"#)
        expected["guest"] = try json(#"{"cpu_kind": "shared", "cpus": 1, "memory_mb": 512, "future_guest_flag": true}"#)
        #expect(sent == .object(expected))
        #expect(output.stdout == "updated d8d9e1e5c43e08 (quiet-sun-4521) in iad, state started, version 01HQ73A7BFFDF1B6WMGHFZZ4E7\n")
    }

    @Test("update with a config file sends that config with the flags on top, without a show")
    func updateFromFile() async throws {
        let update = try #require(try verb(["update", "a", "m", "--image", "nginx:1.28", "--current-version", "v1"]) as? MachinesUpdateCommand)
        let file = try MachineConfigFlags.parseConfig(Array(#"{"image":"old","auto_destroy":true,"x_new":[1]}"#.utf8), source: "f.json")
        let request = update.request(base: file)
        #expect(request.body.config.jsonValue() == (try json(#"{"auto_destroy":true,"image":"nginx:1.28","x_new":[1]}"#)))
        #expect(request.body.currentVersion == "v1")
    }

    @Test("a config file that is not a MachineConfig is a usage error")
    func badConfigFile() {
        #expect(throws: (any Error).self) { try MachineConfigFlags.parseConfig(Array("[1,2]".utf8), source: "f.json") }
    }

    @Test("create builds the request from the flags and prints the lease nonce")
    func create() async throws {
        let client = FakeMachinesClient([
            .create: [.body(try json(#"{"id":"m9","name":"web","region":"iad","state":"created","nonce":"n0nce"}"#))],
        ])
        let output = try await verb([
            "create", "my-app", "--image", "nginx:1.27", "--env", "A=1", "--cpus", "2", "--region", "iad", "--skip-launch", "--lease-ttl", "30",
        ]).execute(on: client, context: MachinesCommandContext())
        let request = try #require(client.requests(Flygate_Machines_V1_CreateRequest.self).first)
        #expect(request.body.config.jsonValue() == (try json(#"{"env":{"A":"1"},"guest":{"cpus":2},"image":"nginx:1.27"}"#)))
        #expect(request.body.region == "iad" && request.body.skipLaunch && request.body.leaseTtl == 30)
        #expect(output.stdout == "created m9 (web) in iad, state created\nlease nonce: n0nce\n")
    }

    @Test("create without an image is a usage error")
    func createNeedsImage() async throws {
        await #expect(throws: (any Error).self) {
            _ = try await verb(["create", "my-app", "--env", "A=1"]).execute(on: FakeMachinesClient(), context: MachinesCommandContext())
        }
    }

    @Test("wait splits long timeouts into calls of at most 60 s and repeats while the wait times out")
    func waitRepeats() async throws {
        let client = FakeMachinesClient([
            .wait: [
                .failure(RPCError(code: .deadlineExceeded, message: "wait timed out")),
                .body(try json(#"{"ok":true,"state":"stopped","version":"v2"}"#)),
            ],
        ])
        let output = try await verb(["wait", "my-app", "m1", "--state", "stopped,suspended", "--state", "destroyed", "--timeout", "150"])
            .execute(on: client, context: MachinesCommandContext())
        let requests = client.requests(Flygate_Machines_V1_WaitRequest.self)
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.state == ["stopped", "suspended", "destroyed"] })
        #expect(requests.first?.timeout == 60)
        #expect(client.calls.allSatisfy { ($0.timeout ?? .zero) > .seconds(60) })
        #expect(output.stdout == "m1 is stopped (version v2)\n")
    }

    @Test("a wait that runs out of time fails with DEADLINE_EXCEEDED")
    func waitTimesOut() async throws {
        let client = FakeMachinesClient([.wait: [.failure(RPCError(code: .deadlineExceeded, message: "wait timed out"))]])
        await #expect(throws: RPCError.self) {
            _ = try await verb(["wait", "my-app", "m1", "--timeout", "5"]).execute(on: client, context: MachinesCommandContext())
        }
        #expect(client.calls.count == 1)
    }

    @Test("exec sends the command after -- and exits with its exit code", arguments: [
        (#"{"exit_code":3,"stdout":"hi\n","stderr":"oops\n"}"#, Int32(3)),
        (#"{"exit_code":0,"stdout":"hi\n","stderr":"oops\n"}"#, 0),
        (#"{"exit_code":-1,"exit_signal":9,"stdout":"hi\n","stderr":"oops\n"}"#, 137),
    ])
    func exec(body: String, exitCode: Int32) async throws {
        let client = FakeMachinesClient([.exec: [.body(try json(body))]])
        let output = try await verb(["exec", "my-app", "m1", "--timeout", "5", "--", "sh", "-c", "echo hi; exit 3"])
            .execute(on: client, context: MachinesCommandContext())
        let request = try #require(client.requests(Flygate_Machines_V1_ExecRequest.self).first)
        #expect(request.body.command == ["sh", "-c", "echo hi; exit 3"] && request.body.timeout == 5)
        #expect(output == CLIOutput(stdout: "hi\n", stderr: "oops\n", exitCode: exitCode))
    }

    @Test("metadata patch sets keys and deletes others with an empty value")
    func metadataPatch() async throws {
        let client = FakeMachinesClient()
        let output = try await verb(["metadata", "patch", "a", "m", "--set", "role=primary", "--delete", "old", "--machine-version", "v3"])
            .execute(on: client, context: MachinesCommandContext())
        let request = try #require(client.requests(Flygate_Machines_V1_PatchMetadataRequest.self).first)
        #expect(request.body.metadata == ["role": "primary", "old": ""])
        #expect(request.body.machineVersion == "v3")
        #expect(output.stdout == "patched metadata on m: 1 set, 1 deleted\n")
    }

    @Test("an answer with no body prints null under --json")
    func emptyBodyJSON() async throws {
        let output = try await verb(["metadata", "delete", "a", "m", "k", "--json"])
            .execute(on: FakeMachinesClient(), context: MachinesCommandContext(json: true))
        #expect(output.stdout == "null\n")
    }

    @Test("a status from the daemon surfaces as the error and its exit code")
    func notFound() async throws {
        let client = FakeMachinesClient([.show: [.failure(RPCError(code: .notFound, message: "machine not found"))]])
        do {
            _ = try await verb(["show", "a", "m"]).execute(on: client, context: MachinesCommandContext())
            Issue.record("show did not fail")
        } catch {
            #expect(MachinesCommandContext.failure(error) == CLIOutput(stderr: "flygate: NOT_FOUND: machine not found\n", exitCode: 3))
        }
    }
}
