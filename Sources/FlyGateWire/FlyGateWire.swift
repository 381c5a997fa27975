// FlyGateWire: containerd's ttrpc protocol as flygate speaks it.
//
// The 10-byte frame header and its NIO coders, the envelope messages generated from
// proto/ttrpc/ttrpc.proto, the google.rpc status codes, the one error type that becomes a wire
// status, the rule that finds the daemon's socket, and the check that a directory the daemon
// writes in is its own (``PrivateDirectory``). Server and client both build on it.
//
// May import SwiftProtobuf and NIOCore only: no sockets, no HTTP, no logging.
