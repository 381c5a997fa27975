import Testing

@testable import FlyGateCodegen

/// The generator's guards on the trait overrides; they need no OpenAPI document.
@Suite struct ProtoModelTraitsTests {
    static func operation(_ id: String, _ method: String, path: String = "/apps/{app_name}/machines") -> OpenAPIDocument.Operation {
        OpenAPIDocument.Operation(
            operationID: id, method: method, path: path, summary: nil, parameters: [],
            requestBody: nil, requestBodyRequired: false, responses: [("200", nil)])
    }

    static let machinePath = "/apps/{app_name}/machines/{machine_id}"

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
            RPCSpec("ReleaseLease", "Machines_release_lease"),
            Self.operation("Machines_release_lease", "DELETE", path: Self.machinePath + "/lease"), takesLeaseNonce: true)
        #expect(
            release
                == .init(access: .operate, mutates: true, cacheable: false, longRunning: false, leaseGuarded: true, replayable: true))
    }

    @Test("a POST that only computes (a secret key's decrypt) is no mutation, yet keeps its access class and stays uncached")
    func aComputingPostIsNoMutation() throws {
        let decrypt = try ProtoModel.traits(
            RPCSpec("Decrypt", "Secretkey_decrypt"),
            Self.operation("Secretkey_decrypt", "POST", path: "/apps/{app_name}/secretkeys/{secret_name}/decrypt"),
            takesLeaseNonce: false)
        #expect(
            decrypt
                == .init(access: .admin, mutates: false, cacheable: false, longRunning: false, leaseGuarded: false, replayable: true))
        let set = try ProtoModel.traits(
            RPCSpec("SetSecretKey", "Secretkey_set"),
            Self.operation("Secretkey_set", "POST", path: "/apps/{app_name}/secretkeys/{secret_name}"), takesLeaseNonce: false)
        #expect(set.mutates && !set.replayable)
    }

    @Test("every mutation of one machine is lease-guarded, whether or not Fly takes the nonce on it")
    func everyMachineMutationIsGuarded() throws {
        let exec = try ProtoModel.traits(
            RPCSpec("Exec", "Machines_exec"), Self.operation("Machines_exec", "POST", path: Self.machinePath + "/exec"), takesLeaseNonce: false)
        #expect(exec.leaseGuarded)
        let metadata = try ProtoModel.traits(
            RPCSpec("UpdateMetadata", "Machines_upsert_metadata"),
            Self.operation("Machines_upsert_metadata", "POST", path: Self.machinePath + "/metadata/{key}"), takesLeaseNonce: false)
        #expect(metadata.leaseGuarded)
        let create = try ProtoModel.traits(RPCSpec("Create", "Machines_create"), Self.operation("Machines_create", "POST"), takesLeaseNonce: false)
        #expect(!create.leaseGuarded)
        let show = try ProtoModel.traits(
            RPCSpec("Show", "Machines_show"), Self.operation("Machines_show", "GET", path: Self.machinePath), takesLeaseNonce: false)
        #expect(!show.leaseGuarded)
    }

    @Test func aNonceTakingCallOutsideTheGuardFailsTheGenerator() {
        #expect(throws: CodegenError.self) {
            try ProtoModel.traits(RPCSpec("Create", "Machines_create"), Self.operation("Machines_create", "POST"), takesLeaseNonce: true)
        }
    }
}
