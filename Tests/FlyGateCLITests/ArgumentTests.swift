import ArgumentParser
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

@Suite("Arguments")
struct ArgumentTests {
    @Test("KEY=VALUE splits at the first =; the value may be empty or hold more =")
    func keyValue() throws {
        let pair = try #require(KeyValueArgument(argument: "URL=a=b"))
        #expect(pair.key == "URL" && pair.value == "a=b")
        #expect(KeyValueArgument(argument: "EMPTY=")?.value == "")
        #expect(KeyValueArgument(argument: "NOEQUALS") == nil)
        #expect(KeyValueArgument(argument: "=value") == nil)
        #expect(KeyValueArgument(argument: "") == nil)
    }

    @Test("durations: seconds or Go's text", arguments: [
        ("30", "30s", 30.0), ("30s", "30s", 30), ("1m30s", "1m30s", 90), ("500ms", "500ms", 0.5), ("1.5h", "1.5h", 5400),
    ])
    func durations(text: String, goText: String, seconds: Double) throws {
        let duration = try #require(DurationArgument(argument: text))
        #expect(duration.goText == goText)
        #expect(duration.seconds == seconds)
    }

    @Test("durations that are not", arguments: ["", "-1", "abc", "10x", "s", "1m-3s"])
    func badDurations(text: String) {
        #expect(DurationArgument(argument: text) == nil)
    }

    @Test("signals by name, short name or number", arguments: [
        ("SIGTERM", "SIGTERM"), ("term", "SIGTERM"), ("15", "SIGTERM"), ("HUP", "SIGHUP"), ("9", "SIGKILL"),
    ])
    func signals(text: String, name: String) {
        #expect(SignalArgument(argument: text)?.name == name)
    }

    @Test("unknown signals are refused", arguments: ["SIGFOO", "0", "99", ""])
    func badSignals(text: String) {
        #expect(SignalArgument(argument: text) == nil)
    }

    /// The usage error a command line gives, as ArgumentParser prints it, and its exit code.
    private func usageError(_ arguments: [String]) -> (message: String, exit: Int32)? {
        do {
            _ = try MachinesCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return (MachinesCommand.message(for: error), MachinesCommand.exitCode(for: error).rawValue)
        }
    }

    @Test("odd input gives a clear usage error and exit code 64", arguments: [
        (["show", "", "d8d9e1e5c43e08"], "APP must not be empty"),
        (["show", "my-app", ""], "MACHINE must not be empty"),
        (["show", "my-app", "../../orgs"], "MACHINE must not contain '/'"),
        (["list", "my app"], "APP must not contain ' '"),
        (["create", "my-app", "--image", "nginx", "--env", "FOO"], "--env <KEY=VALUE>"),
        (["metadata", "patch", "my-app", "m1", "--set", "novalue"], "--set <KEY=VALUE>"),
        (["metadata", "patch", "my-app", "m1"], "give at least one --set KEY=VALUE or --delete KEY"),
        (["metadata", "patch", "my-app", "m1", "--set", "a=1", "--delete", "a"], "key 'a' is both set and deleted"),
        (["update", "my-app", "m1"], "nothing to update"),
        (["stop", "my-app", "m1", "--signal", "SIGFOO"], "--signal <signal>"),
        (["stop", "my-app", "m1", "--timeout", "soon"], "--timeout <duration>"),
        (["wait", "my-app", "m1", "--timeout", "0"], "--timeout must be at least 1 second"),
        (["exec", "my-app", "m1"], "give the command to run after `--`"),
        (["memory", "set", "my-app", "m1", "--limit-mb", "0"], "--limit-mb must be positive"),
        (["list", "my-app", "--timeout", "0"], "--timeout must be a positive number of seconds"),
    ])
    func usageErrors(arguments: [String], expected: String) throws {
        let error = try #require(usageError(arguments), "\(arguments) parsed without error")
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.exit == ExitStatus.usage)
    }

    @Test("every rpc has a verb, and the verb makes that call")
    func everyRPCHasAVerb() async throws {
        var verbs: [MachinesRPC: [String]] = [:]
        let table: [(MachinesRPC, [String])] = [
            (.list, ["list", "a"]), (.show, ["show", "a", "m"]), (.create, ["create", "a", "--image", "i"]),
            (.update, ["update", "a", "m", "--image", "i"]), (.delete, ["delete", "a", "m"]), (.start, ["start", "a", "m"]),
            (.stop, ["stop", "a", "m"]), (.restart, ["restart", "a", "m"]), (.suspend, ["suspend", "a", "m"]),
            (.signal, ["signal", "a", "m", "HUP"]), (.cordon, ["cordon", "a", "m"]), (.uncordon, ["uncordon", "a", "m"]),
            (.wait, ["wait", "a", "m"]), (.exec, ["exec", "a", "m", "--", "ls"]), (.listProcesses, ["ps", "a", "m"]),
            (.listEvents, ["events", "a", "m"]), (.listVersions, ["versions", "a", "m"]),
            (.showLease, ["lease", "show", "a", "m"]), (.createLease, ["lease", "create", "a", "m"]),
            (.releaseLease, ["lease", "release", "a", "m"]), (.showMetadata, ["metadata", "show", "a", "m"]),
            (.getMetadataKey, ["metadata", "get", "a", "m", "k"]), (.updateMetadata, ["metadata", "set", "a", "m", "k", "v"]),
            (.deleteMetadata, ["metadata", "delete", "a", "m", "k"]),
            (.patchMetadata, ["metadata", "patch", "a", "m", "--set", "k=v"]), (.getMemory, ["memory", "show", "a", "m"]),
            (.setMemoryLimit, ["memory", "set", "a", "m", "--limit-mb", "1"]),
            (.reclaimMemory, ["memory", "reclaim", "a", "m", "--amount-mb", "1"]), (.listOrgMachines, ["org-list", "o"]),
        ]
        for (rpc, arguments) in table { verbs[rpc] = arguments }
        #expect(Set(verbs.keys) == Set(MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName)))
        for (rpc, arguments) in verbs {
            let verb = try #require(try MachinesCommand.parseAsRoot(arguments) as? any MachinesVerb, "\(arguments)")
            let client = FakeMachinesClient([.show: [.body(try json(machineJSON))]])
            _ = try await verb.execute(on: client, context: MachinesCommandContext())
            #expect(client.calls.last?.rpc == rpc, "\(arguments)")
        }
    }
}
