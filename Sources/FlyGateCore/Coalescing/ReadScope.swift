import FlyMachinesProto

/// What a read is about, for invalidation: one machine, one app's lists and resources, or the
/// org-wide and platform lists; and, for mutations only, everything about one app.
package enum ReadScope: Hashable, Sendable {
    /// Answers about one machine (Show, events, lease, metadata, processes, versions, memory, Wait).
    case machine(app: String, id: String)
    /// One app's answers that name no machine: its List, its volumes, secrets, certificates, IPs.
    case app(String)
    /// Answers that name no app (ListOrgMachines, ListOrgVolumes, ListApps, ListRegions): which
    /// org an app belongs to is not known locally.
    case organizations
    /// Every answer about one app, its machines' included. No read has this scope: a mutation
    /// of an app's volumes, secrets, certificates, IPs or of the app itself invalidates it,
    /// because a machine's answer can change with them (a volume attached, a secret version).
    case wholeApp(String)

    /// The app the scope is about, if one.
    package var app: String? {
        switch self {
        case .machine(let app, _), .app(let app), .wholeApp(let app): app
        case .organizations: nil
        }
    }

    /// True for scopes only mutations name.
    var isInvalidationOnly: Bool {
        if case .wholeApp = self { return true }
        return false
    }

    /// True when invalidating this scope invalidates `other`.
    package func covers(_ other: ReadScope) -> Bool {
        if case .wholeApp(let app) = self { return other.app == app }
        return self == other
    }

    /// The scope of a read `request`.
    package static func of<Request: MachinesRPCRequest>(_ request: Request) -> ReadScope {
        guard let app = request.pathParameter("app_name") else { return .organizations }
        if let machine = request.pathParameter("machine_id") { return .machine(app: app, id: machine) }
        return .app(app)
    }

    /// The scopes a mutation `request` makes stale: its machine (if it names one), its app's
    /// answers and the org lists; for a mutation of an app's other resources, or of the app,
    /// everything about the app.
    package static func invalidated<Request: MachinesRPCRequest>(by request: Request) -> [ReadScope] {
        guard let app = request.pathParameter("app_name") else { return [.organizations] }
        if let machine = request.pathParameter("machine_id") {
            return [.app(app), .organizations, .machine(app: app, id: machine)]
        }
        if Request.rpc.serviceName == MachinesRPC.machinesServiceName { return [.app(app), .organizations] }
        return [.wholeApp(app), .organizations]
    }
}
