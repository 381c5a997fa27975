import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

@testable import FlyGateCLI

@Suite("secret keys, encrypt, decrypt, sign, verify against a fake client", .timeLimit(.minutes(1)))
struct SecretKeysVerbTests {
    /// Bytes no text form of which may be printed: not UTF-8, with a NUL and a high byte.
    static let keyMaterial: [UInt8] = [0x00, 0xFF, 0x10, 0x80, 0x7F, 0x41, 0xC3, 0x28]

    @Test("keys set sends the raw bytes from stdin as the integer array, and prints none of them")
    func setKey() async throws {
        let client = FakeMachinesClient([.setSecretKey: [.body(try json(#"{"name": "mac", "type": "hs256", "version": 3}"#))]])
        let output = try await run(["secrets", "keys", "set", "my-app", "mac", "--type", "hs256"], on: client, stdin: .bytes(Self.keyMaterial))
        let request = try #require(client.requests(Flygate_Secrets_V1_SetSecretKeyRequest.self).first)
        #expect(request.appName == "my-app" && request.secretName == "mac")
        #expect(request.body.jsonValue() == (try json(#"{"type": "hs256", "value": [0, 255, 16, 128, 127, 65, 195, 40]}"#)))
        #expect(output == CLIOutput(stdout: "set key mac (hs256) on my-app, version 3\n"))
    }

    @Test("keys set with an error quoting the key in base64 shows [redacted]")
    func setKeyRedactsErrors() async throws {
        let base64 = Data(Self.keyMaterial).base64EncodedString()
        let output = try await failure(
            of: ["secrets", "keys", "set", "my-app", "mac", "--type", "hs256"],
            RPCError(code: .invalidArgument, message: "bad key \(base64)"), stdin: .bytes(Self.keyMaterial))
        #expect(output.stderr == "flygate: INVALID_ARGUMENT: bad key [redacted]\n")
    }

    @Test("keys generate sends the type only and prints the public key in base64")
    func generate() async throws {
        let client = FakeMachinesClient([
            .generateSecretKey: [.body(try json(#"{"name": "signing", "type": "nacl_sign", "public_key": [1, 2, 3, 250], "version": 2}"#))],
        ])
        let output = try await run(["secrets", "keys", "generate", "my-app", "signing", "--type", "nacl_sign"], on: client)
        let request = try #require(client.requests(Flygate_Secrets_V1_GenerateSecretKeyRequest.self).first)
        #expect(request.body.jsonValue() == ["type": "nacl_sign"])
        #expect(output.stdout == "generated key signing (nacl_sign) on my-app, version 2\npublic key: AQID+g==\n")
    }

    @Test("keys list and show print names, types and the public key, base64 or array as Fly sends it", arguments: [
        #"[1, 2, 3, 250]"#, #""AQID+g==""#,
    ])
    func listAndShow(publicKey: String) async throws {
        let key = #"{"name": "signing", "type": "nacl_sign", "public_key": \#(publicKey), "created_at": "2026-02-21T08:12:44Z"}"#
        let client = FakeMachinesClient([
            .listSecretKeys: [.body(try json(#"{"secret_keys": [\#(key)]}"#))], .getSecretKey: [.body(try json(key))],
        ])
        let list = try await run(["secrets", "keys", "list", "my-app", "--types", "nacl_sign"], on: client)
        #expect(client.requests(Flygate_Secrets_V1_ListSecretKeysRequest.self).first?.types == "nacl_sign")
        #expect(list.stdout == "NAME     TYPE       CREATED               UPDATED\nsigning  nacl_sign  2026-02-21T08:12:44Z  -\n")
        let show = try await run(["secrets", "keys", "show", "my-app", "signing"], on: client)
        #expect(show.stdout == "name        signing\ntype        nacl_sign\npublic_key  AQID+g==\ncreated     2026-02-21T08:12:44Z\n")
    }

    @Test("keys delete names the key")
    func deleteKey() async throws {
        let client = FakeMachinesClient([.deleteSecretKey: [.body(try json(#"{"version": 4}"#))]])
        let output = try await run(["secrets", "keys", "delete", "my-app", "mac"], on: client)
        #expect(client.requests(Flygate_Secrets_V1_DeleteSecretKeyRequest.self).first?.secretName == "mac")
        #expect(output.stdout == "deleted key mac from my-app, version 4\n")
    }

    @Test("encrypt sends stdin's bytes and writes the ciphertext's bytes, from an array or base64", arguments: [
        #"[222, 173, 190, 239]"#, #""3q2+7w==""#,
    ])
    func encrypt(ciphertext: String) async throws {
        let client = FakeMachinesClient([.encrypt: [.body(try json(#"{"ciphertext": \#(ciphertext)}"#))]])
        let output = try await run(["secrets", "encrypt", "my-app", "box", "--min-version", "2"], on: client, stdin: .bytes(Self.keyMaterial))
        let request = try #require(client.requests(Flygate_Secrets_V1_EncryptRequest.self).first)
        #expect(request.secretName == "box" && request.minVersion == "2")
        #expect(request.body.plaintext == Self.keyMaterial.map(Int64.init) && request.body.associatedData.isEmpty)
        #expect(output == CLIOutput(stdoutBytes: [0xDE, 0xAD, 0xBE, 0xEF]))
    }

    @Test("encrypt --json prints Fly's answer")
    func encryptJSON() async throws {
        let client = FakeMachinesClient([.encrypt: [.body(try json(#"{"ciphertext": [1, 2]}"#))]])
        let output = try await run(["secrets", "encrypt", "my-app", "box", "--json"], on: client, json: true, stdin: .text("hi"))
        #expect(output == CLIOutput(stdout: "{\n  \"ciphertext\": [\n    1,\n    2\n  ]\n}\n"))
    }

    @Test("decrypt reads --in and --associated-data-file and writes the plaintext's bytes")
    func decrypt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flygate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data([9, 8, 7]).write(to: directory.appendingPathComponent("sealed"))
        try Data("ctx".utf8).write(to: directory.appendingPathComponent("ad"))
        let client = FakeMachinesClient([.decrypt: [.body(ByteString.integers(Self.keyMaterial).jsonArray(named: "plaintext"))]])
        let output = try await run(
            [
                "secrets", "decrypt", "my-app", "box", "--in", directory.appendingPathComponent("sealed").path,
                "--associated-data-file", directory.appendingPathComponent("ad").path,
            ], on: client)
        let request = try #require(client.requests(Flygate_Secrets_V1_DecryptRequest.self).first)
        #expect(request.body.ciphertext == [9, 8, 7] && request.body.associatedData == [99, 116, 120])
        #expect(output == CLIOutput(stdoutBytes: Self.keyMaterial))
    }

    @Test("an answer that is not bytes fails without printing it")
    func notBytes() async throws {
        let client = FakeMachinesClient([.sign: [.body(try json(#"{"signature": [1, 256]}"#))]])
        await #expect(throws: CLIFailure("the answer's signature is neither an array of bytes nor base64 text")) {
            _ = try await run(["secrets", "sign", "my-app", "signing"], on: client, stdin: .text("payload"))
        }
    }

    @Test("sign writes the signature's bytes; verify sends payload and signature and says valid")
    func signAndVerify() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flygate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = FakeMachinesClient([.sign: [.body(try json(#"{"signature": [5, 6, 7]}"#))]])
        let signed = try await run(["secrets", "sign", "my-app", "signing"], on: client, stdin: .text("payload"))
        #expect(client.requests(Flygate_Secrets_V1_SignRequest.self).first?.body.plaintext == Array("payload".utf8).map(Int64.init))
        #expect(signed == CLIOutput(stdoutBytes: [5, 6, 7]))
        let signature = directory.appendingPathComponent("sig").path
        try Data(signed.stdoutBytes).write(to: URL(fileURLWithPath: signature))
        let verified = try await run(["secrets", "verify", "my-app", "signing", "--signature-file", signature], on: client, stdin: .text("payload"))
        let request = try #require(client.requests(Flygate_Secrets_V1_VerifyRequest.self).first)
        #expect(request.body.plaintext == Array("payload".utf8).map(Int64.init) && request.body.signature == [5, 6, 7])
        #expect(verified.stdout == "signature valid\n")
    }

    @Test("verify cannot read both the payload and the signature from stdin")
    func verifyOneStdin() {
        #expect(usageError(["secrets", "verify", "my-app", "signing", "--signature-file", "-"])?.contains("cannot both come from stdin") == true)
    }
}

extension [Int64] {
    /// `{"name": [...]}`, for scripted answers.
    fileprivate func jsonArray(named name: String) -> JSONValue {
        .object(JSONObject([(key: name, value: .array(map { .int($0) }))]))
    }
}
