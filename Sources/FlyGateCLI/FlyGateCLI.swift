// FlyGateCLI: the command-line interface for people — `flygate machines …`, `apps`, `volumes`,
// `secrets`, `certs`, `ips`, `regions` (one verb per rpc of the generated services), `flygate
// status`, `flygate leases`. `CLICommandGroups.all` is what the executable registers.
//
// Every verb builds its request from its options, calls a `MachinesCalling` client and returns
// a `CLIOutput` (text and exit code), so tests drive verbs with a fake client and no socket.
// Only `MachinesCommandContext.run` touches the socket, the terminal and the process's exit code.
// This is the executable's front half, split out so tests can import it: like the executable,
// and unlike the other libraries, it reads flags, files (`--config`, `--stdin-file`, secret values
// and key material from stdin or `--value-file`-style flags, never argv) and the environment
// (the default socket path).
//
// May import: FlyGateJSON, FlyGateWire, FlyMachinesProto, FlyGateClient, SwiftProtobuf,
// ArgumentParser, Foundation. Never the daemon's core.
