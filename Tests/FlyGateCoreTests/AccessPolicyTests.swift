import FlyGateServer
import FlyMachinesProto
import Testing

@testable import FlyGateCore

@Suite struct AccessPolicyTests {
    let peer = PeerCredentials(uid: 1001, gid: 1001, pid: 42)

    @Test func ownerAndRootMayDoEverythingOthersNothing() {
        let policy = AccessPolicy.ownerOnly(daemonUID: 1000)
        #expect(policy.decide(peer: PeerCredentials(uid: 1000, gid: 5, pid: 1), method: "Delete", methodClass: .admin, app: "web") == .allowed(rule: "owner"))
        #expect(policy.decide(peer: PeerCredentials(uid: 0, gid: 0, pid: 1), method: "Exec", methodClass: .admin, app: "web") == .allowed(rule: "owner"))
        guard case .denied(let reason) = policy.decide(peer: peer, method: "Show", methodClass: .read, app: "web") else {
            Issue.record("uid 1001 was allowed")
            return
        }
        #expect(reason.contains("uid 1001") && reason.contains("Show"))
    }

    @Test func classesAndAppsLimitARule() {
        var policy = AccessPolicy.ownerOnly(daemonUID: 1000)
        policy.rules.append(.init(name: "ci", gids: [1001], classes: [.read, .operate], apps: ["staging"]))
        #expect(policy.decide(peer: peer, method: "Stop", methodClass: .operate, app: "staging") == .allowed(rule: "ci"))
        guard case .denied(let admin) = policy.decide(peer: peer, method: "Delete", methodClass: .admin, app: "staging"),
            case .denied(let otherApp) = policy.decide(peer: peer, method: "Stop", methodClass: .operate, app: "prod"),
            case .denied(let org) = policy.decide(peer: peer, method: "ListOrgMachines", methodClass: .read, app: nil)
        else {
            Issue.record("a limited rule allowed too much")
            return
        }
        #expect(admin.contains("rule \"ci\"") && admin.contains("admin") && admin.contains("uid 1001"))
        #expect(otherApp.contains("does not allow app prod"))
        #expect(org.contains("every app"))
    }

    @Test func everyRPCHasAClass() {
        let counts = Dictionary(grouping: MachinesRPC.allCases, by: \.traits.access).mapValues(\.count)
        #expect(counts == [.read: 26, .operate: 13, .admin: 30])
        let machineCounts = Dictionary(grouping: MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName), by: \.traits.access)
            .mapValues(\.count)
        #expect(machineCounts == [.read: 11, .operate: 9, .admin: 9])
    }
}

@Suite struct AccessPolicyGroupTests {
    @Test("a rule's gids match the primary gid or any supplementary group")
    func supplementaryGroupsMatch() {
        var policy = AccessPolicy.ownerOnly(daemonUID: 1000)
        policy.rules.append(.init(name: "flygate-group", gids: [990], classes: [.read]))
        let member = PeerCredentials(uid: 1001, gid: 1001, pid: 42, groups: [27, 990])
        let outsider = PeerCredentials(uid: 1002, gid: 1002, pid: 43, groups: [27])
        #expect(policy.decide(peer: member, method: "Show", methodClass: .read, app: "web") == .allowed(rule: "flygate-group"))
        guard case .denied(let reason) = policy.decide(peer: outsider, method: "Show", methodClass: .read, app: "web") else {
            Issue.record("a peer outside the group was allowed")
            return
        }
        #expect(reason.contains("groups 27"))
    }
}
