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
}
