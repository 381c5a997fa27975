// FlyGateCore: the daemon, everything between the ttrpc server (FlyGateServer) and the upstream
// client (FlyMachinesAPI).
//
// The interceptors every method runs behind (Observability/, Audit/, Policy/, with the rules in
// Pipeline/MethodRules.swift), the Machines pipeline and its stages (Pipeline/, Coalescing/,
// Leases/), the Gateway service, the configuration, and FlyGateDaemon, which wires them.
// docs/architecture.md follows one call through them.
//
// May import FlyGateWire, FlyGateServer, FlyGateJSON, FlyMachinesProto, FlyMachinesAPI,
// FlyMachinesSimulator (its configuration), NIO, swift-log, swift-metrics, swift-crypto and
// swift-service-lifecycle; never reads flags or the environment.
