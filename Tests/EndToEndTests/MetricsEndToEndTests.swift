import FlyGateClient
import FlyGateTestSupport
import FlyMachinesProto
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `--metrics-listen` serves Prometheus text with the daemon's counters.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct MetricsEndToEndTests {
    @Test func prometheusEndpointCountsCalls() async throws {
        try await DaemonProcess.with(arguments: ["--metrics-listen", "127.0.0.1:0"]) { daemon in
            try await daemon.withClient { client in
                var show = Flygate_Machines_V1_ShowRequest()
                (show.appName, show.machineID) = ("metrics", "00000000000000")
                // Three attempts of the same rpc and outcome count on one series (its handles are
                // made once); another outcome gets its own.
                for _ in 0..<3 { _ = try? await client.show(show, options: MachinesCallOptions(metadata: [("flygate-no-coalesce", "true")])) }
                var list = Flygate_Machines_V1_ListRequest()
                list.appName = "metrics"
                _ = try? await client.call(list, options: MachinesCallOptions())
                // Two answers from the read cache.
                let machine = try await client.create(Machines.create("metrics")).body.id
                let stale = MachinesCallOptions(timeout: .seconds(10), metadata: [(key: "flygate-max-staleness-ms", value: "600000")])
                let cachedShow = Machines.target(Flygate_Machines_V1_ShowRequest.self, "metrics", machine)
                for _ in 0..<3 { _ = try await client.callWithInfo(cachedShow, options: stale) }

                let marker = "flygate.metrics.address=127.0.0.1:"
                let log = try await daemon.waitForLog(containing: marker)
                let rest = log[log.range(of: marker)!.upperBound...]
                let port = try #require(Int(rest.prefix { $0.isNumber }))
                let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
                #expect((response as? HTTPURLResponse)?.statusCode == 200)
                let text = String(decoding: data, as: UTF8.self)
                #expect(text.contains("flygate_calls_total"), "\(text.prefix(500))")
                #expect(text.contains(#"method="Show""#) && text.contains(#"code="NOT_FOUND""#))
                #expect(text.contains("flygate_upstream_requests_total"))
                let showNotFound = text.split(separator: "\n").first {
                    $0.hasPrefix("flygate_upstream_requests_total{") && $0.contains(#"method="Show""#) && $0.contains(#"outcome="404""#)
                }
                #expect(showNotFound.map { $0.hasSuffix(" 3") } == true, "\(String(describing: showNotFound))")
                #expect(text.contains(#"method="List""#) && text.contains("flygate_upstream_request_duration_seconds"))
                #expect(text.split(separator: "\n").contains { $0.hasPrefix("flygate_cache_hits_total{") && $0.hasSuffix(" 2") }, "\(text)")
            }
        }
    }
}
