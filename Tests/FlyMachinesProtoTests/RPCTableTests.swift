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

    @Test func twentyNineMachineRPCsAndFortyOthers() {
        #expect(MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName).map(\.rawValue) == Self.expectedRPCs)
        #expect(MachinesRPC.machinesServiceName == "flygate.machines.v1.Machines")
        #expect(MachinesRPC.allCases.count == 69)
        let counts = MachinesRPC.serviceNames.map { MachinesRPC.rpcs(of: $0).count }
        #expect(counts == [29, 7, 9, 14, 8, 2])
        #expect(counts.reduce(0, +) == MachinesRPC.allCases.count)
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
            let package = rpc.serviceName.split(separator: ".").dropLast().joined(separator: ".")
            #expect(request == "\(package).\(rpc.rawValue)Request")
            #expect(response == "\(package).\(rpc.rawValue)Response")
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
        #expect(MachinesRPC.listOrgMachines.pathTemplate == "/orgs/{org_slug}/machines")
        #expect(MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName).filter { $0.httpMethod == "GET" }.count == 11)
        #expect(MachinesRPC.allCases.filter { $0.httpMethod == "GET" }.count == 25)
        #expect(MachinesRPC.listOrgVolumes.pathTemplate == "/orgs/{org_slug}/volumes")
        #expect(MachinesRPC.listOrgVolumes.serviceName == "flygate.volumes.v1.Volumes")
        #expect(MachinesRPC.deleteIPAssignment.pathTemplate == "/apps/{app_name}/ip_assignments/{ip}")
    }
}

/// The traits table, pinned rpc by rpc: what the access policy, the coalescer, the upstream
/// client's pools and retries and the lease guard do with each call.
@Suite struct RPCTraitsTests {
    static let reads: Set<MachinesRPC> = [
        .list, .show, .showLease, .showMetadata, .getMetadataKey, .listEvents, .listProcesses, .listVersions, .wait,
        .getMemory, .listOrgMachines,
        .listApps, .showApp, .listIPAssignments, .listVolumes, .getVolume, .listVolumeSnapshots, .listOrgVolumes,
        .listSecrets, .getSecret, .listSecretKeys, .getSecretKey, .listCertificates, .showCertificate, .listRegions,
        .getPlacements,
    ]
    /// Operate: a Machine's lifecycle and leases; a volume snapshot, a certificate check, and the
    /// uses of a secret key that need no private half (encrypt, verify).
    static let operations: Set<MachinesRPC> = [
        .start, .stop, .restart, .suspend, .signal, .cordon, .uncordon, .createLease, .releaseLease,
        .createVolumeSnapshot, .checkCertificate, .encrypt, .verify,
    ]
    /// POSTs that change nothing: placements, and what a secret key computes. They are not
    /// mutations (they drop no cached answer and may be sent again) whatever their access class.
    static let computed: Set<MachinesRPC> = [.getPlacements, .encrypt, .decrypt, .sign, .verify]
    /// Answers that are never cached: Wait's is about a moment, placements depend on capacity,
    /// and a secret key's plaintexts and signatures must not outlive their call.
    static let uncached: Set<MachinesRPC> = Self.computed.union([.wait])
    /// The calls the local lease guard covers: every mutation of one Machine, whether or not it
    /// carries `fly-machine-lease-nonce` upstream (Exec, metadata and memory writes do not). Only
    /// Create, which makes a new Machine, mutates outside it.
    static let leaseGuarded: Set<MachinesRPC> = [
        .update, .start, .stop, .restart, .delete, .cordon, .uncordon, .suspend, .signal, .createLease, .releaseLease,
        .exec, .updateMetadata, .deleteMetadata, .patchMetadata, .setMemoryLimit, .reclaimMemory,
    ]

    @Test func accessClassesAreTheTable() {
        let counts = Dictionary(grouping: MachinesRPC.allCases, by: \.traits.access).mapValues(\.count)
        #expect(counts == [.read: 26, .operate: 13, .admin: 30])
        // Every use of a secret's value or a key's private half is admin.
        #expect([.createSecret, .updateSecrets, .setSecretKey, .generateSecretKey, .decrypt, .sign].allSatisfy {
            ($0 as MachinesRPC).traits.access == .admin
        })
        for rpc in MachinesRPC.allCases {
            let expected: MethodClass = Self.reads.contains(rpc) ? .read : Self.operations.contains(rpc) ? .operate : .admin
            #expect(rpc.traits.access == expected, "\(rpc)")
        }
    }

    @Test(arguments: MachinesRPC.allCases)
    func traits(of rpc: MachinesRPC) {
        let read = Self.reads.contains(rpc)
        let computed = Self.computed.contains(rpc)
        let traits = rpc.traits
        #expect(traits.mutates == !(read || computed))
        #expect(traits.mutates == (rpc.httpMethod != "GET" && !computed))
        #expect(traits.cacheable == (read && !Self.uncached.contains(rpc)))
        #expect(traits.longRunning == (rpc == .wait || rpc == .exec))
        #expect(traits.leaseGuarded == Self.leaseGuarded.contains(rpc))
        #expect(traits.replayable == (read || computed || rpc == .releaseLease))
    }

    @Test func waitIsAReadThatIsNeverCached() {
        #expect(
            MachinesRPC.wait.traits
                == MachinesRPCTraits(
                    access: .read, mutates: false, cacheable: false, longRunning: true, leaseGuarded: false, replayable: true))
        #expect(MachinesRPC.allCases.filter(\.traits.longRunning) == [.exec, .wait])
        #expect(MachinesRPC.allCases.filter { $0.traits.mutates && $0.traits.replayable } == [.releaseLease])
        #expect(Set(MachinesRPC.allCases.filter { !$0.traits.mutates && !$0.traits.cacheable }) == Self.uncached)
    }

    @Test func onlyWaitsTimeoutIsALongPollWindow() {
        var wait = Flygate_Machines_V1_WaitRequest()
        #expect(wait.longPollWindow == nil)
        wait.timeout = 30
        #expect(wait.longPollWindow == .seconds(30))
        wait.timeout = 0
        #expect(wait.longPollWindow == .zero)

        var exec = Flygate_Machines_V1_ExecRequest()
        exec.body.timeout = 30
        #expect(exec.longPollWindow == nil)
        #expect(Flygate_Machines_V1_ShowRequest().longPollWindow == nil)
    }
}
