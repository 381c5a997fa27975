// FlyGateClient: the Swift client for the daemon's socket.
//
// RPCClient connects to the socket, multiplexes calls on one connection (odd, growing stream
// ids), sends deadlines and metadata, and turns non-OK statuses into RPCError. Typed per-rpc
// methods are generated on top of its generic `call`.
//
// May import FlyGateWire, FlyMachinesProto, NIOCore and NIOPosix.
