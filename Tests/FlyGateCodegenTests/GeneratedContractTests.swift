import FlyGateJSON
import FlyGateTestSupport
import Foundation
import Testing

@testable import FlyGateCodegen

/// Paths of the repository and of Fly's OpenAPI document beside it (never copied in).
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let openAPI = URL(fileURLWithPath: SharedDocuments.openAPIPath)
    /// Present, or under CI (where its absence fails the suites instead of skipping them).
    static var hasOpenAPI: Bool { SharedDocuments.openAPIRequired }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func openAPIDocument() throws -> JSONValue {
        try JSONValue(parsing: Array(try SharedDocuments.openAPI()))
    }
}

@Suite(.enabled(if: Repository.hasOpenAPI, "../shared/fly-machines-openapi.json is absent: the generated contract cannot be checked"))
struct GeneratedContractTests {
    @Test func committedFilesAreCurrent() throws {
        var locks: [String: String] = [:]
        for path in Codegen.fieldNumbersPaths { locks[path] = try Repository.read(path) }
        let files = try Codegen.generate(openAPIDocument: Array(try SharedDocuments.openAPI()), fieldNumbers: locks)
        // A proto file, a lock and a Swift mapping per service, and the rpc table.
        #expect(files.count == 3 * Overrides.services.count + 1)
        #expect(Set(files.keys).isSuperset(of: Codegen.protoPaths + Codegen.fieldNumbersPaths + [Codegen.rpcTablePath]))
        for (path, generated) in files {
            let committed = try Repository.read(path)
            #expect(committed == generated, "\(path) is stale: run scripts/generate.sh")
        }
    }

    /// Field names of `message NAME { ... }` in the committed proto, in order.
    static func protoFields(of message: String, in proto: String) -> [String]? {
        guard let start = proto.range(of: "\nmessage \(message) {\n") else { return nil }
        let rest = proto[start.upperBound...]
        if rest.hasPrefix("}") { return [] }
        guard let end = rest.range(of: "\n}") else { return nil }
        return rest[..<end.lowerBound].split(separator: "\n").compactMap { line in
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard let equals = words.firstIndex(of: "="), equals > 0, !line.contains("//") else { return nil }
            return String(words[equals - 1])
        }
    }

    static let rpcOperations: [(rpc: String, operationID: String, method: String?)] = [
        ("Cordon", "Machines_cordon", nil), ("Create", "Machines_create", nil), ("CreateLease", "Machines_create_lease", nil),
        ("Delete", "Machines_delete", nil), ("DeleteMetadata", "Machines_delete_metadata", nil), ("Exec", "Machines_exec", nil),
        ("List", "Machines_list", nil), ("ListEvents", "Machines_list_events", nil),
        ("ListProcesses", "Machines_list_processes", nil), ("ListVersions", "Machines_list_versions", nil),
        ("ReleaseLease", "Machines_release_lease", nil), ("Restart", "Machines_restart", nil), ("Show", "Machines_show", nil),
        ("ShowLease", "Machines_show_lease", nil), ("ShowMetadata", "Machines_show_metadata", nil),
        ("Signal", "Machines_signal", nil), ("Start", "Machines_start", nil), ("Stop", "Machines_stop", nil),
        ("Uncordon", "Machines_uncordon", nil), ("Update", "Machines_update", nil),
        ("UpdateMetadata", "Machines_upsert_metadata", nil), ("Wait", "Machines_wait", nil), ("Suspend", "Machines_suspend", nil),
        ("GetMetadataKey", "Machines_get_metadata_key", nil), ("PatchMetadata", "Machines_update_metadata", "patch"),
        ("GetMemory", "Machines_get_memory", nil), ("SetMemoryLimit", "Machines_set_memory_limit", nil),
        ("ReclaimMemory", "Machines_reclaim_memory", nil), ("ListOrgMachines", "Machines_org_list", nil),
    ]

    /// Mutations of a leased Machine carry the nonce (FLY_API.md §5), beyond the two the document declares.
    static let nonceMutations: Set<String> = ["Update", "Start", "Stop", "Restart", "Delete", "Cordon", "Uncordon", "Suspend", "Signal"]

