import FlyGateServer
// FlyGateCore: the daemon's insides, everything between the socket and the upstream client.
//
// Server/ holds the ttrpc socket server: the accept loop (RPCServer, a lifecycle Service),
// one task per connection (RPCConnection), the router from service/method to typed handlers
// (RPCRouter) and the dispatcher that is the one place errors become wire statuses.
//
// May import FlyGateWire, FlyGateJSON, FlyMachinesProto, FlyMachinesAPI, NIO, swift-log,
// swift-metrics, swift-crypto and swift-service-lifecycle; never reads flags or the environment.
