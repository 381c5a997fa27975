import FlyGateClient
import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesConformance
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

/// Every rpc of Apps, Volumes, Secrets, Certificates and Platform through the daemon's socket,
/// from a table of requests with their optional parameters and body members, against a
/// simulator that records what reached it. Each step's one upstream request must be the rpc's
/// documented operation carrying exactly what the caller asked for, and every request and answer
/// must conform to Fly's document.
@Suite(
    "The other services' rpcs through the daemon send what Fly's document describes",
    .enabled(if: SharedDocuments.openAPIRequired, "Fly's OpenAPI document is not at \(SharedDocuments.openAPIPath)"))
struct OtherServicesConformanceTests {
    /// One call: the request as proto JSON, `$name` standing for a value an earlier answer gave.
    struct Step: Sendable, CustomStringConvertible {
        var rpc: MachinesRPC
        var request: String
        /// Answer members kept for later steps: `$name` <- the body member at `path` (an index for an array).
        var captures: [(name: String, path: [String])]

        init(_ rpc: MachinesRPC, _ request: String, capture: [(name: String, path: [String])] = []) {
            self.rpc = rpc
            self.request = request
            self.captures = capture
        }

        var description: String { "\(rpc.rawValue) \(request)" }
    }

    static let app = #""app_name": "tour""#
    static let volume = #""app_name": "tour", "volume_id": "$volume""#
    static let guest = #"{"cpu_kind": "shared", "cpus": 1, "memory_mb": 256}"#
    static let steps: [Step] = [
        Step(.createApp, #"{"body": {"name": "tour", "org_slug": "personal", "network": "default", "enable_subdomains": true}}"#),
        Step(.listApps, #"{"org_slug": "personal"}"#),
        Step(.listApps, #"{"org_slug": "personal", "app_role": "machines"}"#),
        Step(.showApp, "{\(app)}"),
        Step(.createIPAssignment, #"{\#(app), "body": {"type": "v6"}}"#, capture: [("ip", ["ip"])]),
        Step(.createIPAssignment, #"{\#(app), "body": {"type": "v4", "region": "ord", "service_name": "web"}}"#),
        Step(.createIPAssignment, #"{\#(app), "body": {"type": "private_v6", "org_slug": "personal", "network": "default"}}"#),
        Step(.listIPAssignments, "{\(app)}"),
        Step(.deleteIPAssignment, #"{\#(app), "ip": "$ip"}"#),  // an IPv6 address as a path segment

        Step(
            .createVolume,
            #"{\#(app), "body": {"name": "data", "region": "ord", "size_gb": 1, "encrypted": true, "fstype": "ext4", "require_unique_zone": false, "snapshot_retention": 3, "auto_backup_enabled": false, "compute": \#(guest)}}"#,
            capture: [("volume", ["id"])]),
        Step(.listVolumes, "{\(app)}"),
        Step(.listVolumes, #"{\#(app), "summary": true}"#),
        Step(.getVolume, "{\(volume)}"),
        Step(.updateVolume, #"{\#(volume), "body": {"snapshot_retention": 7, "auto_backup_enabled": true}}"#),
        Step(.extendVolume, #"{\#(volume), "body": {"size_gb": 2}}"#),
        Step(.createVolumeSnapshot, "{\(volume)}"),
        Step(.listVolumeSnapshots, "{\(volume)}", capture: [("snapshot", ["0", "id"])]),
        Step(
            .createVolume, #"{\#(app), "body": {"name": "restored", "region": "ord", "size_gb": 3, "snapshot_id": "$snapshot"}}"#,
            capture: [("restored", ["id"])]),
        Step(.createVolume, #"{\#(app), "body": {"name": "forked", "source_volume_id": "$volume"}}"#),
        Step(.listOrgVolumes, #"{"org_slug": "personal"}"#),
        Step(
            .listOrgVolumes,
            #"{"org_slug": "personal", "region": "ord", "state": "created", "summary": true, "include_deleted": true, "limit": 1}"#,
            capture: [("volumes_cursor", ["next_cursor"])]),
        Step(.listOrgVolumes, #"{"org_slug": "personal", "cursor": "$volumes_cursor", "updated_after": "2020-01-01T00:00:00Z", "limit": 2}"#),
        Step(.deleteVolume, #"{\#(app), "volume_id": "$restored"}"#),
        Step(.deleteVolume, "{\(volume)}"),

        Step(.createSecret, #"{\#(app), "secret_name": "A", "body": {"value": "tour-value"}}"#, capture: [("version", ["version"])]),
        Step(.updateSecrets, #"{\#(app), "body": {"values": {"B": "other-value", "C": "third-value"}}}"#),
        Step(.listSecrets, "{\(app)}"),
        Step(.listSecrets, #"{\#(app), "min_version": "$version"}"#),
        Step(.getSecret, #"{\#(app), "secret_name": "A", "min_version": "$version"}"#),
        Step(.deleteSecret, #"{\#(app), "secret_name": "B"}"#),
        Step(.generateSecretKey, #"{\#(app), "secret_name": "signer", "body": {"type": "nacl_sign"}}"#),
        Step(.setSecretKey, #"{\#(app), "secret_name": "mac", "body": {"type": "hs256", "value": [\#(Array(repeating: "7", count: 32).joined(separator: ","))]}}"#),
        Step(.listSecretKeys, "{\(app)}"),
        Step(.listSecretKeys, #"{\#(app), "types": "nacl_sign,hs256", "min_version": "$version"}"#),
        Step(.getSecretKey, #"{\#(app), "secret_name": "signer", "min_version": "$version"}"#),
        Step(
            .sign, #"{\#(app), "secret_name": "signer", "min_version": "$version", "body": {"plaintext": [104, 105]}}"#,
            capture: [("signature", ["signature"])]),
        Step(.verify, #"{\#(app), "secret_name": "signer", "min_version": "$version", "body": {"plaintext": [104, 105], "signature": $signature}}"#),
        Step(.generateSecretKey, #"{\#(app), "secret_name": "box", "body": {"type": "nacl_secretbox"}}"#),
        Step(
            .encrypt, #"{\#(app), "secret_name": "box", "min_version": "$version", "body": {"plaintext": [104, 105], "associated_data": [1, 2]}}"#,
            capture: [("ciphertext", ["ciphertext"])]),
        Step(.decrypt, #"{\#(app), "secret_name": "box", "min_version": "$version", "body": {"ciphertext": $ciphertext, "associated_data": [1, 2]}}"#),
        Step(.deleteSecretKey, #"{\#(app), "secret_name": "mac"}"#),

        Step(.createAcmeCertificate, #"{\#(app), "body": {"hostname": "www.example.com"}}"#),
        Step(.checkCertificate, #"{\#(app), "hostname": "www.example.com"}"#),
        Step(.showCertificate, #"{\#(app), "hostname": "www.example.com"}"#),
        Step(.createAcmeCertificate, #"{\#(app), "body": {"hostname": "api.example.com"}}"#),
        Step(
            .createCustomCertificate,
            #"{\#(app), "body": {"hostname": "custom.example.com", "fullchain": "\#(TestCertificate.jsonEscaped(TestCertificate.chain))", "private_key": "\#(TestCertificate.jsonEscaped(TestCertificate.privateKey))"}}"#
        ),
        Step(.listCertificates, "{\(app)}"),
        Step(.listCertificates, #"{\#(app), "filter": "example", "limit": 1}"#, capture: [("certificates_cursor", ["next_cursor"])]),
        Step(.listCertificates, #"{\#(app), "cursor": "$certificates_cursor", "limit": 500}"#),
        Step(.deleteAcmeCertificate, #"{\#(app), "hostname": "api.example.com"}"#),
        Step(.deleteCustomCertificate, #"{\#(app), "hostname": "custom.example.com"}"#),
        Step(.deleteCertificate, #"{\#(app), "hostname": "www.example.com"}"#),

        Step(.listRegions, "{}"),
        Step(.getPlacements, #"{"body": {"region": "ord", "count": 1, "org_slug": "personal"}}"#),
        Step(
            .getPlacements,
            // `weights` (Fly's `placement.Weights`) is a map of integers.
            #"{"body": {"region": "lhr,eu", "count": 3, "org_slug": "personal", "compute": \#(guest), "weights": {"region": 1000, "spread": 0}}}"#
        ),
        Step(.deleteApp, "{\(app)}"),
    ]

    /// The Fly operation each rpc stands for, written out here rather than read from the
    /// generated table, so that a wrong path in the table is caught, not repeated.
    static let operationIDs: [MachinesRPC: String] = [
        .listApps: "Apps_list", .createApp: "Apps_create", .showApp: "Apps_show", .deleteApp: "Apps_delete",
        .listIPAssignments: "App_IPAssignments_list", .createIPAssignment: "App_IPAssignments_create",
        .deleteIPAssignment: "App_IPAssignments_delete",
        .listVolumes: "Volumes_list", .createVolume: "Volumes_create", .getVolume: "Volumes_get_by_id",
        .updateVolume: "Volumes_update", .deleteVolume: "Volume_delete", .extendVolume: "Volumes_extend",
        .listVolumeSnapshots: "Volumes_list_snapshots", .createVolumeSnapshot: "createVolumeSnapshot",
        .listOrgVolumes: "Volumes_org_list",
        .listSecrets: "Secrets_list", .updateSecrets: "Secrets_update", .getSecret: "Secret_get", .createSecret: "Secret_create",
        .deleteSecret: "Secret_delete", .listSecretKeys: "Secretkeys_list", .getSecretKey: "Secretkey_get",
        .setSecretKey: "Secretkey_set", .deleteSecretKey: "Secretkey_delete", .generateSecretKey: "Secretkey_generate",
        .encrypt: "Secretkey_encrypt", .decrypt: "Secretkey_decrypt", .sign: "Secretkey_sign", .verify: "Secretkey_verify",
        .listCertificates: "App_Certificates_list", .createAcmeCertificate: "App_Certificates_acme_create",
        .createCustomCertificate: "App_Certificates_custom_create", .showCertificate: "App_Certificates_show",
        .deleteCertificate: "App_Certificates_delete", .deleteAcmeCertificate: "App_Certificates_acme_delete",
        .deleteCustomCertificate: "App_Certificates_custom_delete", .checkCertificate: "App_Certificates_check",
        .listRegions: "Platform_regions_get", .getPlacements: "Platform_placements_post",
    ]

    @Test(
        "every rpc of the five services reaches its documented operation with exactly the path, query and body asked for",
        .timeLimit(.minutes(1)))
    func everyRequestConforms() async throws {
        let checker = ConformanceChecker(document: try JSONValue(parsing: Array(try SharedDocuments.openAPI())))
        try await withDaemonStack(simulator: { $0.recordExchanges = true }) { stack in
            stack.simulator.faults.latency = .zero
            try await stack.withClient { client in try await Self.run(Self.steps, through: client, stack, checker) }
            let others = Set(MachinesRPC.allCases.filter { $0.serviceName != MachinesRPC.machinesServiceName })
            #expect(others.count == 40)
            #expect(Set(Self.steps.map(\.rpc)) == others)
            #expect(Set(Self.operationIDs.keys) == others)
            let exchanges = stack.simulator.exchanges
            #expect(exchanges.count == Self.steps.count)
            let problems = exchanges.flatMap(checker.check)
            #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(20).joined(separator: "\n"))")
        }
    }

    /// Calls every step through `client` in turn, checking what each sent upstream.
    static func run(_ steps: [Step], through client: RPCClient, _ stack: DaemonStack, _ checker: ConformanceChecker) async throws {
        var values: [String: String] = [:]
        for step in steps {
            var text = step.request
            for (name, value) in values { text = text.replacingOccurrences(of: "$" + name, with: value) }
            let before = stack.simulator.exchanges.count
            let answer: JSONValue?
            do {
                answer = try await client.call(step.rpc, protoJSON: text)
            } catch {
                Issue.record("\(step.rpc) \(text) failed: \(error)")
                throw error
            }
            let sent = Array(stack.simulator.exchanges.dropFirst(before))
            let problems = try Self.mismatches(step.rpc, asked: JSONValue(parsing: Array(text.utf8)), sent: sent, checker: checker)
            #expect(problems.isEmpty, "\(step.rpc) \(text):\n\(problems.joined(separator: "\n"))")
            for (name, path) in step.captures {
                var member = answer
                for key in path {
                    if let index = Int(key), let elements = member?.arrayValue {
                        member = elements.indices.contains(index) ? elements[index] : .none
                    } else {
                        member = member?[key]
                    }
                }
                let value = try #require(member, "\(step.rpc) answered no \(path)")
                values[name] = value.stringValue ?? value.serialized
            }
        }
    }

    /// How the requests `sent` upstream for one call of `rpc` differ from the one the caller
    /// `asked` for (the step's request as JSON): one request, to the rpc's documented method and
    /// path, with the asked path parameters, exactly the asked query and exactly the asked body.
    static func mismatches(_ rpc: MachinesRPC, asked: JSONValue, sent: [SimulatorExchange], checker: ConformanceChecker) -> [String] {
        guard sent.count == 1, let exchange = sent.first else { return ["\(sent.count) requests reached the simulator, not 1"] }
        guard let route = checker.route(method: exchange.method, uri: exchange.uri) else {
            return ["\(exchange.method) \(exchange.uri) is no documented path"]
        }
        var problems: [String] = []
        if route.operationID != operationIDs[rpc] {
            problems.append("sent \(route.method) \(route.template), which is \(route.operationID), not \(operationIDs[rpc] ?? "?")")
        }
        if route.method != rpc.httpMethod || route.template != rpc.pathTemplate {
            problems.append("sent \(route.method) \(route.template), the table says \(rpc.httpMethod) \(rpc.pathTemplate)")
        }
        let pathNames = rpc.pathTemplate.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
        var askedPath: [String: String] = [:]
        var askedQuery: [String: String] = [:]
        for (name, value) in asked.objectValue?.members ?? [] where name != "body" {
            let text = value.stringValue ?? value.serialized
            if pathNames.contains(name) { askedPath[name] = text } else { askedQuery[name] = text }
        }
        if route.pathParameters != askedPath { problems.append("path parameters \(route.pathParameters), asked \(askedPath)") }
        let sentQuery = Dictionary(exchange.query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        if sentQuery != askedQuery || exchange.query.count != sentQuery.count {
            problems.append("query \(exchange.query.map { "\($0.name)=\($0.value)" }), asked \(askedQuery)")
        }
        let sentBody = exchange.requestBody.isEmpty ? nil : try? JSONValue(parsing: exchange.requestBody)
        let askedBody = asked["body"].map(expandingUnknownJSON)
        if sentBody != askedBody {
            problems.append("body \(sentBody?.serialized ?? "none"), asked \(askedBody?.serialized ?? "none")")
        }
        return problems
    }

    /// `value` with every `unknown_json` member replaced by the members its text holds: the JSON a
    /// message stands for.
    static func expandingUnknownJSON(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map(expandingUnknownJSON))
        case .object(let object):
            var expanded = JSONObject()
            for (key, member) in object.members {
                if key == "unknown_json", let text = member.stringValue, let inner = try? JSONValue(parsing: Array(text.utf8)),
                    let members = inner.objectValue?.members
                {
                    for (innerKey, innerMember) in members { expanded[innerKey] = innerMember }
                } else {
                    expanded[key] = expandingUnknownJSON(member)
                }
            }
            return .object(expanded)
        default:
            return value
        }
    }
}
