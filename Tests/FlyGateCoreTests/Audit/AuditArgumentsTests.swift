import FlyGateCore
import FlyGateJSON
import FlyMachinesProto
import Foundation
import Testing

@Suite struct AuditArgumentsTests {
    /// Every argument the table names is a real field of that rpc's request and is extracted when set.
    @Test(arguments: MachinesRPC.allCases)
    func everyRecordedArgumentIsARealField(_ rpc: MachinesRPC) throws {
        var checker = TableChecker(rpc: rpc)
        MachinesRPC.visitAll(&checker)
        #expect(checker.visited)
        #expect(checker.missing.isEmpty, "\(rpc): \(checker.missing)")
    }

    @Test func mutationsAndReadsDecideTheirArgumentsExplicitly() {
        // The ones that matter most, spelled out.
        let names = { (rpc: MachinesRPC) in AuditArguments.table(rpc).map(\.name) }
        #expect(names(.stop) == ["signal", "timeout"])
        #expect(names(.signal) == ["signal"])
        #expect(names(.wait).contains("state") && names(.wait).contains("timeout"))
        #expect(names(.create).contains("region") && !names(.create).contains("env"))
        #expect(names(.exec).contains("command") && names(.exec).contains("stdin_sha256") && !names(.exec).contains("stdin"))
        #expect(names(.updateMetadata) == ["key"])
    }

    @Test func secretsStayOutOfTheRecord() throws {
        var create = Flygate_Machines_V1_CreateRequest()
        create.appName = "a"
        create.body.region = "ord"
        create.body.config.image = "nginx"
        create.body.config.env = ["DB_PASSWORD": "s3cret-env-value"]
        create.body.config.files = [{ var file = Flygate_Machines_V1_File(); file.rawValue = "c2VjcmV0LWZpbGU="; return file }()]
        var exec = Flygate_Machines_V1_ExecRequest()
        exec.body.command = ["cat"]
        exec.body.stdin = "stdin-secret-value"
        var upsert = Flygate_Machines_V1_UpdateMetadataRequest()
        upsert.key = "role"
        upsert.body.value = "metadata-secret-value"
        var stop = Flygate_Machines_V1_StopRequest()
        stop.leaseNonce = "nonce-secret-value"
        let text = [
            JSONValue.object(AuditArguments.extract(create)).serialized,
            JSONValue.object(AuditArguments.extract(exec)).serialized,
            JSONValue.object(AuditArguments.extract(upsert)).serialized,
            JSONValue.object(AuditArguments.extract(stop)).serialized,
        ].joined()
        for secret in ["s3cret-env-value", "c2VjcmV0LWZpbGU=", "stdin-secret-value", "metadata-secret-value", "nonce-secret-value"] {
            #expect(!text.contains(secret))
        }
        #expect(AuditArguments.extract(exec)["stdin_sha256"]?.stringValue == AuditChain.digest(Array("stdin-secret-value".utf8)))
        #expect(AuditArguments.extract(create)["region"] == "ord" && AuditArguments.extract(create)["image"] == "nginx")
    }

