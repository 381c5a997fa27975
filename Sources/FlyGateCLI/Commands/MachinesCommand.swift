import ArgumentParser

/// `flygate machines`: one verb per Machines rpc, through the daemon's socket.
package struct MachinesCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "machines",
        abstract: "Call any Fly Machines operation through the flygate daemon.",
        discussion: """
            Every verb is one rpc of flygate.machines.v1.Machines. APP and MACHINE are the Fly app's \
            name and the machine's id. The daemon holds the Fly token; the CLI only talks to its socket.

            Output: text for people by default (tables for lists, key fields for one machine, one line \
            for actions). With --json a verb prints the answer's body as Fly's own JSON — what the \
            Machines REST API returns, every member kept — indented; `null` when the answer has no body. \
            (`flygate status` and `flygate leases` print the gateway's proto JSON mapping.)

            Lease nonces: mutating verbs take --lease-nonce; without one the daemon attaches the lease \
            it holds for you, if any. While another caller holds a machine's lease through the daemon, \
            every change to the machine (exec, metadata and memory writes too) needs its nonce. Only the \
            holder sees a nonce whole; others see its first characters and an ellipsis.

            Exit codes:
            \(ExitStatus.helpTable)

            Errors are one line on stderr, e.g. `flygate: NOT_FOUND: machine not found`.

            Examples:
              flygate machines list my-app --state started
              flygate machines show my-app d8d9e1e5c43e08
              flygate machines create my-app --image nginx:1.27 --env PORT=8080
              flygate machines stop my-app d8d9e1e5c43e08 --timeout 30s
              flygate machines wait my-app d8d9e1e5c43e08 --state stopped
              flygate machines exec my-app d8d9e1e5c43e08 -- ls -l /
              flygate machines watch my-app d8d9e1e5c43e08
            """,
        subcommands: [
            MachinesListCommand.self, MachinesShowCommand.self, MachinesCreateCommand.self, MachinesUpdateCommand.self,
            MachinesDeleteCommand.self, MachinesStartCommand.self, MachinesStopCommand.self,
            MachinesRestartCommand.self, MachinesSuspendCommand.self, MachinesSignalCommand.self,
            MachinesCordonCommand.self, MachinesUncordonCommand.self, MachinesWaitCommand.self,
            MachinesExecCommand.self, MachinesProcessesCommand.self, MachinesEventsCommand.self,
            MachinesVersionsCommand.self, MachinesLeaseCommand.self, MachinesMetadataCommand.self,
            MachinesMemoryCommand.self, MachinesOrgListCommand.self, MachinesWatchCommand.self,
        ]
    )

    package init() {}
}
