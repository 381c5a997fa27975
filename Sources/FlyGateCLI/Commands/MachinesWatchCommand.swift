import ArgumentParser
import FlyGateClient
import FlyGateJSON
import FlyMachinesProto
import Foundation
import SwiftProtobuf

/// `flygate machines watch APP [MACHINE]`: the changes of a machine, or of an app's machines,
/// one line each as they happen, from the daemon's watch streams (ttrpc 1.2).
package struct MachinesWatchCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print a machine's changes, or an app's machines' changes, as they happen.",
        discussion: """
            One line per change until the machine is gone or you interrupt it: with MACHINE, its
            state and the events since the previous line; without, `added`, `changed` or
            `removed` and the machine. --json prints one JSON object per line (the stream's
            messages). The daemon polls Fly once for every watcher of the same machine; see
            docs/watch.md for what a watch guarantees.
            """)

    @OptionGroup package var global: MachinesGlobalOptions

    @Argument(help: "The app.")
    package var app: String

    @Argument(help: "The machine; without it, every machine of the app.")
    package var machine: String?

    @Option(help: ArgumentHelp("Start after this event id: print the events since it first.", valueName: "event-id"))
    package var fromEventID: String?

    package init() {}

    package func run() async throws {
        let context = MachinesCommandContext(global: global, callDeadline: .seconds(30))
        let json = global.json
        try await context.run { client in
            if let machine {
                var request = Flygate_Watch_V1_WatchMachineRequest()
                (request.appName, request.machineID) = (app, machine)
                if let fromEventID { request.fromEventID = fromEventID }
                for try await update in client.serverStream(
                    service: "flygate.watch.v1.Watch", method: "WatchMachine", request: request, as: Flygate_Watch_V1_MachineUpdate.self)
                {
                    Terminal.write(CLIOutput(stdout: try Self.line(update, json: json)))
                }
            } else {
                var request = Flygate_Watch_V1_WatchAppRequest()
                request.appName = app
                for try await update in client.serverStream(
                    service: "flygate.watch.v1.Watch", method: "WatchApp", request: request, as: Flygate_Watch_V1_AppUpdate.self)
                {
                    Terminal.write(CLIOutput(stdout: try Self.line(update, json: json)))
                }
            }
            return CLIOutput()
        }
    }

    /// `ID  STATE  events: TYPE(STATUS) ...`, or the message as one JSON object.
    static func line(_ update: Flygate_Watch_V1_MachineUpdate, json: Bool) throws -> String {
        if json { return try update.jsonString() + "\n" }
        var line = "\(update.machine.id)  \(update.machine.state)"
        if !update.events.isEmpty {
            line += "  events: " + update.events.map { "\($0.type)(\($0.status))" }.joined(separator: " ")
        }
        if update.coalesced > 0 { line += "  (\(update.coalesced) changes folded)" }
        if update.gone { line += "  gone" }
        return TerminalText.escaped(line) + "\n"
    }

    /// `CHANGE  ID  STATE  NAME`, or the message as one JSON object.
    static func line(_ update: Flygate_Watch_V1_AppUpdate, json: Bool) throws -> String {
        if json { return try update.jsonString() + "\n" }
        let change = update.change.padding(toLength: 8, withPad: " ", startingAt: 0)
        return TerminalText.escaped("\(change) \(update.machine.id)  \(update.machine.state)  \(update.machine.name)") + "\n"
    }
}
