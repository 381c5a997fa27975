import Testing

@testable import FlyGateCodegen

/// The generator's guards on the trait overrides; they need no OpenAPI document.
@Suite struct ProtoModelTraitsTests {
    static func operation(_ id: String, _ method: String) -> OpenAPIDocument.Operation {
        OpenAPIDocument.Operation(
            operationID: id, method: method, path: "/apps/{app_name}/machines", summary: nil, parameters: [],
            requestBody: nil, requestBodyRequired: false, responses: [("200", nil)])
    }

    @Test func anRPCWithoutAnAccessClassFailsTheGenerator() {
        #expect(Overrides.accessClasses["Machines_new_call"] == nil)
        #expect(throws: CodegenError.self) {
            try ProtoModel.traits(RPCSpec("NewCall", "Machines_new_call"), Self.operation("Machines_new_call", "POST"), takesLeaseNonce: false)
        }
    }

    @Test func aMutationCannotBeARead() {
        #expect(throws: CodegenError.self) {
            try ProtoModel.traits(RPCSpec("List", "Machines_list"), Self.operation("Machines_list", "POST"), takesLeaseNonce: false)
        }
    }

    @Test func everyOverriddenRPCHasAnAccessClass() {
        #expect(Set(Overrides.rpcs.map(\.operationID)) == Set(Overrides.accessClasses.keys))
    }

    @Test func traitsComeFromTheMethodAndTheOverrides() throws {
        let wait = try ProtoModel.traits(RPCSpec("Wait", "Machines_wait"), Self.operation("Machines_wait", "GET"), takesLeaseNonce: false)
        #expect(
            wait == .init(access: .read, mutates: false, cacheable: false, longRunning: true, leaseGuarded: false, replayable: true))
        let release = try ProtoModel.traits(
            RPCSpec("ReleaseLease", "Machines_release_lease"), Self.operation("Machines_release_lease", "DELETE"), takesLeaseNonce: true)
        #expect(
            release
                == .init(access: .operate, mutates: true, cacheable: false, longRunning: false, leaseGuarded: true, replayable: true))
    }
}
