import FlyGateClient
import FlyGateCore
import FlyGateWire
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

/// The access policy over the new services, through the whole daemon on its socket: a caller
/// whose uid is allowed only reads.
@Suite(
    "The access policy over Secrets",
    .enabled(if: OtherUIDCaller.isAvailable, "needs root, /usr/bin/setpriv and /usr/bin/python3 to call as another uid"))
struct OtherServicesPolicyTests {
    static let app = "guarded"

    @Test(
        "a caller allowed only reads is refused CreateSecret, Sign, Decrypt and Encrypt before Fly sees them, and may ListSecrets",
        .timeLimit(.minutes(1)))
    func readOnlyCallerIsRefusedWritesAndKeyUse() async throws {
        try await withDaemonStack(configure: { configuration in
            // A directory of its own that the daemon opens to the socket's group.
            configuration.socketPath = PrivateDirectory.parent(of: configuration.socketPath) + "/run/s.sock"
            configuration.socketGroup = OtherUIDCaller.socketGroup
            configuration.rules = [.init(name: "readers", uids: [OtherUIDCaller.uid], classes: [.read])]
        }) { stack in
            stack.simulator.faults.latency = .zero
            try OtherUIDCaller.prepare(stack.directory)
            // The daemon's own uid sets the app up: a secret, a signing key and a sealing key.
            let ciphertext = try await stack.withClient { owner in
                _ = try await owner.createApp(.with { $0.body = .with { $0.name = Self.app; $0.orgSlug = "personal" } })
                _ = try await owner.createSecret(.with { ($0.appName, $0.secretName, $0.body.value) = (Self.app, "TOKEN", "v1") })
                _ = try await owner.generateSecretKey(.with { ($0.appName, $0.secretName, $0.body.type) = (Self.app, "signer", "nacl_sign") })
                _ = try await owner.generateSecretKey(.with { ($0.appName, $0.secretName, $0.body.type) = (Self.app, "box", "nacl_secretbox") })
                return try await owner.encrypt(.with { ($0.appName, $0.secretName, $0.body.plaintext) = (Self.app, "box", [104, 105]) })
                    .body.ciphertext
            }
            let upstreamBefore = stack.simulator.requestCounts

            func expectRefused<Request: MachinesRPCRequest>(_ request: Request) async throws {
                let answer = try await OtherUIDCaller.call(request, socket: stack.socketPath, directory: stack.directory)
                let error = try #require(answer.rpcError, "\(Request.rpc) was allowed")
                #expect(error.code == .permissionDenied, "\(Request.rpc): \(error)")
                #expect(error.message.contains("uid \(OtherUIDCaller.uid)") && error.message.contains(Request.rpc.rawValue), "\(error.message)")
            }
            try await expectRefused(
                Flygate_Secrets_V1_CreateSecretRequest.with { ($0.appName, $0.secretName, $0.body.value) = (Self.app, "TOKEN", "v2") })
            try await expectRefused(
                Flygate_Secrets_V1_SignRequest.with { ($0.appName, $0.secretName, $0.body.plaintext) = (Self.app, "signer", [104, 105]) })
            try await expectRefused(
                Flygate_Secrets_V1_DecryptRequest.with { ($0.appName, $0.secretName, $0.body.ciphertext) = (Self.app, "box", ciphertext) })
            try await expectRefused(
                Flygate_Secrets_V1_EncryptRequest.with { ($0.appName, $0.secretName, $0.body.plaintext) = (Self.app, "box", [104, 105]) })
            // None of them reached Fly.
            #expect(stack.simulator.requestCounts == upstreamBefore)

            let listed = try await OtherUIDCaller.call(
                Flygate_Secrets_V1_ListSecretsRequest.with { $0.appName = Self.app }, socket: stack.socketPath, directory: stack.directory)
            #expect(listed.rpcError == nil, "\(String(describing: listed.rpcError))")
            let secrets = try Flygate_Secrets_V1_ListSecretsResponse(serializedBytes: listed.payload).body.secrets
            #expect(secrets.map(\.name) == ["TOKEN"])
            #expect(stack.simulator.requestCount(for: .listSecrets) == (upstreamBefore[.listSecrets] ?? 0) + 1)
        }
    }
}
