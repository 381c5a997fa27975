import FlyGateClient
import FlyGateCore
import FlyGateWire
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

/// The read cache over the new services, through the whole daemon: reads allowed to be stale
/// (`flygate-max-staleness-ms`) are served again, mutations drop them, and using a secret key
/// changes nothing a read answers.
@Suite struct OtherServicesCacheTests {
    static let app = "cached"
    static let stale = CoalescingStalenessTests.stale(60_000)

    /// An app with a volume, a machine, a signing key and a sealing key, made through the
    /// daemon; returns the volume's id and the machine's.
    static func seed(_ client: RPCClient, _ stack: DaemonStack) async throws -> (volume: String, machine: String) {
        _ = try await client.createApp(.with { $0.body = .with { $0.name = app; $0.orgSlug = "personal" } })
        let volume = try await client.createVolume(
            .with {
                $0.appName = app
                $0.body = .with { $0.name = "data"; $0.region = "ord"; $0.sizeGb = 1 }
            }
        ).body.id
        _ = try await client.generateSecretKey(.with { ($0.appName, $0.secretName, $0.body.type) = (app, "signer", "nacl_sign") })
        _ = try await client.generateSecretKey(.with { ($0.appName, $0.secretName, $0.body.type) = (app, "box", "nacl_secretbox") })
        return (volume, stack.seedMachine(app: app))
    }

    static func getVolume(_ volume: String) -> Flygate_Volumes_V1_GetVolumeRequest {
        .with { ($0.appName, $0.volumeID) = (app, volume) }
    }

    @Test(
        "a GetVolume allowed to be stale is served from the cache, and ExtendVolume drops it: the next read goes to Fly and sees the new size",
        .timeLimit(.minutes(1)))
    func extendVolumeDropsTheCachedVolume() async throws {
        try await withDaemonStack { stack in
            try await stack.withClient { client in
                let (volume, _) = try await Self.seed(client, stack)
                let fresh = try await client.callWithInfo(Self.getVolume(volume), options: Self.stale)
                #expect(fresh.info.cacheAge == nil)
                #expect(fresh.response.body.sizeGb == 1)
                #expect(stack.simulator.requestCount(for: .showVolume) == 1)

                let cached = try await client.callWithInfo(Self.getVolume(volume), options: Self.stale)
                #expect(cached.info.cacheAge != nil)
                #expect(cached.response == fresh.response)
                #expect(stack.simulator.requestCount(for: .showVolume) == 1)

                _ = try await client.extendVolume(.with { ($0.appName, $0.volumeID, $0.body.sizeGb) = (Self.app, volume, 2) })
                let after = try await client.callWithInfo(Self.getVolume(volume), options: Self.stale)
                #expect(after.info.cacheAge == nil)
                #expect(after.response.body.sizeGb == 2)
                #expect(stack.simulator.requestCount(for: .showVolume) == 2)
            }
        }
    }

    @Test(
        "Encrypt, Decrypt, Sign and Verify leave the app's cached answers in place: its volume, its keys and its machine are still served from the cache",
        .timeLimit(.minutes(1)))
    func usingAKeyKeepsTheAppsCachedAnswers() async throws {
        try await withDaemonStack { stack in
            try await stack.withClient { client in
                let (volume, machine) = try await Self.seed(client, stack)
                let keys = Flygate_Secrets_V1_ListSecretKeysRequest.with { $0.appName = Self.app }
                _ = try await client.callWithInfo(Self.getVolume(volume), options: Self.stale)
                _ = try await client.callWithInfo(keys, options: Self.stale)
                _ = try await client.callWithInfo(showRequest(machine, app: Self.app), options: Self.stale)
                let readsBefore = [stack.simulator.requestCount(for: .showVolume), stack.simulator.requestCount(for: .listSecretKeys),
                                   stack.simulator.requestCount(for: .show)]
                #expect(readsBefore == [1, 1, 1])

                try await Self.useBothKeys(client)

                let volumeAgain = try await client.callWithInfo(Self.getVolume(volume), options: Self.stale)
                let keysAgain = try await client.callWithInfo(keys, options: Self.stale)
                let machineAgain = try await client.callWithInfo(showRequest(machine, app: Self.app), options: Self.stale)
                #expect(volumeAgain.info.cacheAge != nil, "GetVolume went to Fly again")
                #expect(keysAgain.info.cacheAge != nil, "ListSecretKeys went to Fly again")
                #expect(machineAgain.info.cacheAge != nil, "Show went to Fly again")
                let readsAfter = [stack.simulator.requestCount(for: .showVolume), stack.simulator.requestCount(for: .listSecretKeys),
                                  stack.simulator.requestCount(for: .show)]
                #expect(readsAfter == readsBefore)
            }
        }
    }

    @Test("Encrypt, Decrypt, Sign and Verify reach Fly every time, even when the caller allows stale answers", .timeLimit(.minutes(1)))
    func keyUseIsNeverAnsweredFromTheCache() async throws {
        try await withDaemonStack { stack in
            try await stack.withClient { client in
                _ = try await Self.seed(client, stack)
                try await Self.useBothKeys(client)
                try await Self.useBothKeys(client)
                for operation in [SimulatorOperation.encryptWithSecretKey, .decryptWithSecretKey, .signWithSecretKey, .verifyWithSecretKey] {
                    #expect(stack.simulator.requestCount(for: operation) == 2, "\(operation.rawValue)")
                }
            }
        }
    }

    /// Encrypts and decrypts with `box`, signs and verifies with `signer`, each allowing stale
    /// answers; checks what each answered.
    static func useBothKeys(_ client: RPCClient) async throws {
        let plaintext: [Int64] = [104, 105]
        let sealed = try await client.callWithInfo(
            Flygate_Secrets_V1_EncryptRequest.with { ($0.appName, $0.secretName, $0.body.plaintext) = (app, "box", plaintext) },
            options: stale)
        #expect(sealed.info.cacheAge == nil)
        let opened = try await client.callWithInfo(
            Flygate_Secrets_V1_DecryptRequest.with { ($0.appName, $0.secretName, $0.body.ciphertext) = (app, "box", sealed.response.body.ciphertext) },
            options: stale)
        #expect(opened.info.cacheAge == nil)
        #expect(opened.response.body.plaintext == plaintext)
        let signed = try await client.callWithInfo(
            Flygate_Secrets_V1_SignRequest.with { ($0.appName, $0.secretName, $0.body.plaintext) = (app, "signer", plaintext) },
            options: stale)
        #expect(signed.info.cacheAge == nil)
        let verified = try await client.callWithInfo(
            Flygate_Secrets_V1_VerifyRequest.with {
                ($0.appName, $0.secretName) = (app, "signer")
                $0.body = .with { ($0.plaintext, $0.signature) = (plaintext, signed.response.body.signature) }
            },
            options: stale)
        #expect(verified.info.cacheAge == nil)
    }
}
