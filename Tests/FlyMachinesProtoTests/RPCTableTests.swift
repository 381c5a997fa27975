import FlyGateJSON
import Testing

@testable import FlyMachinesProto

@Suite struct RPCTableTests {
    static let expectedRPCs = [
        "Cordon", "Create", "CreateLease", "Delete", "DeleteMetadata", "Exec", "List", "ListEvents", "ListProcesses",
        "ListVersions", "ReleaseLease", "Restart", "Show", "ShowLease", "ShowMetadata", "Signal", "Start", "Stop",
        "Uncordon", "Update", "UpdateMetadata", "Wait", "Suspend", "GetMetadataKey", "PatchMetadata", "GetMemory",
        "SetMemoryLimit", "ReclaimMemory", "ListOrgMachines",
    ]

    @Test func twentyNineRPCs() {
        #expect(MachinesRPC.allCases.map(\.rawValue) == Self.expectedRPCs)
        #expect(MachinesRPC.serviceName == "flygate.machines.v1.Machines")
    }

    struct Collector: MachinesRPCVisitor {
        var seen: [(MachinesRPC, String, String)] = []
        mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
            seen.append((Request.rpc, Request.protoMessageName, Request.Response.protoMessageName))
        }
    }

    @Test func everyRPCHasItsRequestAndResponseMessages() {
        var collector = Collector()
        MachinesRPC.visitAll(&collector)
        #expect(collector.seen.map(\.0) == MachinesRPC.allCases)
        for (rpc, request, response) in collector.seen {
            #expect(request == "flygate.machines.v1.\(rpc.rawValue)Request")
            #expect(response == "flygate.machines.v1.\(rpc.rawValue)Response")
        }
    }

    @Test func restPartsFollowTheRequestFields() {
        var wait = Flygate_Machines_V1_WaitRequest()
        wait.appName = "web"
        wait.machineID = "d8d9e1e5c43e08"
        wait.state = ["started", "stopped"]
        wait.timeout = 30
        let parts = wait.restParts
        #expect(parts.pathParameters.map(\.value) == ["web", "d8d9e1e5c43e08"])
        #expect(parts.query.map { "\($0.name)=\($0.value)" } == ["timeout=30", "state=started", "state=stopped"])
        #expect(parts.body == nil && parts.leaseNonce == nil)

        var stop = Flygate_Machines_V1_StopRequest()
        stop.leaseNonce = "abc"
        stop.body.signal = "SIGTERM"
        #expect(stop.restParts.leaseNonce == "abc")
        #expect(stop.restParts.body == ["signal": "SIGTERM"])
        #expect(Flygate_Machines_V1_StopRequest().restParts.body == nil)

        var list = Flygate_Machines_V1_ListRequest()
        list.includeDeleted = false
        #expect(list.restParts.query.map(\.value) == ["false"])
    }

    @Test func routesMatchFlysDocument() {
        #expect(MachinesRPC.show.httpMethod == "GET")
        #expect(MachinesRPC.show.pathTemplate == "/apps/{app_name}/machines/{machine_id}")
        #expect(MachinesRPC.updateMetadata.pathTemplate == "/apps/{app_name}/machines/{machine_id}/metadata/{key}")
        #expect(MachinesRPC.updateMetadata.httpMethod == "POST")
        #expect(MachinesRPC.patchMetadata.httpMethod == "PATCH")
        #expect(MachinesRPC.createLease.successStatus == 201)
        #expect(MachinesRPC.deleteMetadata.successStatus == 204)
        #expect(MachinesRPC.listOrgMachines.pathTemplate == "/orgs/{org_slug}/machines")
        #expect(MachinesRPC.allCases.filter(\.isRead).count == 11)
    }
}
