// FlyGateServer: the ttrpc server on a Unix socket, knowing no service.
//
// The accept loop (RPCServer, a lifecycle Service) with the socket file's lifecycle and systemd
// socket activation, the connection registry and its limits, one task per connection
// (RPCConnection), the dispatcher (envelope, deadline, answer), and the router from
// service/method to typed handlers, each run behind the router's interceptor chain.
//
// May import FlyGateWire, SwiftProtobuf, NIO, swift-log and swift-service-lifecycle; never
// anything Machines-specific or the daemon's.
