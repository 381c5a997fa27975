import ArgumentParser

/// Options every verb (`flygate machines`, `apps`, `volumes`, … and `status`, `leases`) takes:
/// where the daemon is, and whether to print JSON.
package struct MachinesGlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The daemon's socket.",
            discussion: "Default: $FLYGATE_SOCKET, else $XDG_RUNTIME_DIR/flygate/flygate.sock, else a per-user path.",
            valueName: "path"))
    package var socket: String?

    @Flag(help: "Print the answer as Fly's JSON instead of text (see `flygate machines --help`).")
    package var json = false

    package init() {}
}

/// `--timeout SECONDS`: the call deadline, for verbs that have no timeout of their own.
package struct CallTimeoutOption: ParsableArguments {
    @Option(name: .customLong("timeout"), help: ArgumentHelp("Seconds to wait for the daemon's answer.", valueName: "seconds"))
    package var seconds: Double = 30

    package init() {}

    package func validate() throws {
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    /// The deadline as a duration.
    package var duration: Duration { .milliseconds(Int64(seconds * 1000)) }
}

/// The APP and MACHINE positionals most verbs start with.
package struct MachineTarget: ParsableArguments {
    @Argument(help: "The Fly app's name.")
    package var app: String

    @Argument(help: "The machine's id, e.g. d8d9e1e5c43e08.")
    package var machine: String

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        try ResourceName.validate(machine, as: "MACHINE")
    }
}
