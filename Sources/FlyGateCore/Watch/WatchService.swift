import FlyGateServer
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto

/// `flygate.watch.v1.Watch`: a machine's or an app's changes streamed to the caller from the
/// hub's shared loops.
package struct WatchService: Sendable {
    package static let serviceName = "flygate.watch.v1.Watch"

    let hub: WatchHub

    package init(hub: WatchHub) {
        self.hub = hub
    }

    /// Watches are reads: the policy's `read` class and app allow-lists apply as to calls. Each
    /// watch gets one `completed` record when it ends (the loop's polls get none: they are the
    /// daemon's reads made for every watcher at once, counted in the statistics).
    package static let rules: [MethodRule] = ["WatchMachine", "WatchApp"].map { method in
        MethodRule(service: serviceName, method: method, access: .policy(.read), audit: .completed)
    }

    /// Registers both methods on `router`.
    package func register(on router: inout RPCRouter) {
        let hub = self.hub
        router.registerServerStreaming(service: Self.serviceName, method: "WatchMachine") {
            (request: Flygate_Watch_V1_WatchMachineRequest, context: CallContext, stream: RPCStreamWriter<Flygate_Watch_V1_MachineUpdate>) in
            // Checked as every call's path parameters are: a name the loop could never read would
            // otherwise leave the stream waiting while the loop retried.
            try RESTCall.validateIdentifier(request.appName, field: "app_name")
            try RESTCall.validateIdentifier(request.machineID, field: "machine_id")
            let watch = try hub.watchMachine(
                app: request.appName, machine: request.machineID,
                fromEventID: request.hasFromEventID ? request.fromEventID : nil, uid: context.peer.uid)
            defer { watch.cancel() }
            var first = true
            while let update = await watch.next() {
                // A machine that was never there is not found, rather than a stream of one "gone".
                if first, update.gone, !update.machine.hasState {
                    throw RPCError(code: .notFound, message: "machine \(request.machineID) of app \(request.appName) not found")
                }
                first = false
                try await stream.send(update)
            }
        }
        router.registerServerStreaming(service: Self.serviceName, method: "WatchApp") {
            (request: Flygate_Watch_V1_WatchAppRequest, context: CallContext, stream: RPCStreamWriter<Flygate_Watch_V1_AppUpdate>) in
            try RESTCall.validateIdentifier(request.appName, field: "app_name")
            let watch = try hub.watchApp(app: request.appName, region: request.region, state: request.state, uid: context.peer.uid)
            defer { watch.cancel() }
            while let update = await watch.next() { try await stream.send(update) }
        }
    }
}
