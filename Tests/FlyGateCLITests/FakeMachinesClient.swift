import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import SwiftProtobuf
import Synchronization

@testable import FlyGateCLI

/// A Machines client that answers from a script of Fly JSON bodies and errors, and records calls.
final class FakeMachinesClient: MachinesCalling {
    /// One scripted answer: a REST body (nil for none) or an error.
    enum Answer: Sendable {
        case body(JSONValue?)
        case failure(RPCError)
    }

    /// A call as the client saw it.
    struct Call: Sendable {
        let rpc: MachinesRPC
        let request: any SwiftProtobuf.Message
        let timeout: Duration?
    }

    private let script: Mutex<[MachinesRPC: [Answer]]>
    private let recorded = Mutex<[Call]>([])

    /// Answers per rpc, used in order; the last one repeats. An rpc with no script answers no body.
    init(_ script: [MachinesRPC: [Answer]] = [:]) {
        self.script = Mutex(script)
    }

    /// Every call so far, in order.
    var calls: [Call] { recorded.withLock { $0 } }

    /// The requests of one type, in order.
    func requests<Request: MachinesRPCRequest>(_ type: Request.Type) -> [Request] {
        calls.compactMap { $0.request as? Request }
    }

    func call<Request: MachinesRPCRequest>(_ request: Request, options: MachinesCallOptions) async throws -> Request.Response {
        recorded.withLock { $0.append(Call(rpc: Request.rpc, request: request, timeout: options.timeout)) }
        let answer: Answer? = script.withLock { script in
            guard var answers = script[Request.rpc], let first = answers.first else { return nil }
            if answers.count > 1 {
                answers.removeFirst()
                script[Request.rpc] = answers
            }
            return first
        }
        switch answer {
        case nil: return Request.Response()
        case .body(let json): return try Request.Response(restBody: json)
        case .failure(let error): throw error
        }
    }
}

/// Fly JSON from text, for scripts.
func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}
