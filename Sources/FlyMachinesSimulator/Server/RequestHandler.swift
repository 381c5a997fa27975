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
            // As on Fly: the token is checked before the path, and every answer has its request id.
            var response =
                authenticate(request).map { SimulatorResponse($0) }
                ?? .json(["error": .string("not found: \(request.method) \(request.path)")], status: 404)
            response.headers.append(("fly-request-id", Identifiers.ulid(at: .now()) + "-iad"))
            return .respond(response)
        }
        var logger = logger
        logger[metadataKey: "simulator.operation"] = "\(route.operation.rawValue)"
        let decision = control.arrive(route.operation)
        if decision.delay > .zero { try? await Task.sleep(for: decision.delay) }
        await control.waitWhileHeld(route.operation)
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
        if rateLimits, let refusal = control.admit(route.operation, scope: route.rateLimitScope) {
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
        case .listApps: try AppRoutes.list(request, route, store)
        case .createApp: try AppRoutes.create(request, route, store)
        case .showApp: try AppRoutes.show(request, route, store)
        case .deleteApp: try AppRoutes.delete(request, route, store)
        case .listIPAssignments: try AppRoutes.listIPs(request, route, store)
        case .createIPAssignment: try AppRoutes.assignIP(request, route, store)
        case .deleteIPAssignment: try AppRoutes.releaseIP(request, route, store)
        case .listCertificates: try CertificateRoutes.list(request, route, store)
        case .createACMECertificate: try CertificateRoutes.createACME(request, route, store)
        case .createCustomCertificate: try CertificateRoutes.createCustom(request, route, store)
        case .showCertificate: try CertificateRoutes.show(request, route, store)
        case .deleteCertificate: try CertificateRoutes.delete(request, route, store)
        case .deleteACMECertificate: try CertificateRoutes.deleteACME(request, route, store)
        case .checkCertificate: try CertificateRoutes.check(request, route, store)
        case .deleteCustomCertificate: try CertificateRoutes.deleteCustom(request, route, store)
        case .listSecrets: try SecretRoutes.list(request, route, store)
        case .updateSecrets: try SecretRoutes.update(request, route, store)
        case .showSecret: try SecretRoutes.show(request, route, store)
        case .setSecret: try SecretRoutes.set(request, route, store)
        case .deleteSecret: try SecretRoutes.delete(request, route, store)
        case .listSecretKeys: try SecretKeyRoutes.list(request, route, store)
        case .showSecretKey: try SecretKeyRoutes.show(request, route, store)
        case .setSecretKey: try SecretKeyRoutes.set(request, route, store, generate: false)
        case .generateSecretKey: try SecretKeyRoutes.set(request, route, store, generate: true)
        case .deleteSecretKey: try SecretKeyRoutes.delete(request, route, store)
        case .signWithSecretKey: try SecretKeyRoutes.sign(request, route, store)
        case .verifyWithSecretKey: try SecretKeyRoutes.verify(request, route, store)
        case .encryptWithSecretKey: try SecretKeyRoutes.encrypt(request, route, store)
        case .decryptWithSecretKey: try SecretKeyRoutes.decrypt(request, route, store)
        case .listVolumes: try VolumeRoutes.list(request, route, store)
        case .createVolume: try VolumeRoutes.create(request, route, store)
        case .showVolume: try VolumeRoutes.show(request, route, store)
        case .updateVolume: try VolumeRoutes.update(request, route, store)
        case .deleteVolume: try VolumeRoutes.delete(request, route, store)
        case .extendVolume: try VolumeRoutes.extend(request, route, store)
        case .listVolumeSnapshots: try VolumeRoutes.snapshots(request, route, store)
        case .createVolumeSnapshot: try VolumeRoutes.snapshot(request, route, store)
        case .orgListVolumes: try VolumeRoutes.orgList(request, route, store)
        case .listRegions: try PlatformRoutes.regions(request, route, store)
        case .getPlacements: try PlatformRoutes.placements(request, route, store)
        }
    }
}