    @Test func serviceHasTheTwentyNineRPCs() throws {
        let proto = try Repository.read(Codegen.protoPath)
        let declared = proto.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("rpc ") else { return nil }
            return text
        }
        #expect(declared == Self.rpcOperations.map { "rpc \($0.rpc)(\($0.rpc)Request) returns (\($0.rpc)Response);" })
    }

    /// Request fields: path parameters, then query parameters, by their REST names (less the
    /// omitted ones); then `lease_nonce` where the call takes the header; then `body` where it
    /// has one. For every rpc of every service.
    @Test func requestFieldsFollowTheRESTCall() throws {
        let document = try Repository.openAPIDocument()
        for service in Overrides.services {
            let proto = try Repository.read(service.protoPath)
            let rpcs = service.rpcs.map { (rpc: $0.name, operationID: $0.operationID, method: $0.method?.lowercased()) }
            try Self.checkRequestFields(rpcs, proto: proto, document: document)
        }
        #expect(Overrides.services[0].rpcs.map(\.name) == Self.rpcOperations.map(\.rpc))
    }

    static func checkRequestFields(
        _ rpcs: [(rpc: String, operationID: String, method: String?)], proto: String, document: JSONValue
    ) throws {
        for (rpc, operationID, onlyMethod) in rpcs {
            var found: (path: String, operation: JSONValue)?
            for (path, item) in document["paths"]!.objectValue!.members {
                for (method, operation) in item.objectValue!.members
                where operation["operationId"]?.stringValue == operationID && (onlyMethod == nil || method == onlyMethod) {
                    found = (path, operation)
                }
            }
            let (path, operation) = try #require(found, "\(operationID) not in the document")
            let parameters = operation["parameters"]?.arrayValue ?? []
            func names(_ location: String) -> [String] {
                parameters.filter { $0["in"]?.stringValue == location }.compactMap { $0["name"]?.stringValue }
            }
            let pathOrder = names("path").sorted {
                path.range(of: "{\($0)}")!.lowerBound < path.range(of: "{\($1)}")!.lowerBound
            }
            let omitted = Overrides.omittedQueryParameters[operationID] ?? [:]
            var expected = pathOrder + names("query").filter { omitted[$0] == nil }
            if names("header").contains("fly-machine-lease-nonce") || Self.nonceMutations.contains(rpc) {
                expected.append("lease_nonce")
            }
            if operation["requestBody"] != nil { expected.append("body") }
            #expect(Self.protoFields(of: "\(rpc)Request", in: proto) == expected, "\(rpc)")
        }
    }

    @Test func everyModelMessageKeepsUnknownMembers() throws {
        for service in Overrides.services {
            let proto = try Repository.read(service.protoPath)
            let rpcMessages = Set(service.rpcs.flatMap { ["\($0.name)Request", "\($0.name)Response"] })
            let models = proto.components(separatedBy: "\nmessage ").dropFirst().map { String($0.prefix { $0 != " " }) }
            #expect(models.count > rpcMessages.count, "\(service.protoPath)")
            for model in models where !rpcMessages.contains(model) {
                #expect(Self.protoFields(of: model, in: proto)?.last == "unknown_json", "\(model)")
            }
        }
    }

    /// Every operation of Fly's document is an rpc or excluded with a reason, so a new Fly
    /// operation fails this test (and the generator) until it is generated or excluded.
    @Test func everyOperationOfTheDocumentIsAnRPCOrExcluded() throws {
        let document = try Repository.openAPIDocument()
        var operations: Set<String> = []
        for (path, item) in document["paths"]!.objectValue!.members {
            for (method, _) in item.objectValue!.members where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        var served: Set<String> = []
        for service in Overrides.services {
            let proto = try Repository.read(service.protoPath)
            // Each rpc's comment starts with its REST call, `GET /v1/apps/{app_name}?query... -> 200`,
            // wrapped over lines when it is long.
            var comment: [Substring] = []
            for line in proto.split(separator: "\n") {
                if line.hasPrefix("  // ") {
                    comment += line.dropFirst(5).split(separator: " ")
                    continue
                }
                defer { comment = [] }
                guard line.hasPrefix("  rpc ") else { continue }
                let words = comment
                guard words.count > 1, ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(words[0]), words[1].hasPrefix("/v1/") else {
                    Issue.record("\(line): its comment does not start with the REST call")
                    continue
                }
                let path = words[1].dropFirst(3).split(separator: "?").first.map(String.init) ?? ""
                served.insert("\(words[0]) \(path)")
            }
        }
        let excluded = Set(Codegen.excludedOperations.map { "\($0.method) \($0.path)" })
        #expect(served.count == Overrides.rpcs.count, "every rpc names one REST call")
        #expect(served.isDisjoint(with: excluded))
        #expect(served.union(excluded) == operations, "neither served nor excluded: \(operations.subtracting(served.union(excluded)).sorted())")
        #expect(served.count + excluded.count == operations.count)
        #expect(Codegen.excludedOperations.allSatisfy { !$0.reason.isEmpty })
    }

    @Test("a new operation in Fly's document fails the generator until it is an rpc or excluded")
    func aNewOperationFailsTheGenerator() throws {
        guard case .object(var root) = try Repository.openAPIDocument(), case .object(var paths)? = root["paths"] else {
            throw CodegenError("no paths")
        }
        paths["/apps/{app_name}/brand_new"] = ["get": ["operationId": "Apps_brand_new", "responses": ["200": ["description": "ok"]]]]
        root["paths"] = .object(paths)
        let edited = Array(JSONValue.object(root).serialized.utf8)
        #expect(throws: CodegenError.self) { try Codegen.generate(openAPIDocument: edited, fieldNumbers: [:]) }
    }

    @Test("credential operations are never rpcs: /tokens/* and deploy_token are excluded")
    func credentialOperationsAreExcluded() throws {
        let excludedPaths = Set(Codegen.excludedOperations.map(\.path))
        #expect(excludedPaths.isSuperset(of: [
            "/tokens/authenticate", "/tokens/authorize", "/tokens/current", "/tokens/kms", "/tokens/oidc",
            "/apps/{app_name}/deploy_token",
        ]))
        for service in Overrides.services {
            let proto = try Repository.read(service.protoPath)
            #expect(!proto.contains("/v1/tokens"), "\(service.protoPath)")
            #expect(!proto.contains("deploy_token"), "\(service.protoPath)")
        }
    }

    @Test("secret values are never asked for: show_secrets is not in the contract")
    func secretValuesAreNeverAskedFor() throws {
        let proto = try Repository.read("proto/flygate/secrets/v1/secrets.proto")
        #expect(Self.protoFields(of: "ListSecretsRequest", in: proto) == ["app_name", "min_version"])
        #expect(Self.protoFields(of: "GetSecretRequest", in: proto) == ["app_name", "secret_name", "min_version"])
        #expect(!proto.contains("show_secrets"))
    }

    @Test("a member differing from another only in case stays in unknown_json, not a second property")
    func caseTwinsStayUnknown() throws {
        let proto = try Repository.read("proto/flygate/secrets/v1/secrets.proto")
        #expect(Self.protoFields(of: "AppSecretsUpdateResp", in: proto) == ["secrets", "version", "unknown_json"])
    }

    @Test("services are grouped as the document's tags group them, each in a package of its own")
    func servicesFollowTheDocumentsTags() throws {
        #expect(Codegen.serviceNames == [
            "flygate.machines.v1.Machines", "flygate.apps.v1.Apps", "flygate.volumes.v1.Volumes", "flygate.secrets.v1.Secrets",
            "flygate.certificates.v1.Certificates", "flygate.platform.v1.Platform",
        ])
        let volumes = try Repository.read("proto/flygate/volumes/v1/volumes.proto")
        #expect(volumes.contains("  rpc ListOrgVolumes(ListOrgVolumesRequest) returns (ListOrgVolumesResponse);\n"))
        #expect(volumes.contains("package flygate.volumes.v1;\n"))
    }
}

