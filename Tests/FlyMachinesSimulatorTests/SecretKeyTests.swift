import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Secret keys")
struct SecretKeyTests {
    static let message = Array("attack at dawn".utf8)

    @Test(
        "signing keys: sign then verify passes; a tampered message or signature fails with 400",
        .timeLimit(.minutes(1)), arguments: ["hs256", "hs384", "hs512", "nacl_auth", "nacl_sign", "es256"])
    func signVerify(_ type: String) async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("keys")
            let key = try await sim.expect(201, .POST, "/apps/keys/secretkeys/signer/generate", json: ["type": .string(type)]).json
            #expect(key["type"]?.stringValue == type && key["name"] == "signer")
            let path = "/apps/keys/secretkeys/signer"
            let signature = byteArray(try await sim.expect(200, .POST, path + "/sign", json: ["plaintext": byteJSON(Self.message)]).json["signature"])
            #expect(!signature.isEmpty)
            let verified = try await sim.expect(
                204, .POST, path + "/verify", json: ["plaintext": byteJSON(Self.message), "signature": byteJSON(signature)])
            #expect(verified.bytes.isEmpty)

            var otherMessage = Self.message
            otherMessage[0] ^= 1
            var otherSignature = signature
            otherSignature[otherSignature.count / 2] ^= 0x80
            for (plaintext, candidate) in [(otherMessage, signature), (Self.message, otherSignature), (Self.message, [])] {
                let refused = try await sim.expect(
                    400, .POST, path + "/verify", json: ["plaintext": byteJSON(plaintext), "signature": byteJSON(candidate)])
                #expect(try refused.json["error"]?.stringValue?.contains("verification failed") == true)
            }
            // A signing key does not encrypt.
            try await sim.expect(400, .POST, path + "/encrypt", json: ["plaintext": byteJSON(Self.message)])
            try await sim.expect(400, .POST, path + "/decrypt", json: ["ciphertext": byteJSON(signature)])
        }
    }

    @Test(
        "encrypting keys: decrypt(encrypt(x)) is x; other associated data or a flipped byte is 400",
        .timeLimit(.minutes(1)), arguments: ["nacl_secretbox", "xaes256gcm", "nacl_box"])
    func encryptDecrypt(_ type: String) async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("keys")
            try await sim.expect(201, .POST, "/apps/keys/secretkeys/sealer/generate", json: ["type": .string(type)])
            let path = "/apps/keys/secretkeys/sealer"
            let associated: JSONValue = byteJSON(Array("row 42".utf8))
            let request: JSONValue = ["plaintext": byteJSON(Self.message), "associated_data": associated]
            let first = byteArray(try await sim.expect(200, .POST, path + "/encrypt", json: request).json["ciphertext"])
            let second = byteArray(try await sim.expect(200, .POST, path + "/encrypt", json: request).json["ciphertext"])
            #expect(first.count >= Self.message.count + 16)
            #expect(first != second, "a fresh nonce per message")
            for ciphertext in [first, second] {
                let opened = try await sim.expect(
                    200, .POST, path + "/decrypt", json: ["ciphertext": byteJSON(ciphertext), "associated_data": associated]).json
                #expect(byteArray(opened["plaintext"]) == Self.message)
            }
            var flipped = first
            flipped[flipped.count - 1] ^= 1
            for (ciphertext, data) in [(first, byteJSON([1, 2])), (first, JSONValue.null), (flipped, associated), (Array(first.prefix(10)), associated)] {
                let refused = try await sim.expect(
                    400, .POST, path + "/decrypt", json: ["ciphertext": byteJSON(ciphertext), "associated_data": data])
                #expect(try refused.json["error"]?.stringValue?.contains("decryption failed") == true)
            }
            // An encrypting key does not sign.
            try await sim.expect(400, .POST, path + "/sign", json: ["plaintext": byteJSON(Self.message)])
            try await sim.expect(400, .POST, path + "/verify", json: ["plaintext": byteJSON(Self.message), "signature": byteJSON(first)])
        }
    }

    @Test("caller-set keys sign like the published test vectors; FLYGO's base64 form is accepted", .timeLimit(.minutes(1)))
    func knownAnswers() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("keys")
            // RFC 4231 test case 2, sent as FLYGO sends []byte: base64 strings.
            let vectors: [(String, String)] = [
                ("hs256", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                ("hs384", "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
                ("hs512", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
            ]
            for (type, expected) in vectors {
                let set = try await sim.expect(201, .POST, "/apps/keys/secretkeys/jefe-\(type)", json: ["type": .string(type), "value": "SmVmZQ=="])
                #expect(!set.text.contains("SmVmZQ"))
                #expect(try set.json["value"] == nil)
                let signature = try await sim.expect(
                    200, .POST, "/apps/keys/secretkeys/jefe-\(type)/sign", json: ["plaintext": "d2hhdCBkbyB5YSB3YW50IGZvciBub3RoaW5nPw=="]
                ).json["signature"]
                #expect(ByteFields.hex(byteArray(signature)) == expected, "\(type)")
            }
            // NaCl crypto_auth: HMAC-SHA-512 cut to 32 bytes.
            try await sim.expect(201, .POST, "/apps/keys/secretkeys/auth", json: ["type": "nacl_auth", "value": byteJSON(0..<32)])
            let auth = try await sim.expect(200, .POST, "/apps/keys/secretkeys/auth/sign", json: ["plaintext": byteJSON(Self.message)]).json
            #expect(ByteFields.hex(byteArray(auth["signature"])) == "05184919faad98aec73c195a6d468b1ca4d4939e34869160836099ac58927a81")
            // RFC 8032 Ed25519 test 1, given as NaCl's 64-byte secret key (seed, then public key).
            let seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
            let publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
            let ed = try await sim.expect(
                201, .POST, "/apps/keys/secretkeys/ed", json: ["type": "nacl_sign", "value": byteJSON(hexBytes(seed + publicKey))]).json
            #expect(ByteFields.hex(byteArray(ed["public_key"])) == publicKey)
            let edSignature = try await sim.expect(200, .POST, "/apps/keys/secretkeys/ed/sign", json: ["plaintext": []]).json
            #expect(
                ByteFields.hex(byteArray(edSignature["signature"]))
                    == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
            try await sim.expect(400, .POST, "/apps/keys/secretkeys/ed2", json: ["type": "nacl_sign", "value": byteJSON(hexBytes(seed + seed))])
            // P-256: the public key of the scalar 01 02 … 20.
            let es = try await sim.expect(201, .POST, "/apps/keys/secretkeys/es", json: ["type": "es256", "value": byteJSON(1...32)]).json
            #expect(
                ByteFields.hex(byteArray(es["public_key"]))
                    == "04515c3d6eb9e396b904d3feca7f54fdcd0cc1e997bf375dca515ad0a6c3b4035f4536be3a50f318fbf9a5475902a221502bef0d57e08c53b2cc0a56f17d9f9354")
        }
    }

    @Test("keys list, show and delete without private material; versions are shared with secrets", .timeLimit(.minutes(1)))
    func lifecycle() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("keys")
            let secret = try await sim.expect(201, .POST, "/apps/keys/secrets/A", json: ["value": "1"]).json
            let hmac = try await sim.expect(201, .POST, "/apps/keys/secretkeys/mac", json: ["type": "hs256", "value": byteJSON(100..<132)]).json
            let box = try await sim.expect(201, .POST, "/apps/keys/secretkeys/box/generate", json: ["type": "nacl_box"]).json
            let versions = [secret["version"], hmac["version"], box["version"]].compactMap { $0?.int64Value }
            #expect(versions == [1, 2, 3])
            #expect(byteArray(box["public_key"]).count == 32 && hmac["public_key"] == nil)

            let list = try await sim.expect(200, .GET, "/apps/keys/secretkeys")
            #expect(try list.json["secret_keys"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["mac", "box"])
            #expect(!list.text.contains(byteJSON(100..<132).serialized.dropFirst().dropLast()))
            let filtered = try await sim.expect(200, .GET, "/apps/keys/secretkeys?types=nacl_box").json
            #expect(filtered["secret_keys"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["box"])
            let shown = try await sim.expect(200, .GET, "/apps/keys/secretkeys/box").json
            #expect(Set(shown.objectValue?.keys ?? []) == ["name", "type", "public_key", "created_at", "updated_at"])
            #expect(shown["public_key"] == box["public_key"])

            // Setting a name again replaces the key.
            let replaced = try await sim.expect(201, .POST, "/apps/keys/secretkeys/box/generate", json: ["type": "nacl_box"]).json
            #expect(replaced["public_key"] != box["public_key"] && replaced["version"] == 4)
            let deleted = try await sim.expect(200, .DELETE, "/apps/keys/secretkeys/box").json
            #expect(deleted["version"] == 5 && deleted["Version"] == 5)
            try await sim.expect(404, .GET, "/apps/keys/secretkeys/box")
            try await sim.expect(404, .DELETE, "/apps/keys/secretkeys/box")
            try await sim.expect(404, .POST, "/apps/keys/secretkeys/box/sign", json: ["plaintext": []])

            for bad: JSONValue in [
                ["type": "rot13"], [:], ["type": "hs256"], ["type": "hs256", "value": "not base64!"],
                ["type": "hs256", "value": [256]], ["type": "nacl_secretbox", "value": byteJSON(0..<31)],
                ["type": "es256", "value": byteJSON(Array(repeating: 0, count: 32))],
            ] {
                try await sim.expect(400, .POST, "/apps/keys/secretkeys/bad", json: bad)
            }
            try await sim.expect(400, .POST, "/apps/keys/secretkeys/bad/generate", json: ["type": "rot13"])
            try await sim.expect(400, .POST, "/apps/keys/secretkeys/bad%20name/generate", json: ["type": "hs256"])
            try await sim.expect(404, .POST, "/apps/nobody/secretkeys/k/generate", json: ["type": "hs256"])
        }
    }

    private func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
