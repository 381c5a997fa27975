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
        let files = try Codegen.generate(
            openAPIDocument: Array(try SharedDocuments.openAPI()),
            fieldNumbers: try Repository.read(Codegen.fieldNumbersPath))
        #expect(files.count == 3)
        for (path, generated) in files {
            let committed = try Repository.read(path)
            #expect(committed == generated, "\(path) is stale: run scripts/generate.sh")
        }
    }

    /// Field names of `message NAME { ... }` in the committed proto, in order.
    static func protoFields(of message: String, in proto: String) -> [String]? {
        guard let start = proto.range(of: "\nmessage \(message) {\n") else { return nil }
        let rest = proto[start.upperBound...]
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

    /// Request fields: path parameters, then query parameters, by their REST names; then
    /// `lease_nonce` where the call takes the header; then `body` where it has one.
    @Test func requestFieldsFollowTheRESTCall() throws {
        let proto = try Repository.read(Codegen.protoPath)
        let document = try Repository.openAPIDocument()
        for (rpc, operationID, onlyMethod) in Self.rpcOperations {
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
            var expected = pathOrder + names("query")
            if names("header").contains("fly-machine-lease-nonce") || Self.nonceMutations.contains(rpc) {
                expected.append("lease_nonce")
            }
            if operation["requestBody"] != nil { expected.append("body") }
            #expect(Self.protoFields(of: "\(rpc)Request", in: proto) == expected, "\(rpc)")
        }
    }

    @Test func everyModelMessageKeepsUnknownMembers() throws {
        let proto = try Repository.read(Codegen.protoPath)
        let models = proto.components(separatedBy: "\nmessage ").dropFirst().map { $0.prefix { $0 != " " } }
            .filter { !$0.hasSuffix("Request") && !$0.hasSuffix("Response") || $0.hasPrefix("Create") || $0.hasPrefix("Update") }
        for model in models where !Self.rpcOperations.contains(where: { "\($0.rpc)Request" == model || "\($0.rpc)Response" == model }) {
            #expect(Self.protoFields(of: String(model), in: proto)?.last == "unknown_json", "\(model)")
        }
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
        #expect(SwiftNaming.typeName(package: "flygate.machines.v1", message: "Machine") == "Flygate_Machines_V1_Machine")
    }
}
