import FlyGateServer
import FlyMachinesProto

/// What the daemon's interceptors do with one method, whatever its service: who may call it,
/// and what the audit log records of it. Every method the daemon serves has one, declared
/// beside its service (the Machines rules come from the generated rpc table); a call of a
/// method without one is refused.
package struct MethodRule: Sendable, Equatable {
    /// Who may call the method.
    package enum Access: Sendable, Equatable {
        /// Anyone who may connect to the socket; the reason says why that is safe.
        case anyone(reason: String)
        /// Peers an access-policy rule allows this class of methods.
        case policy(MethodClass)
    }

    /// What the audit log records of a call.
    package enum Audit: Sendable, Equatable {
        /// Nothing; the reason says why that is right.
        case none(reason: String)
        /// A `completed` record once the call is answered (reads).
        case completed
        /// A durable `received` record before the call goes on (or it is refused), and a
        /// `completed` record once answered (mutations).
        case receivedAndCompleted
    }

    /// The fully qualified service name.
    package var service: String
    /// The bare method name.
    package var method: String
    /// Who may call it.
    package var access: Access
    /// What the audit log records.
    package var audit: Audit

    /// A rule from its parts.
    package init(service: String, method: String, access: Access, audit: Audit) {
        self.service = service
        self.method = method
        self.access = access
        self.audit = audit
    }

    /// `service/method`, as statistics and metrics name the method.
    package var qualifiedName: String { self.service + "/" + self.method }

    /// The rule of a Machines rpc, from its generated traits: access by its class; mutations
    /// recorded before they go upstream, reads once answered.
    package init(_ rpc: MachinesRPC) {
        self.init(
            service: rpc.serviceName,
            method: rpc.rawValue,
            access: .policy(rpc.traits.access),
            audit: rpc.traits.mutates ? .receivedAndCompleted : .completed
        )
    }
}

/// The rules of every method the daemon serves, by service and method.
package struct MethodRules: Sendable {
    private var rules: [String: [String: MethodRule]] = [:]

    /// A table of `rules`; declaring one method twice is a programming error.
    package init(_ rules: [MethodRule]) {
        for rule in rules {
            precondition(self.rules[rule.service]?[rule.method] == nil, "\(rule.qualifiedName) has two rules")
            self.rules[rule.service, default: [:]][rule.method] = rule
        }
    }

    /// The rule of the method `context` calls, or nil when none was declared.
    package func rule(for context: CallContext) -> MethodRule? {
        self.rule(service: context.service, method: context.method)
    }

    /// The rule of `service`/`method`, or nil when none was declared.
    package func rule(service: String, method: String) -> MethodRule? {
        self.rules[service]?[method]
    }

    /// Every rule, ordered by service and method.
    package var all: [MethodRule] {
        self.rules.keys.sorted().flatMap { service in
            self.rules[service]!.keys.sorted().map { self.rules[service]![$0]! }
        }
    }

    /// The rules of the 29 Machines rpcs.
    package static var machines: [MethodRule] {
        MachinesRPC.allCases.map(MethodRule.init)
    }
}

/// Marks a call the daemon makes on its own (never one a peer sent), and for whom: the lease
/// book's renewals and releases. Set in ``CallContext/values`` by ``DaemonCaller``; no peer
/// can set it.
package struct DaemonInitiated: Sendable, Equatable {
    /// Why the daemon makes the call, e.g. `lease renewal`.
    package var reason: String
    /// The lease holder the call is made for, when it is made for one.
    package var onBehalfOf: LeaseHolder?

    /// A mark from its parts.
    package init(reason: String, onBehalfOf: LeaseHolder?) {
        self.reason = reason
        self.onBehalfOf = onBehalfOf
    }
}

extension CallContext {
    /// The mark of a call the daemon makes on its own; nil for every call a peer sent.
    package var daemonInitiated: DaemonInitiated? {
        self.values[DaemonInitiated.self]
    }
}
