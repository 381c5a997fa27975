import FlyGateClient
import FlyGateCore
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Testing

/// The interceptors' rules: every served method has one, and Gateway methods pass through the
/// same interceptors as Machines methods.
@Suite(.timeLimit(.minutes(1)))
struct MethodRulesTests {
    @Test("every method the daemon serves has a declared rule, and every rule names a served method")
    func everyMethodHasARule() async throws {
        try await LeaseDaemonHarness.with { harness in
            let daemon = harness.daemon
            let served = daemon.methods.map { $0.service + "/" + $0.method }
            // The generated services' rpcs, the Gateway's three, and the two watches.
            #expect(served.count == MachinesRPC.allCases.count + 3 + 2)
            #expect(daemon.rules.all.filter { $0.service == WatchService.serviceName }.allSatisfy {
                $0.access == .policy(.read) && $0.audit == .completed
            })
            #expect(Set(daemon.rules.all.map(\.qualifiedName)) == Set(served))
            for rule in daemon.rules.all where rule.service == GatewayService.serviceName {
                // Not audited, each with its reason: answered from memory on the read loop.
                guard case .none(let reason) = rule.audit else {
                    Issue.record("\(rule.qualifiedName) is audited, but it is answered on the read loop")
                    continue
                }
                #expect(!reason.isEmpty)
            }
            // Every rpc of the generated services is audited: its mutations before they go on, its
            // reads (and the POSTs that only compute) once answered.
            let generated = daemon.rules.all.filter { MachinesRPC.serviceNames.contains($0.service) }
            #expect(generated.count == MachinesRPC.allCases.count)
            for rule in generated {
                let rpc = try #require(MachinesRPC(rawValue: rule.method), "\(rule.qualifiedName)")
                #expect(rule.audit == (rpc.traits.mutates ? .receivedAndCompleted : .completed), "\(rule.qualifiedName)")
            }
        }
    }

    @Test("a Machines mutation is recorded before it goes on, a read once answered")
    func machinesRules() {
        #expect(MethodRule(.stop).audit == .receivedAndCompleted && MethodRule(.stop).access == .policy(.operate))
        #expect(MethodRule(.show).audit == .completed && MethodRule(.show).access == .policy(.read))
        // A secret key's decrypt changes nothing, so it is recorded once answered, and only admins may ask.
        #expect(MethodRule(.decrypt).audit == .completed && MethodRule(.decrypt).access == .policy(.admin))
        #expect(MethodRule(.setSecretKey).audit == .receivedAndCompleted && MethodRule(.setSecretKey).access == .policy(.admin))
        #expect(MethodRule(.exec).access == .policy(.admin))
    }

    @Test("Gateway calls pass through the observing interceptor: Health and Stats are counted like any call")
    func gatewayIsObserved() async throws {
        try await LeaseDaemonHarness.with { harness in
            try await harness.withClient { client in
                for _ in 0..<3 {
                    _ = try await client.call(
                        service: GatewayService.serviceName, method: "Health", request: Flygate_Gateway_V1_HealthRequest(),
                        as: Flygate_Gateway_V1_HealthResponse.self, timeout: .seconds(10))
                }
                _ = try await client.call(
                    service: GatewayService.serviceName, method: "Stats", request: Flygate_Gateway_V1_StatsRequest(),
                    as: Flygate_Gateway_V1_StatsResponse.self, timeout: .seconds(10))
                let stats = try await client.call(
                    service: GatewayService.serviceName, method: "Stats", request: Flygate_Gateway_V1_StatsRequest(),
                    as: Flygate_Gateway_V1_StatsResponse.self, timeout: .seconds(10))
                let health = stats.methods.first { $0.method == GatewayService.serviceName + "/Health" }
                #expect(health?.callsByCode["OK"] == 3)
                let counted = stats.methods.first { $0.method == GatewayService.serviceName + "/Stats" }
                #expect(counted?.callsByCode["OK"] == 1, "the Stats call before this one")
            }
        }
    }
}
