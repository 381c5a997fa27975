import FlyGateJSON
import SwiftProtobuf

/// The REST call a request message stands for: its path parameters, query, lease header and
/// JSON body. The upstream client validates and encodes them; nothing here knows HTTP.
package struct RESTParts: Sendable {
    /// Values for the `{name}` segments of the rpc's path template.
    package var pathParameters: [(name: String, value: String)]
    /// Query parameters in order; a name may repeat.
    package var query: [(name: String, value: String)] = []
    /// The `fly-machine-lease-nonce` header, when the request carries one.
    package var leaseNonce: String?
    /// The JSON body, when the request has one.
    package var body: JSONValue?

    package init(pathParameters: [(name: String, value: String)]) {
        self.pathParameters = pathParameters
    }
}

/// A request message of a generated service (Machines, Apps, Volumes, Secrets, Certificates,
/// Platform). Generated conformances.
package protocol MachinesRPCRequest: SwiftProtobuf.Message {
    associatedtype Response: MachinesRPCResponse
    /// The rpc this message is the request of.
    static var rpc: MachinesRPC { get }
    /// The path parameters by their REST names (`app_name`, `machine_id`, `key`, `org_slug`).
    var pathParameters: [(name: String, value: String)] { get }
    /// The whole REST call.
    var restParts: RESTParts { get }
    /// The lease nonce the request carries; empty for none.
    var leaseNonceValue: String { get set }
    /// How long the call may long-poll upstream, as the request asks (Wait's `timeout`); nil
    /// when it does not say or the rpc does not long-poll.
    var longPollWindow: Duration? { get }
}

/// A response message of a generated service. Generated conformances.
package protocol MachinesRPCResponse: SwiftProtobuf.Message {
    /// Builds the response from the REST answer's JSON body (nil when it had none).
    init(restBody: JSONValue?) throws(JSONMappingError)
    /// The JSON body this response stands for.
    var restBody: JSONValue? { get }
}

extension MachinesRPCRequest {
    /// No long-poll window; generated for the rpcs that have one.
    package var longPollWindow: Duration? { nil }

    /// The value of one path parameter, or nil when the rpc has none by that name.
    package func pathParameter(_ name: String) -> String? {
        pathParameters.first { $0.name == name }?.value
    }
}

/// Options of one call through a `MachinesCalling` client.
package struct MachinesCallOptions: Sendable {
    /// How long the caller waits; nil waits as long as the callee allows.
    package var timeout: Duration?
    /// ttrpc metadata (`flygate-` keys are gateway options).
    package var metadata: [(key: String, value: String)]

    package init(timeout: Duration? = nil, metadata: [(key: String, value: String)] = []) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

/// Anything that can make a Machines call: the socket client, the upstream REST client.
/// One typed method per rpc comes with it (generated).
package protocol MachinesCalling: Sendable {
    func call<Request: MachinesRPCRequest>(_ request: Request, options: MachinesCallOptions) async throws -> Request.Response
}

/// Visits every rpc's request type, for registering handlers generically.
package protocol MachinesRPCVisitor {
    mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type)
}

extension JSONValue {
    /// A lease answer's `data` when Fly wrapped it as `{status, data}`; else the value itself.
    package var unwrappingLeaseEnvelope: JSONValue {
        if case .object(let object) = self, let data = object["data"], data.objectValue != nil { return data }
        return self
    }
}

extension MachinesRPC {
    /// `flygate.machines.v1.Machines`: the service of the Machine rpcs (List, Show, Start, ...).
    package static var machinesServiceName: String { MachinesRPC.show.serviceName }

    /// The rpcs of `service`, in table order.
    package static func rpcs(of service: String) -> [MachinesRPC] {
        allCases.filter { $0.serviceName == service }
    }
}
