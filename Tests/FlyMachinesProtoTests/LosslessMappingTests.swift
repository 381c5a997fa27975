import FlyGateJSON
import Foundation
import SwiftProtobuf
import Testing

@testable import FlyMachinesProto

/// A fixture the repository owns and the model message it is a body of.
struct Fixture: CustomTestStringConvertible, Sendable {
    let file: String
    let decode: @Sendable (JSONValue) throws -> (json: JSONValue, binary: [UInt8])
    let roundTripBinary: @Sendable ([UInt8]) throws -> JSONValue

    var testDescription: String { file }

    static func model<M: JSONMappedMessage>(_ file: String, _ type: M.Type) -> Fixture {
        Fixture(
            file: file,
            decode: { json in
                let message = try M(json: json)
                return (message.jsonValue(), try message.serializedBytes())
            },
            roundTripBinary: { bytes in try M(serializedBytes: bytes).jsonValue() }
        )
    }

    /// A response body, read the way the upstream client reads it.
    static func response<R: MachinesRPCResponse>(_ file: String, _ type: R.Type) -> Fixture {
        Fixture(
            file: file,
            decode: { json in
                let message = try R(restBody: json)
                return (message.restBody ?? .null, try message.serializedBytes())
            },
            roundTripBinary: { bytes in try R(serializedBytes: bytes).restBody ?? .null }
        )
    }

    static func load(_ file: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(file)")
        return try JSONValue(parsing: Array(try Data(contentsOf: url)))
    }
}

@Suite struct LosslessMappingTests {
    /// Every response and request schema of the 29 rpcs, as Fly sends or takes it.
    static let fixtures: [Fixture] = [
        .model("machine.json", Flygate_Machines_V1_Machine.self),
        .response("machine-list.json", Flygate_Machines_V1_ListResponse.self),
        .model("create-machine-request.json", Flygate_Machines_V1_CreateMachineRequest.self),
        .model("update-machine-request.json", Flygate_Machines_V1_UpdateMachineRequest.self),
        .model("create-lease-request.json", Flygate_Machines_V1_CreateLeaseRequestBody.self),
        .model("lease.json", Flygate_Machines_V1_Lease.self),
        .response("events.json", Flygate_Machines_V1_ListEventsResponse.self),
        .response("processes.json", Flygate_Machines_V1_ListProcessesResponse.self),
        .response("versions.json", Flygate_Machines_V1_ListVersionsResponse.self),
        .model("exec-request.json", Flygate_Machines_V1_MachineExecRequest.self),
        .model("exec-request-cmd.json", Flygate_Machines_V1_MachineExecRequest.self),
        .model("exec-response.json", Flygate_Machines_V1_ExecResponseBody.self),
        .model("signal-request.json", Flygate_Machines_V1_SignalRequestBody.self),
        .model("signal-request-number.json", Flygate_Machines_V1_SignalRequestBody.self),
        .model("stop-request.json", Flygate_Machines_V1_StopRequestBody.self),
        .model("stop-request-nanoseconds.json", Flygate_Machines_V1_StopRequestBody.self),
        .model("wait-response.json", Flygate_Machines_V1_WaitMachineResponse.self),
        .response("metadata.json", Flygate_Machines_V1_ShowMetadataResponse.self),
        .model("metadata-value.json", Flygate_Machines_V1_MetadataValueResponse.self),
        .model("upsert-metadata-request.json", Flygate_Machines_V1_UpsertMetadataKeyRequest.self),
        .model("update-metadata-request.json", Flygate_Machines_V1_UpdateMetadataRequestBody.self),
        .model("update-metadata-request-delete.json", Flygate_Machines_V1_UpdateMetadataRequestBody.self),
        .model("memory.json", Flygate_Machines_V1_MemoryResponse.self),
        .model("set-memory-limit-request.json", Flygate_Machines_V1_SetMemoryLimitRequestBody.self),
        .model("reclaim-memory-request.json", Flygate_Machines_V1_ReclaimMemoryRequestBody.self),
        .model("reclaim-memory-response.json", Flygate_Machines_V1_ReclaimMemoryResponseBody.self),
        .model("org-machines.json", Flygate_Machines_V1_OrgMachinesResponse.self),
        .model("error-response.json", Flygate_Machines_V1_ErrorResponse.self),
        .model("start-result.json", Flygate_Machines_V1_StartResult.self),
        .model("ok.json", Flygate_Machines_V1_OkResult.self),
    ]