@Suite struct SwiftNamingTests {
    @Test(arguments: [
        ("machine_id", "machineID"), ("app_name", "appName"), ("h2_backend", "h2Backend"), ("force_https", "forceHTTPS"),
        ("description", "description_p"), ("init", "init_p"), ("protocol", "`protocol`"), ("private_ip", "privateIp"),
        ("url_prefix", "urlPrefix"), ("from_event_id", "fromEventID"),
    ])
    func propertyNames(_ field: String, _ expected: String) {
        #expect(SwiftNaming.property(field) == expected)
    }

    @Test func hasAccessors() {
        #expect(SwiftNaming.hasAccessor("machine_id") == "hasMachineID")
        #expect(SwiftNaming.hasAccessor("description") == "hasDescription_p")
        // protoc-gen-swift suffixes names that look like accessors themselves.
        #expect(SwiftNaming.property("has_fly_certificate") == "hasFlyCertificate_p")
        #expect(SwiftNaming.hasAccessor("has_fly_certificate") == "hasHasFlyCertificate_p")
        #expect(SwiftNaming.property("hash") == "hash")
        #expect(SwiftNaming.property("clear_text") == "clearText_p")
        #expect(SwiftNaming.typeName(package: "flygate.machines.v1", message: "Machine") == "Flygate_Machines_V1_Machine")
    }
}
