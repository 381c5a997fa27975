import FlyGateClient
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The CLI as a person runs it, against a real daemon.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CLIEndToEndTests {
    @Test("create, list, stop, wait and a missing machine's exit code")
    func machinesSession() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            func cli(_ arguments: String...) async throws -> (status: Int32, output: String) {
                try await runCommand(DaemonProcess.binary, ["machines"] + arguments + ["--socket", daemon.socketPath])
            }
            let created = try await cli("create", "demo", "--image", "nginx:1.27", "--name", "web-1", "--region", "ams", "--json")
            #expect(created.status == 0, "\(created.output)")
            let id = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any])["id"] as? String
            let id14 = try #require(id)
            #expect(try await cli("wait", "demo", id14, "--state", "started").output.contains("is started"))
            let list = try await cli("list", "demo")
            #expect(list.output.contains("web-1") && list.output.contains("ams") && list.output.contains("started"))
            #expect(try await cli("stop", "demo", id14).status == 0)
            #expect(try await cli("wait", "demo", id14, "--state", "stopped").status == 0)
            let missing = try await cli("show", "demo", "00000000000000")
            #expect(missing.status == 3 && missing.output.contains("NOT_FOUND"))
        }
    }

    @Test("lease create --hold keeps the lease while it runs and the daemon releases it when interrupted")
    func leaseHold() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await daemon.withClient { client in
                let id = try await client.create(Machines.create("hold")).body.id
                _ = try await client.wait(Machines.wait("hold", id, state: "started"))

                try await withResource({
                    try ChildProcess(
                        DaemonProcess.binary,
                        ["machines", "lease", "create", "hold", id, "--ttl", "3", "--hold", "--socket", daemon.socketPath])
                }, release: { await $0.kill() }) { holder in
                try await holder.waitForOutput(containing: "holding the lease", timeout: .seconds(20))
                // Past its 3 s TTL it is still held: the daemon renews it for the connected holder.
                try await Task.sleep(for: .seconds(4))
                let shown = try await client.showLease(Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, "hold", id))
                #expect(!shown.body.nonce.isEmpty)
                #expect(try await client.listLeases().leases.contains { $0.machineID == id })

                holder.signal(SIGINT)
                #expect(try await holder.waitForExit(timeout: .seconds(10)) == 0, "\(holder.text)")
                let released = try await eventually(within: .seconds(5)) {
                    (try? await client.showLease(Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, "hold", id))) == nil
                }
                #expect(released, "the lease outlived its holder")
                }
            }
        }
    }
}
