import ArgumentParser
import FlyGateWire
import FlyMachinesProto

/// `flygate machines wait APP MACHINE`: blocks until the machine reaches a state.
package struct MachinesWaitCommand: MachinesVerb {
    package static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until a machine reaches a state (default: started).",
        discussion: """
            Fly waits at most 60 seconds per call; a longer --timeout is split into calls of up to 60 \
            seconds each, repeated while the wait times out. On a terminal, a spinner with the elapsed \
            seconds shows on stderr while waiting. Exits 6 (DEADLINE_EXCEEDED) when time runs out.

            Example: flygate machines wait my-app d8d9e1e5c43e08 --state stopped --version 01HQ73A7BFFDF1B6WMGHFZZ4E7 --timeout 120
            """)

    /// Fly's limit for one wait call, in seconds.
    package static let maximumCallSeconds: Int64 = 60
    /// Added to each call's wait for the daemon's own answer time.
    package static let deadlineMargin: Duration = .seconds(15)

    @OptionGroup package var target: MachineTarget
    @Option(help: "A state to wait for: started, stopped, suspended, destroyed, failed or settled; repeat or comma-separate for any of several.")
    package var state: [String] = []
    @Option(help: "Seconds to wait in all.") package var timeout: Int64 = 60
    @Option(help: "The machine version to wait on (required by Fly to wait for stopped).") package var version: String?
    @Option(help: "Wait only for events after this event id.") package var fromEventID: String?
    @OptionGroup package var global: MachinesGlobalOptions

    package init() {}
    package var callDeadline: Duration { .seconds(min(timeout, Self.maximumCallSeconds)) + Self.deadlineMargin }

    package func validate() throws {
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
    }

    /// The states as Fly takes them: repeated, never comma-joined, never empty.
    package var states: [String] {
        state.flatMap { $0.split(separator: ",").map { String($0).trimmingBlanks() } }.filter { !$0.isEmpty }
    }

    /// The Wait request for one call of at most `seconds`.
    package func request(seconds: Int64) -> Flygate_Machines_V1_WaitRequest {
        var request = Flygate_Machines_V1_WaitRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.state = states
        request.timeout = seconds
        if let version { request.version = version }
        if let fromEventID { request.fromEventID = fromEventID }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let wanted = states.isEmpty ? "started" : states.joined(separator: " or ")
        let clock = ContinuousClock()
        let end = clock.now + .seconds(timeout)
        let label = "waiting for \(target.machine) to be \(wanted)"
        // One call per 60 s of the timeout, at most: a wait that fails fast cannot spin.
        let rounds = (timeout + Self.maximumCallSeconds - 1) / Self.maximumCallSeconds
        let response = try await context.progress.run(label) {
            var round: Int64 = 1
            while true {
                let left = end - clock.now
                let seconds = max(1, min(Self.maximumCallSeconds, left.components.seconds + (left.components.attoseconds > 0 ? 1 : 0)))
                do {
                    return try await client.wait(
                        request(seconds: seconds), options: context.options(timeout: .seconds(seconds) + Self.deadlineMargin))
                } catch let error as RPCError where error.code == .deadlineExceeded && round < rounds && end - clock.now >= .seconds(1) {
                    round += 1
                }
            }
        }
        return context.render(response) {
            let body = response.body
            var line = "\(target.machine) is \(body.hasState && !body.state.isEmpty ? body.state : wanted)"
            if body.hasVersion, !body.version.isEmpty { line += " (version \(body.version))" }
            return line + "\n"
        }
    }
}

extension String {
    /// The string without leading and trailing blanks.
    package func trimmingBlanks() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
