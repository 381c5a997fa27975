import FlyGateClient
import FlyGateCore
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

    @Test("apps, volumes, ips, secrets, secret keys and certs verbs against a real daemon; the secret value reaches no output or log")
    func otherServicesSession() async throws {
        let secret = "postgres://shop:cli-e2e-S3CRET-7f4d@db/shop"
        let message = Data("release 1.2.3".utf8)
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            var outputs: [String] = []
            func cli(_ arguments: String..., input: Data? = nil) async throws -> (status: Int32, output: String) {
                let done = try await runCommand(DaemonProcess.binary, arguments + ["--socket", daemon.socketPath], input: input)
                outputs.append(done.output)
                return done
            }

            let app = try await cli("apps", "create", "cli-e2e", "--org", "cli-e2e-org")
            #expect(app.status == 0 && app.output.contains("created app cli-e2e in cli-e2e-org"), "\(app.output)")

            let volume = try await cli("volumes", "create", "cli-e2e", "--name", "data", "--region", "ord", "--size-gb", "3", "--json")
            #expect(volume.status == 0, "\(volume.output)")
            let made = try #require(try JSONSerialization.jsonObject(with: Data(volume.output.utf8)) as? [String: Any], "\(volume.output)")
            #expect((made["id"] as? String)?.hasPrefix("vol_") == true && made["name"] as? String == "data", "\(made)")
            #expect(made["region"] as? String == "ord" && made["size_gb"] as? Int == 3, "\(made)")

            let allocated = try await cli("ips", "allocate", "cli-e2e", "--type", "v6")
            #expect(allocated.status == 0 && allocated.output.hasPrefix("allocated "), "\(allocated.output)")
            let address = String(allocated.output.split(separator: " ").dropFirst().first ?? "")
            #expect(address.contains(":"), "\(allocated.output)")
            let ips = try await cli("ips", "list", "cli-e2e")
            #expect(ips.status == 0 && !address.isEmpty && ips.output.contains(address), "\(ips.output)")

            // The value goes in on stdin, as `printf %s "$URL" | flygate secrets set` would send it.
            let set = try await cli("secrets", "set", "cli-e2e", "DATABASE_URL", input: Data(secret.utf8))
            #expect(set.status == 0 && set.output.contains("set secret DATABASE_URL on cli-e2e"), "\(set.output)")
            // The whole value arrived: the simulator's digest is the first 16 hex digits of its SHA-256.
            let digest = String(AuditChain.digest(Array(secret.utf8)).prefix(16))
            #expect(set.output.contains("digest \(digest)"), "\(set.output)")
            let secrets = try await cli("secrets", "list", "cli-e2e")
            #expect(secrets.status == 0 && secrets.output.contains("DATABASE_URL") && secrets.output.contains(digest), "\(secrets.output)")

            let key = try await cli("secrets", "keys", "generate", "cli-e2e", "signing", "--type", "nacl_sign")
            #expect(key.status == 0 && key.output.contains("generated key signing (nacl_sign)"), "\(key.output)")
            // `sign` writes the signature's raw bytes to stdout: a shell sends them to a file, as a user would.
            let signaturePath = daemon.directory + "/release.sig"
            let sign = try await runCommand(
                "/bin/sh",
                ["-c", "exec \"$0\" \"$@\" > '\(signaturePath)'", DaemonProcess.binary, "secrets", "sign", "cli-e2e", "signing",
                 "--socket", daemon.socketPath],
                input: message)
            outputs.append(sign.output)
            #expect(sign.status == 0, "\(sign.output)")
            #expect(FileManager.default.contents(atPath: signaturePath)?.count == 64, "an Ed25519 signature is 64 bytes")
            let verified = try await cli("secrets", "verify", "cli-e2e", "signing", "--signature-file", signaturePath, input: message)
            #expect(verified.status == 0 && verified.output.contains("signature valid"), "\(verified.output)")
            let forged = try await cli("secrets", "verify", "cli-e2e", "signing", "--signature-file", signaturePath, input: Data("release 1.2.4".utf8))
            #expect(forged.status == 8 && forged.output.contains("INVALID_ARGUMENT"), "\(forged.output)")

            let hostname = "www.cli-e2e.example.com"
            func status(_ output: String) -> String? {
                output.split(separator: "\n").first { $0.hasPrefix("status ") }?.split(separator: " ").last.map(String.init)
            }
            let added = try await cli("certs", "add", "cli-e2e", hostname)
            #expect(added.status == 0 && status(added.output) == "pending_validation", "\(added.output)")
            let checked = try await cli("certs", "check", "cli-e2e", hostname)
            #expect(checked.status == 0 && status(checked.output) == "active", "\(checked.output)")

            // The README's exit codes: 3 is NOT_FOUND.
            let missing = try await cli("volumes", "show", "cli-e2e", "vol_0000000000000000")
            #expect(missing.status == 3 && missing.output.contains("NOT_FOUND"), "\(missing.output)")

            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit() == 0, "\(daemon.log)")
            let audit = try String(contentsOfFile: daemon.stateDirectory + "/audit.log", encoding: .utf8)
                + (try String(contentsOfFile: daemon.stateDirectory + "/audit.head", encoding: .utf8))
            // Both really saw the call that carried the value.
            #expect(audit.contains(#""method":"CreateSecret""#) && daemon.log.contains("flygate.rpc.method=CreateSecret"))
            for fragment in [secret, "cli-e2e-S3CRET-7f4d"] {
                #expect(!daemon.log.contains(fragment), "the daemon's log holds the secret value")
                #expect(!audit.contains(fragment), "the audit log holds the secret value")
                #expect(!outputs.contains { $0.contains(fragment) }, "a command printed the secret value")
            }
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
