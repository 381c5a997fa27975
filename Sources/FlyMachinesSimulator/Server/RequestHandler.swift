import FlyGateJSON
import Logging

/// Turns one HTTP request into an answer: route, count, faults, auth, rate limits, then the routes.
package struct RequestHandler: Sendable {
    /// How the connection should answer.
    package enum Reply: Sendable {
        /// Send the answer.
        case respond(SimulatorResponse)
        /// Send the head and half the body, then close the connection.
        case drop(SimulatorResponse)
        /// Send nothing until the connection closes.
        case hang
    }

    let store: MachineStore
    let control: SimulatorControl
    let token: String?
    let rateLimits: Bool
    let recordExchanges: Bool
    let logger: Logger

    /// Handles `request` completely.
    package func handle(_ request: SimulatorRequest) async -> Reply {
        guard let route = Route.match(method: request.method, segments: request.segments) else {
            return .respond(.json(["error": .string("not found: \(request.method) \(request.path)")], status: 404))
        }
        var logger = logger
        logger[metadataKey: "simulator.operation"] = "\(route.operation.rawValue)"
        let decision = control.arrive(route.operation)
        if decision.delay > .zero { try? await Task.sleep(for: decision.delay) }
        if decision.hang {
            logger.debug("Hanging by request of the fault switches")
            return .hang
        }
        var response: SimulatorResponse
        if let injected = decision.injected {
            response = SimulatorResponse(injected)
        } else {
            response = await serve(request, route)
        }
        response.headers.append(("fly-request-id", Identifiers.ulid(at: .now()) + "-iad"))
        logger.debug("Answered", metadata: ["http.status": "\(response.status)"])
        if recordExchanges {
            control.record(
                SimulatorExchange(
                    operation: route.operation, method: request.method, uri: request.path, query: request.query,
                    status: response.status, requestBody: request.body, responseBody: response.body?.serializedBytes ?? []))
        }
        return decision.drop ? .drop(response) : .respond(response)
    }

    private func serve(_ request: SimulatorRequest, _ route: Route) async -> SimulatorResponse {
        if let refusal = authenticate(request) { return SimulatorResponse(refusal) }
        if rateLimits, let refusal = control.admit(route.operation, scope: route.machineID.isEmpty ? route.app : route.machineID) {
            return SimulatorResponse(refusal)
        }
        do {
            return try await dispatch(request, route)
        } catch {
            return SimulatorResponse(error)
        }
    }

    private func authenticate(_ request: SimulatorRequest) -> SimulatorError? {
        let refusal = SimulatorError.fly(401, "Authenticate: token validation error")
        guard let header = request.headers.first(name: "authorization") else { return refusal }
        let lowered = header.lowercased()
        let presented: Substring
        if lowered.hasPrefix("bearer ") {
            presented = header.dropFirst(7)
        } else if lowered.hasPrefix("flyv1 ") {
            presented = header.dropFirst(6)
        } else {
            return refusal
        }
        let text = presented.trimmingPrefix(" ")
        guard !text.isEmpty else { return refusal }
        guard let token else { return nil }
        let tokens = text.split(separator: ",").map { $0.trimmingPrefix(" ") }
        return text == token || tokens.contains(where: { $0 == token }) ? nil : refusal
    }

    private func dispatch(_ request: SimulatorRequest, _ route: Route) async throws(SimulatorError) -> SimulatorResponse {
        switch route.operation {
        case .list: try MachineRoutes.list(request, route, store)
        case .create: try MachineRoutes.create(request, route, store)
        case .show: try MachineRoutes.show(request, route, store)
        case .update: try MachineRoutes.update(request, route, store)
        case .delete: try MachineRoutes.delete(request, route, store)
        case .listEvents: try MachineRoutes.events(request, route, store)
        case .listVersions: try MachineRoutes.versions(request, route, store)
        case .orgList: try MachineRoutes.orgList(request, route, store)
        case .start: try LifecycleRoutes.start(request, route, store)
        case .stop: try LifecycleRoutes.stop(request, route, store)
        case .suspend: try LifecycleRoutes.suspend(request, route, store)
        case .restart: try LifecycleRoutes.restart(request, route, store)
        case .cordon: try LifecycleRoutes.cordon(request, route, store, on: true)
        case .uncordon: try LifecycleRoutes.cordon(request, route, store, on: false)
        case .signal: try LifecycleRoutes.signal(request, route, store)
        case .wait: try await WaitRoutes.wait(request, route, store, timeoutCap: control.faults.waitTimeoutCap)
        case .showLease: try LeaseRoutes.show(request, route, store)
        case .createLease: try LeaseRoutes.create(request, route, store)
        case .releaseLease: try LeaseRoutes.release(request, route, store)
        case .showMetadata: try MetadataRoutes.show(request, route, store)
        case .getMetadataKey: try MetadataRoutes.get(request, route, store)
        case .upsertMetadata: try MetadataRoutes.upsert(request, route, store)
        case .deleteMetadata: try MetadataRoutes.delete(request, route, store)
        case .updateMetadata: try MetadataRoutes.bulk(request, route, store)
        case .exec: try GuestRoutes.exec(request, route, store)
        case .listProcesses: try GuestRoutes.processes(request, route, store)
        case .getMemory: try GuestRoutes.memory(request, route, store)
        case .setMemoryLimit: try GuestRoutes.setMemoryLimit(request, route, store)
        case .reclaimMemory: try GuestRoutes.reclaimMemory(request, route, store)
        }
    }
}
