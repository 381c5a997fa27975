import FlyGateJSON
import FlyGateTestSupport
import Foundation
import Testing

@testable import FlyGateCodegen

/// Field numbers survive changes to Fly's document: the lock keeps them, new fields go after,
/// and dropped fields are reserved.
@Suite(.enabled(if: Repository.hasOpenAPI, "../shared/fly-machines-openapi.json is absent"))
struct FieldNumberLockTests {
    /// The proto line of `field` in `message`, trimmed.
    static func line(_ field: String, of message: String, in proto: String) -> String? {
        guard let start = proto.range(of: "\nmessage \(message) {\n") else { return nil }
        let rest = proto[start.upperBound...]
        let body = rest[..<(rest.range(of: "\n}")?.lowerBound ?? rest.endIndex)]
        return body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.hasPrefix("//") && $0.split(separator: " ").dropFirst(2).first.map(String.init) == field }
    }

    /// Fly's document with `schema`'s properties changed by `edit`.
    static func document(editing schema: String, _ edit: (inout JSONObject) -> Void) throws -> [UInt8] {
        guard case .object(var root) = try Repository.openAPIDocument(),
            case .object(var components)? = root["components"],
            case .object(var schemas)? = components["schemas"],
            case .object(var target)? = schemas[schema],
            case .object(var properties)? = target["properties"]
        else { throw CodegenError("no schema \(schema)") }
        edit(&properties)
        target["properties"] = .object(properties)
        schemas[schema] = .object(target)
        components["schemas"] = .object(schemas)
        root["components"] = .object(components)
        return Array(JSONValue.object(root).serialized.utf8)
    }

    @Test("a member added in the middle of a schema gets a new number; the others keep theirs")
    func insertedMemberDoesNotRenumber() throws {
        let original = Array(try SharedDocuments.openAPI())
        let first = try Codegen.generate(openAPIDocument: original, fieldNumbers: [:])
        let lock = try #require(first[Codegen.fieldNumbersPath])
        let proto = try #require(first[Codegen.protoPath])
        let before = try #require(Self.line("region", of: "Machine", in: proto))

        // "aaa_new" sorts before every member; put it first, where document order would shift all.
        let edited = try Self.document(editing: "Machine") { properties in
            var reordered = JSONObject()
            reordered.append("aaa_new", ["type": "string"])
            for member in properties.members { reordered.append(member.key, member.value) }
            properties = reordered
        }
        let unlocked = try #require(try Codegen.generate(openAPIDocument: edited, fieldNumbers: [:])[Codegen.protoPath])
        #expect(Self.line("region", of: "Machine", in: unlocked) != before, "without the lock the fields shift")

        let locked = try Codegen.generate(openAPIDocument: edited, fieldNumbers: [Codegen.fieldNumbersPath: lock])
        let lockedProto = try #require(locked[Codegen.protoPath])
        #expect(Self.line("region", of: "Machine", in: lockedProto) == before)
        let highest = lock.split(separator: "\n").filter { $0.hasPrefix("Machine.") }
            .compactMap { Int($0.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "") }.max() ?? 0
        #expect(Self.line("aaa_new", of: "Machine", in: lockedProto) == "optional string aaa_new = \(highest + 1);")
        #expect(locked[Codegen.fieldNumbersPath]?.contains("Machine.aaa_new = \(highest + 1)\n") == true)
    }

    @Test("a member Fly drops keeps its lock line and its number and name are reserved")
    func droppedMemberIsReserved() throws {
        let original = Array(try SharedDocuments.openAPI())
        let lock = try #require(try Codegen.generate(openAPIDocument: original, fieldNumbers: [:])[Codegen.fieldNumbersPath])
        let number = try #require(
            lock.split(separator: "\n").first { $0.hasPrefix("Machine.region = ") }.flatMap { Int($0.split(separator: " ").last!) })
        let edited = try Self.document(editing: "Machine") { properties in properties["region"] = nil }
        let files = try Codegen.generate(openAPIDocument: edited, fieldNumbers: [Codegen.fieldNumbersPath: lock])
        let proto = try #require(files[Codegen.protoPath])
        #expect(Self.line("region", of: "Machine", in: proto) == nil)
        #expect(proto.contains("  reserved \(number);\n  reserved \"region\";\n"))
        #expect(files[Codegen.fieldNumbersPath]?.contains("Machine.region = \(number)\n") == true)
    }

    @Test("a lock line that is not `Message.field = N`, or repeats a number, is refused", arguments: [
        "Machine.region 3", "Machine = 3", "Machine.region = x", "Machine.region = 0", "Machine.a = 1\nMachine.b = 1",
    ])
    func malformedLockIsRefused(_ text: String) {
        #expect(throws: CodegenError.self) { try FieldNumbers(parsing: text, path: Codegen.fieldNumbersPath) }
    }
}
