import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

@testable import FlyGateCLI

/// A certificate as Fly describes it while it waits for DNS.
let certificateJSON = """
    {"hostname": "www.example.com", "status": "pending_validation", "configured": false, "acme_requested": true,
     "certificates": [{"source": "fly", "status": "pending_validation", "issuer": "Let's Encrypt"}],
     "dns_requirements": {"a": ["66.241.124.9"], "aaaa": ["2a09:8280:1::1"], "cname": "my-app.fly.dev",
                          "acme_challenge": {"name": "_acme-challenge.www.example.com", "target": "www.example.com.x.flydns.net"}},
     "validation_errors": [{"code": "dns", "message": "no A record", "remediation": "add the A record"}]}
    """

@Suite("certs verbs against a fake client", .timeLimit(.minutes(1)))
struct CertsVerbTests {
    static let detailText = """
        hostname     www.example.com
        status       pending_validation
        configured   no
        acme         requested
        certificate  fly, pending_validation, Let's Encrypt
        dns A        66.241.124.9
        dns AAAA     2a09:8280:1::1
        dns CNAME    my-app.fly.dev
        dns ACME     CNAME _acme-challenge.www.example.com -> www.example.com.x.flydns.net
        error        dns: no A record (add the A record)

        """

    @Test("list sends the filters and prints a table and the next cursor")
    func list() async throws {
        let client = FakeMachinesClient([
            .listCertificates: [
                .body(try json(#"""
                    {"certificates": [{"hostname": "www.example.com", "status": "active", "has_fly_certificate": true,
                                       "has_custom_certificate": true, "configured": true, "created_at": "2026-02-21T08:12:44Z"}],
                     "next_cursor": "n1", "total_count": 3}
                    """#))
            ],
        ])
        let output = try await run(["certs", "list", "my-app", "--filter", "example", "--limit", "1"], on: client)
        let request = try #require(client.requests(Flygate_Certificates_V1_ListCertificatesRequest.self).first)
        #expect(request.appName == "my-app" && request.filter == "example" && request.limit == 1 && !request.hasCursor)
        #expect(output.stdout == """
            HOSTNAME         STATUS  SOURCE      CONFIGURED  CREATED
            www.example.com  active  fly,custom  yes         2026-02-21T08:12:44Z
            next page: --cursor n1

            """)
    }

    @Test("add asks for an ACME certificate and prints the DNS records to set; --json the answer")
    func add() async throws {
        let client = FakeMachinesClient([.createAcmeCertificate: [.body(try json(certificateJSON))]])
        let output = try await run(["certs", "add", "my-app", "www.example.com"], on: client)
        let request = try #require(client.requests(Flygate_Certificates_V1_CreateAcmeCertificateRequest.self).first)
        #expect(request.appName == "my-app" && request.body.jsonValue() == ["hostname": "www.example.com"])
        #expect(output.stdout == Self.detailText)
        let jsonOutput = try await run(["certs", "add", "my-app", "www.example.com", "--json"], on: client, json: true)
        #expect(try JSONValue(parsing: jsonOutput.stdout) == json(certificateJSON))
    }

    @Test("show and check print the same details; check adds what DNS answered")
    func showAndCheck() async throws {
        var check = try json(certificateJSON).objectValue!
        check.append("dns_records", try json(#"{"a": ["1.2.3.4"], "resolved_addresses": ["1.2.3.4"]}"#))
        let client = FakeMachinesClient([.showCertificate: [.body(try json(certificateJSON))], .checkCertificate: [.body(.object(check))]])
        #expect(try await run(["certs", "show", "my-app", "www.example.com"], on: client).stdout == Self.detailText)
        let checked = try await run(["certs", "check", "my-app", "www.example.com"], on: client)
        #expect(checked.stdout == Self.detailText + "found A      1.2.3.4\nresolves to  1.2.3.4\n")
        #expect(client.requests(Flygate_Certificates_V1_CheckCertificateRequest.self).first?.hostname == "www.example.com")
    }

    @Test("import reads the chain and key from files and never prints the key")
    func importCustom() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flygate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let chain = "-----BEGIN CERTIFICATE-----\nMIIBchain\n-----END CERTIFICATE-----\n"
        let keyLine = "MC4CAQAwBQYDK2VwBCIEI\(UInt32.random(in: 0...UInt32.max))"
        let key = "-----BEGIN PRIVATE KEY-----\n\(keyLine)\n-----END PRIVATE KEY-----\n"
        try Data(chain.utf8).write(to: directory.appendingPathComponent("chain.pem"))
        let arguments = [
            "certs", "import", "my-app", "www.example.com", "--fullchain-file", directory.appendingPathComponent("chain.pem").path,
            "--key-file", "-",
        ]
        let client = FakeMachinesClient([.createCustomCertificate: [.body(try json(certificateJSON))]])
        let output = try await run(arguments, on: client, stdin: .text(key))
        let request = try #require(client.requests(Flygate_Certificates_V1_CreateCustomCertificateRequest.self).first)
        #expect(request.body.jsonValue() == ["fullchain": .string(chain), "hostname": "www.example.com", "private_key": .string(key)])
        #expect(output.stdout == Self.detailText)
        let failed = try await failure(of: arguments, RPCError(code: .invalidArgument, message: "cannot parse \(keyLine)"), stdin: .text(key))
        #expect(failed.stderr == "flygate: INVALID_ARGUMENT: cannot parse [redacted]\n")
    }

    @Test("delete picks the rpc by --acme-only and --custom-only", arguments: [
        ([String](), MachinesRPC.deleteCertificate, "removed www.example.com and its certificates from my-app\n"),
        (["--acme-only"], .deleteAcmeCertificate, "removed the ACME certificates of www.example.com\n"),
        (["--custom-only"], .deleteCustomCertificate, "removed the custom certificate of www.example.com\n"),
    ])
    func delete(flags: [String], rpc: MachinesRPC, expected: String) async throws {
        let client = FakeMachinesClient()
        let output = try await run(["certs", "delete", "my-app", "www.example.com"] + flags, on: client)
        #expect(client.calls.map(\.rpc) == [rpc])
        #expect(client.calls.first?.request.textFormatString().contains("www.example.com") == true)
        #expect(output.stdout == expected)
    }

    @Test("delete takes at most one of --acme-only and --custom-only")
    func deleteOneKind() {
        #expect(usageError(["certs", "delete", "my-app", "h", "--acme-only", "--custom-only"])?.contains("at most one") == true)
    }
}
