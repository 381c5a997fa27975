import FlyMachinesProto

/// What a read is about, for invalidation: one machine, one app's machine list, or the org lists.
package enum ReadScope: Hashable, Sendable {
    /// Answers about one machine (Show, events, lease, metadata, processes, versions, memory, Wait).
    case machine(app: String, id: String)
    /// One app's List.
    case app(String)
    /// Every ListOrgMachines answer: which org an app belongs to is not known locally.
    case organizations

    /// The scope of a read `request`.
    package static func of<Request: MachinesRPCRequest>(_ request: Request) -> ReadScope {
        if Request.rpc == .listOrgMachines { return .organizations }
        let app = request.pathParameter("app_name") ?? ""
        if let machine = request.pathParameter("machine_id") { return .machine(app: app, id: machine) }
        return .app(app)
    }

    /// The scopes a mutation `request` makes stale: its machine (if it names one), its app's
    /// List and the org lists.
    package static func invalidated<Request: MachinesRPCRequest>(by request: Request) -> [ReadScope] {
        let app = request.pathParameter("app_name") ?? ""
        var scopes: [ReadScope] = [.app(app), .organizations]
        if let machine = request.pathParameter("machine_id") { scopes.append(.machine(app: app, id: machine)) }
        return scopes
    }
}
