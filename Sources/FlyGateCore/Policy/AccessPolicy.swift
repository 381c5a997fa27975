import FlyGateServer
import FlyMachinesProto

/// Who may call what, by the peer's uid and groups (primary and supplementary): a list of rules, the first that allows wins.
///
/// A rule names the peers it covers (uids and/or gids), the method classes they may call and,
/// optionally, the apps they may touch. With no rules configured the daemon's own uid and root
/// may do everything and everyone else is refused.
package struct AccessPolicy: Sendable, Equatable {
    /// One rule of the policy.
    package struct Rule: Sendable, Equatable {
        /// A name for messages and the audit log.
        package var name: String
        /// Peers whose uid is one of these...
        package var uids: Set<UInt32>
        /// ...or whose primary gid or one of whose supplementary groups is one of these.
        package var gids: Set<UInt32>
        /// What they may call.
        package var classes: Set<MethodClass>
        /// The apps they may touch; nil for every app.
        package var apps: Set<String>?

        package init(name: String, uids: Set<UInt32> = [], gids: Set<UInt32> = [], classes: Set<MethodClass>, apps: Set<String>? = nil) {
            self.name = name
            self.uids = uids
            self.gids = gids
            self.classes = classes
            self.apps = apps
        }

        func covers(_ peer: PeerCredentials) -> Bool {
            uids.contains(peer.uid) || gids.contains(peer.gid) || peer.groups.contains(where: gids.contains)
        }
    }

    /// The outcome of a check.
    package enum Decision: Sendable, Equatable {
        case allowed(rule: String)
        case denied(reason: String)
    }

    package var rules: [Rule]

    package init(rules: [Rule]) {
        self.rules = rules
    }

    /// The default: the daemon's own uid and root may do everything.
    package static func ownerOnly(daemonUID: UInt32) -> AccessPolicy {
        AccessPolicy(rules: [Rule(name: "owner", uids: [daemonUID, 0], classes: Set(MethodClass.allCases))])
    }

    /// May `peer` call a method of `methodClass` named `method`, on `app` (nil when the call
    /// names no single app, like the org listing)?
    package func decide(peer: PeerCredentials, method: String, methodClass: MethodClass, app: String?) -> Decision {
        let covering = rules.filter { $0.covers(peer) }
        guard !covering.isEmpty else {
            return .denied(reason: "uid \(peer.uid) may not call \(method): no rule covers uid \(peer.uid) or gid \(peer.gid)" + (peer.groups.isEmpty ? "" : " or groups \(peer.groups.map(String.init).joined(separator: ","))"))
        }
        var refusals: [String] = []
        for rule in covering {
            guard rule.classes.contains(methodClass) else {
                refusals.append("rule \"\(rule.name)\" allows \(rule.classes.map(\.rawValue).sorted().joined(separator: ", ")), not \(methodClass.rawValue)")
                continue
            }
            if let apps = rule.apps {
                guard let app else {
                    refusals.append("rule \"\(rule.name)\" is limited to apps and \(method) spans every app")
                    continue
                }
                guard apps.contains(app) else {
                    refusals.append("rule \"\(rule.name)\" does not allow app \(app)")
                    continue
                }
            }
            return .allowed(rule: rule.name)
        }
        return .denied(reason: "uid \(peer.uid) may not call \(method) (\(methodClass.rawValue)): " + refusals.joined(separator: "; "))
    }
}