    @Test("JSON -> proto -> JSON gives the same JSON value", arguments: fixtures)
    func jsonRoundTrip(_ fixture: Fixture) throws {
        let original = try Fixture.load(fixture.file)
        let (json, _) = try fixture.decode(original)
        #expect(json == original, "\(fixture.file): \(json.serialized)")
    }

    @Test("proto binary -> JSON and back is stable", arguments: fixtures)
    func binaryRoundTrip(_ fixture: Fixture) throws {
        let original = try Fixture.load(fixture.file)
        let (json, binary) = try fixture.decode(original)
        let fromBinary = try fixture.roundTripBinary(binary)
        #expect(fromBinary == json)
        // And once more through JSON: the binary form of the re-read JSON is equal too.
        let (again, _) = try fixture.decode(fromBinary)
        #expect(again == original)
    }

    @Test func everyFixtureIsUsed() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        let used = Set(Self.fixtures.map(\.file)).union(["lease-envelope.json"])
        #expect(Set(files) == used)
    }

    @Test func unknownMembersAtEveryLevelAreKept() throws {
        let machine = try Flygate_Machines_V1_Machine(json: try Fixture.load("machine.json"))
        #expect(machine.unknownJson.contains("future_top_level_member"))
        let port = machine.config.services[0].ports[0]
        #expect(port.port == 80)
        #expect(port.unknownJson == #"{"tcp_keepalive":{"idle":30}}"#)
        #expect(machine.config.guest.unknownJson == #"{"future_guest_flag":true}"#)
    }

    @Test func showModifyUpdateKeepsEverything() throws {
        let original = try Fixture.load("machine.json")
        var machine = try Flygate_Machines_V1_Machine(json: original)
        machine.config.image = "registry-1.docker.io/library/nginx:1.28"
        var request = Flygate_Machines_V1_UpdateMachineRequest()
        request.config = machine.config
        let sent = request.jsonValue()
        var expected = original["config"]!.objectValue!
        expected["image"] = "registry-1.docker.io/library/nginx:1.28"
        #expect(sent["config"] == .object(expected))
    }

    @Test func changedFieldWinsOverItsKeptOriginalForm() throws {
        var service = try Flygate_Machines_V1_MachineService(json: ["autostop": false, "protocol": "tcp"])
        #expect(service.autostop == "off")
        #expect(service.jsonValue()["autostop"] == false)
        service.autostop = "suspend"
        #expect(service.jsonValue()["autostop"] == "suspend")
        service.clearAutostop()
        #expect(service.jsonValue()["autostop"] == nil)
    }

    @Test func clearedListDropsItsKeptEmptyForm() throws {
        var config = try Flygate_Machines_V1_MachineConfig(json: ["standbys": [], "image": "a"])
        #expect(config.jsonValue() == ["standbys": [], "image": "a"])
        config.standbys = ["d8d9e1e5c43e08"]
        #expect(config.jsonValue() == ["standbys": ["d8d9e1e5c43e08"], "image": "a"])
    }

    @Test func wrongTypesAreKeptNotFatal() throws {
        let json: JSONValue = ["cpus": "two", "memory_mb": .number("1.5"), "cpu_kind": 7]
        let guest = try Flygate_Machines_V1_MachineGuest(json: json)
        #expect(!guest.hasCpus && !guest.hasMemoryMb && !guest.hasCpuKind)
        #expect(guest.jsonValue() == json)
    }

    @Test func nonObjectIsAnError() {
        #expect(throws: JSONMappingError.self) { try Flygate_Machines_V1_Machine(json: [1, 2]) }
    }
}
