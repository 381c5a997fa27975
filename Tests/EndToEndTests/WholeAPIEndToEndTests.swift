import FlyGateClient
import FlyGateJSON
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A deployer's whole session through a real `flygate serve` and the simulator, over the
/// services beyond Machines: no process but the daemon holds the token.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WholeAPIEndToEndTests {
    static let token = "fm2_e2eWholeAPITokenSECRET0123456789"
    static let secretValue = "whole-api-secret-VALUE-5b7e21"
    static let signedText = "whole-api-signed-PAYLOAD-90c3"
    /// A secretbox key the caller brings (SetSecretKey): 32 bytes of marker text.
    static let keyMaterial = "whole-api-KEY-material-3c9d81e7f"
    /// What the caller encrypts, and must get back from Decrypt.
    static let sealedText = "whole-api-SEALED-plaintext-6a0f4"
    /// The seed inside the uploaded certificate's private key: 32 bytes of marker text.
    static let keySeed = "whole-api-PRIVATE-key-seed-e81b2"
    /// A PKCS#8 Ed25519 private key holding ``keySeed``: well-formed, worthless, and findable.
    /// It does not match the certificate it is uploaded with, which the upload does not check.
    static let privateKeyDER: [UInt8] =
        [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20] + Array(keySeed.utf8)
    static let privateKeyPEM =
        "-----BEGIN " + "PRIVATE KEY-----\n" + Data(privateKeyDER).base64EncodedString() + "\n-----END " + "PRIVATE KEY-----\n"

    /// Everything the session sends that must reach Fly and nowhere else the daemon writes.
    static let secrets: [SecretForms] = [
        SecretForms("the token", token),
        SecretForms("the secret's value", secretValue),
        SecretForms("the signed payload", signedText),
        SecretForms("the secret key's material", keyMaterial),
        SecretForms("the encrypted plaintext", sealedText),
        SecretForms("the private key's seed", keySeed),
        SecretForms("the private key", privateKeyDER),
    ]

    @Test(
        "an app, a volume, a machine mounting it, a secret, keys of its own and generated, an IP and certificates, then all torn down; no secret in any form reaches the audit log or the daemon's log"
    )
    func deployerSession() async throws {
        try await DaemonProcess.withSimulator(token: Self.token, arguments: ["--log-level", "trace"]) { daemon in
            let publicKey = try await daemon.withClient { client in try await Self.session(client, app: "deployer") }
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit() == 0)

            let audit = try String(contentsOfFile: daemon.stateDirectory + "/audit.log", encoding: .utf8)
            let records = try audit.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            func completed(_ method: String) -> JSONValue? {
                records.first { $0["method"]?.stringValue == method && $0["stage"] == "completed" }
            }
            #expect(completed("CreateApp")?["service"] == "flygate.apps.v1.Apps")
            #expect(completed("CreateApp")?["args"]?["name"] == "deployer")
            #expect(completed("CreateVolume")?["args"]?["size_gb"]?.int64Value == 3)
            #expect(completed("CreateSecret")?["args"]?["secret"] == "DB_PASSWORD")
            #expect(completed("Sign")?["args"]?["plaintext_sha256"]?.stringValue?.count == 64)
            #expect(completed("SetSecretKey")?["args"]?["type"] == "nacl_secretbox")
            #expect(completed("Encrypt")?["args"]?["secret"] == "sealing")
            #expect(completed("Decrypt")?["args"]?["ciphertext_sha256"]?.stringValue?.count == 64)
            #expect(completed("CreateCustomCertificate")?["args"]?["hostname"] == "custom.example.com")
            #expect(completed("CreateAcmeCertificate")?["args"]?["hostname"] == "deployer.example.com")
            #expect(completed("DeleteApp")?["outcome"]?["http_status"]?.int64Value == 202)
            #expect(Self.secrets.leaks(in: audit).isEmpty, "in the audit log: \(Self.secrets.leaks(in: audit))")
            #expect(Self.secrets.leaks(in: daemon.log).isEmpty, "in the daemon's log: \(Self.secrets.leaks(in: daemon.log))")
            #expect(daemon.log.contains("call answered"))  // trace logging really was on
            #expect(!publicKey.isEmpty)
        }
    }

    @Test("the leak search finds a secret in each form it knows, inside longer text")
    func secretFormsFindEachForm() throws {
        let secret = SecretForms("the marker", "marker-BYTES-0123456789")
        let bytes = Array("marker-BYTES-0123456789".utf8)
        for prefix in [[], [7], [7, 7]] as [[UInt8]] {
            let padded = prefix + bytes + [9]
            let base64 = Data(padded).base64EncodedString()
            #expect(!secret.leaks(in: "x\(base64)y").isEmpty, "base64 after \(prefix.count) bytes")
            let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(!secret.leaks(in: urlSafe).isEmpty)
        }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        #expect(secret.leaks(in: "key=\(hex)") == ["the marker as hex"])
        #expect(secret.leaks(in: "key=\(hex.uppercased())") == ["the marker as upper-case hex"])
        #expect(secret.leaks(in: "\(bytes)") == ["the marker as byte list with \", \""])
        #expect(secret.leaks(in: "{\"plaintext\":[\(bytes.map(String.init).joined(separator: ","))]}") == ["the marker as byte list with \",\""])
        #expect(secret.leaks(in: "said marker-BYTES-0123456789.") == ["the marker as text"])
        #expect(secret.leaks(in: "marker-BYTES-012345678 and [109, 97]").isEmpty)
    }

    static func bytes(_ text: String) -> [Int64] { Array(text.utf8).map(Int64.init) }

    /// Creates everything, uses it, and tears it down; returns the signing key's public half.
    static func session(_ client: RPCClient, app: String) async throws -> [Int64] {
        // The app.
        _ = try await client.createApp(.with { $0.body = .with { $0.name = app; $0.orgSlug = "personal" } })
        #expect(try await client.showApp(.with { $0.appName = app }).body.name == app)

        // A volume, and a machine mounting it.
        let volume = try await client.createVolume(
            .with {
                $0.appName = app
                $0.body = .with { $0.name = "data"; $0.region = "ord"; $0.sizeGb = 3 }
            }
        ).body
        let machine = try await client.create(
            .with {
                $0.appName = app
                $0.body = .with {
                    $0.region = "ord"
                    $0.config = .with {
                        $0.image = "registry.fly.io/deployer:1"
                        $0.mounts = [.with { $0.volume = volume.id; $0.path = "/data" }]
                    }
                }
            }
        ).body
        let attached = try await client.getVolume(.with { $0.appName = app; $0.volumeID = volume.id }).body
        #expect(attached.attachedMachineID == machine.id)

        // A secret: set, then listed by name and digest, never by value.
        _ = try await client.createSecret(
            .with {
                $0.appName = app
                $0.secretName = "DB_PASSWORD"
                $0.body = .with { $0.value = secretValue }
            })
        let secrets = try await client.listSecrets(.with { $0.appName = app }).body.secrets
        #expect(secrets.map(\.name) == ["DB_PASSWORD"])
        #expect(secrets.allSatisfy { !$0.hasValue && !$0.digest.isEmpty })

        // A signing key: generated, then a signature that verifies, and a tampered one that does not.
        let key = try await client.generateSecretKey(
            .with {
                $0.appName = app
                $0.secretName = "signing"
                $0.body = .with { $0.type = "nacl_sign" }
            }
        ).body
        let signature = try await client.sign(
            .with {
                $0.appName = app
                $0.secretName = "signing"
                $0.body = .with { $0.plaintext = bytes(signedText) }
            }
        ).body.signature
        _ = try await client.verify(
            .with {
                $0.appName = app
                $0.secretName = "signing"
                $0.body = .with { $0.plaintext = bytes(signedText); $0.signature = signature }
            })
        let tampered = await #expect(throws: RPCError.self) {
            try await client.verify(
                .with {
                    $0.appName = app
                    $0.secretName = "signing"
                    $0.body = .with { $0.plaintext = bytes(signedText + "!"); $0.signature = signature }
                })
        }
        #expect(tampered?.code == .invalidArgument)

        // A key the deployer brings, and a plaintext sealed with it and opened again.
        _ = try await client.setSecretKey(
            .with {
                $0.appName = app
                $0.secretName = "sealing"
                $0.body = .with { $0.type = "nacl_secretbox"; $0.value = bytes(keyMaterial) }
            })
        let ciphertext = try await client.encrypt(
            .with {
                $0.appName = app
                $0.secretName = "sealing"
                $0.body = .with { $0.plaintext = bytes(sealedText) }
            }
        ).body.ciphertext
        #expect(!ciphertext.isEmpty && ciphertext != bytes(sealedText))
        let opened = try await client.decrypt(
            .with {
                $0.appName = app
                $0.secretName = "sealing"
                $0.body = .with { $0.ciphertext = ciphertext }
            }
        ).body.plaintext
        #expect(opened == bytes(sealedText))

        // A certificate of the deployer's own, with its private key.
        let custom = try await client.createCustomCertificate(
            .with {
                $0.appName = app
                $0.body = .with {
                    $0.hostname = "custom.example.com"
                    $0.fullchain = TestCertificate.chain
                    $0.privateKey = privateKeyPEM
                }
            }
        ).body
        #expect(custom.hostname == "custom.example.com")

        // An IP address, and a certificate polled until its check lets it be issued.
        let ip = try await client.createIPAssignment(.with { $0.appName = app; $0.body = .with { $0.type = "v6" } }).body.ip
        #expect(try await client.listIPAssignments(.with { $0.appName = app }).body.ips.map(\.ip) == [ip])
        let hostname = "deployer.example.com"
        let requested = try await client.createAcmeCertificate(.with { $0.appName = app; $0.body = .with { $0.hostname = hostname } })
        #expect(requested.body.status != "active")
        _ = try await client.checkCertificate(.with { $0.appName = app; $0.hostname = hostname })
        #expect(try await client.showCertificate(.with { $0.appName = app; $0.hostname = hostname }).body.status == "active")

        // Teardown: the volume cannot go while the machine holds it (Fly's 412).
        let refused = await #expect(throws: RPCError.self) {
            try await client.deleteVolume(.with { $0.appName = app; $0.volumeID = volume.id })
        }
        #expect(refused?.code == .failedPrecondition, "\(String(describing: refused))")
        _ = try await client.delete(.with { $0.appName = app; $0.machineID = machine.id; $0.force = true })
        _ = try await client.wait(.with { $0.appName = app; $0.machineID = machine.id; $0.state = ["destroyed"]; $0.timeout = 30 })
        _ = try await client.deleteVolume(.with { $0.appName = app; $0.volumeID = volume.id })
        _ = try await client.deleteCertificate(.with { $0.appName = app; $0.hostname = hostname })
        _ = try await client.deleteCustomCertificate(.with { $0.appName = app; $0.hostname = "custom.example.com" })
        _ = try await client.deleteIPAssignment(.with { $0.appName = app; $0.ip = ip })
        _ = try await client.deleteSecret(.with { $0.appName = app; $0.secretName = "DB_PASSWORD" })
        _ = try await client.deleteSecretKey(.with { $0.appName = app; $0.secretName = "signing" })
        _ = try await client.deleteSecretKey(.with { $0.appName = app; $0.secretName = "sealing" })
        _ = try await client.deleteApp(.with { $0.appName = app })
        let gone = await #expect(throws: RPCError.self) { try await client.showApp(.with { $0.appName = app }) }
        #expect(gone?.code == .notFound)
        return key.publicKey
    }
}