    @Test("secret values, key material, plaintexts and private keys stay out of the record")
    func secretsOfTheOtherServicesStayOut() throws {
        let marker = "Zq9-secret-marker"
        let markerBytes = Array(marker.utf8).map(Int64.init)
        var createSecret = Flygate_Secrets_V1_CreateSecretRequest()
        createSecret.appName = "a"
        createSecret.secretName = "DB_PASSWORD"
        createSecret.body.value = marker
        var update = Flygate_Secrets_V1_UpdateSecretsRequest()
        update.body.values = ["API_KEY": marker]
        var setKey = Flygate_Secrets_V1_SetSecretKeyRequest()
        setKey.secretName = "signing"
        setKey.body.type = "ed25519"
        setKey.body.value = markerBytes
        var encrypt = Flygate_Secrets_V1_EncryptRequest()
        encrypt.secretName = "box"
        encrypt.body.plaintext = markerBytes
        var sign = Flygate_Secrets_V1_SignRequest()
        sign.secretName = "signing"
        sign.body.plaintext = markerBytes
        var decrypt = Flygate_Secrets_V1_DecryptRequest()
        decrypt.secretName = "box"
        decrypt.body.ciphertext = markerBytes
        var verify = Flygate_Secrets_V1_VerifyRequest()
        verify.secretName = "signing"
        verify.body.plaintext = markerBytes
        verify.body.signature = markerBytes
        var custom = Flygate_Certificates_V1_CreateCustomCertificateRequest()
        custom.body.hostname = "example.com"
        custom.body.fullchain = "-----BEGIN CERTIFICATE-----"
        custom.body.privateKey = marker
        let records = [
            AuditArguments.extract(createSecret), AuditArguments.extract(update), AuditArguments.extract(setKey),
            AuditArguments.extract(encrypt), AuditArguments.extract(sign), AuditArguments.extract(custom),
            AuditArguments.extract(decrypt), AuditArguments.extract(verify),
        ]
        let text = records.map { JSONValue.object($0).serialized }.joined()
        let bytes = Array(marker.utf8)
        let forms = [
            marker, Data(bytes).base64EncodedString(), bytes.map { String(format: "%02x", $0) }.joined(),
            // As numbers: JSON's `[90,113,…`, and a description's `[90, 113, …`.
            markerBytes.prefix(4).map(String.init).joined(separator: ","),
            markerBytes.prefix(4).map(String.init).joined(separator: ", "),
        ]
        for form in forms { #expect(!text.contains(form), "\(form)") }
        #expect(records[0]["secret"] == "DB_PASSWORD")
        #expect(records[1]["names"] == ["API_KEY"])
        #expect(records[2]["type"] == "ed25519")
        #expect(records[4]["plaintext_sha256"]?.stringValue?.count == 64)
        #expect(records[5]["hostname"] == "example.com" && records[5]["fullchain_sha256"] != nil)
        #expect(records[6]["ciphertext_sha256"]?.stringValue == AuditChain.digest(bytes))
        #expect(records[7]["secret"] == "signing" && records[7]["plaintext_sha256"]?.stringValue == AuditChain.digest(bytes))
    }

    @Test func statusMessagesLoseNoncesAndTokens() {
        let message = AuditRedaction.message("lease nonce abc123xyz is wrong; Authorization: FlyV1 fm2_AAAA,fm2_BBBB tried", nonce: "abc123xyz")
        #expect(!message.contains("abc123xyz") && !message.contains("fm2_AAAA") && message.contains("[lease nonce]"))
        #expect(AuditRedaction.message(String(repeating: "x", count: 2000), nonce: nil).count == 513)
    }
}

/// Decodes, for one rpc, a request with each table argument set, and checks it comes back out.
private struct TableChecker: MachinesRPCVisitor {
    let rpc: MachinesRPC
    var visited = false
    var missing: [String] = []

    mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
        guard Request.rpc == rpc else { return }
        visited = true
        for (name, source) in AuditArguments.table(rpc) {
            let found = Self.candidates(source).contains { json in
                guard let request = try? Request(jsonString: json) else { return false }
                return AuditArguments.extract(request)[name] != nil
            }
            if !found { missing.append(name) }
        }
    }

    /// Request JSON setting the argument to a value of each plausible type.
    static func candidates(_ source: AuditArguments.Source) -> [String] {
        let values = [#""v""#, "5", "true", #"["v"]"#, "[1, 2]", #"{"image": "v"}"#]
        func nest(_ path: [String], _ value: String) -> String {
            path.reversed().reduce(value) { inner, name in "{\"\(name)\": \(inner)}" }
        }
        switch source {
        case .query(let name), .path(let name): return values.map { "{\"\(name)\": \($0)}" }
        case .body(let path): return values.map { "{\"body\": \(nest(path, $0))}" }
        case .bodyKeys(let path): return ["{\"body\": \(nest(path, #"{"k": "v"}"#))}"]
        case .bodyDigest(let path): return values.map { "{\"body\": \(nest(path, $0))}" }
        }
    }
}
