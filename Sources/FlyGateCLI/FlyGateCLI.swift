// FlyGateCLI: the command-line interface for people — `flygate machines …`, `flygate status`,
// `flygate leases`.
//
// Every verb builds its request from its options, calls a `MachinesCalling` client and returns
// a `CLIOutput` (text and exit code), so tests drive verbs with a fake client and no socket.
// Only `MachinesCommandContext.run` touches the socket, the terminal and the process's exit code.
// This is the executable's front half, split out so tests can import it: like the executable,
// and unlike the other libraries, it reads flags, files (`--config`, `--stdin-file`) and the
// environment (the default socket path).
//
// May import: FlyGateJSON, FlyGateWire, FlyMachinesProto, FlyGateClient, SwiftProtobuf,
// ArgumentParser, Foundation. Never the daemon's core.