/// The real binary's help names every command group, the new services' included.
@Suite struct HelpListsEveryGroupTests {
    @Test("`flygate --help` lists the verbs of every service", .timeLimit(.minutes(1)))
    func helpListsTheGroups() async throws {
        let help = try await runCommand(DaemonProcess.binary, ["--help"])
        #expect(help.status == 0)
        let commands = help.output.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return line.hasPrefix("  ") && !line.hasPrefix("   ") ? words.first.map(String.init) : nil
        }
        for group in ["serve", "simulator", "machines", "apps", "volumes", "secrets", "certs", "ips", "regions", "status", "audit"] {
            #expect(commands.contains(group), "\(group) is not in flygate --help:\n\(help.output)")
        }
        let secrets = try await runCommand(DaemonProcess.binary, ["secrets", "--help"])
        #expect(secrets.output.contains("keys") && secrets.output.contains("sign"), "\(secrets.output)")
    }
}

/// `flygate machines watch`, the real binary against a real daemon.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MachinesWatchCommandTests {
    @Test("`flygate machines watch APP MACHINE` prints each change as it happens and ends when the machine is gone")
    func watchUntilGone() async throws {
        try await DaemonProcess.with { daemon in
            let (id, baseline) = try await daemon.withClient { client -> (String, String) in
                let created = try await client.create(.with { $0.appName = "watched"; $0.body.config.image = "nginx:1.27" }).body
                _ = try await client.wait(.with { ($0.appName, $0.machineID, $0.state, $0.timeout) = ("watched", created.id, ["started"], 30) })
                let events = try await client.listEvents(.with { ($0.appName, $0.machineID) = ("watched", created.id) }).body
                return (created.id, events.first?.id ?? "")
            }
            // From the event before the stop: whenever the watch starts, it prints what followed.
            async let watched = runCommand(
                DaemonProcess.binary, ["machines", "watch", "watched", id, "--from-event-id", baseline, "--socket", daemon.socketPath],
                timeout: .seconds(90))
            try await daemon.withClient { client in
                _ = try await client.stop(.with { ($0.appName, $0.machineID) = ("watched", id) })
                _ = try await client.wait(.with { ($0.appName, $0.machineID, $0.state, $0.timeout) = ("watched", id, ["stopped"], 30) })
                _ = try await client.delete(.with { ($0.appName, $0.machineID, $0.force) = ("watched", id, true) })
            }
            let (status, output) = try await watched
            #expect(status == 0, "\(output)")
            let lines = output.split(separator: "\n")
            #expect(lines.allSatisfy { $0.hasPrefix(id) }, "\(output)")
            #expect(lines.contains { $0.contains("events:") && $0.contains("stop") }, "\(output)")
            #expect(lines.last?.hasSuffix("gone") == true, "\(output)")
        }
    }
}
