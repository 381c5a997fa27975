import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import Foundation
import NIOCore
import NIOEmbedded
import SwiftProtobuf

/// What the fuzzer feeds with arbitrary bytes: everything the daemon decodes from a client
/// or from upstream. Any crash, hang or trap here is a bug; thrown errors are expected.
package enum FuzzEntry {
    /// Runs one input through the frame decoder, the envelope, every request type and the
    /// JSON mapping.
    package static func run(_ bytes: [UInt8]) {
        decodeFrames(bytes)
        decodeEnvelope(bytes)
        decodeJSON(bytes)
    }

    /// The ttrpc frame decoder, fed the input in two pieces as a socket might deliver it.
    static func decodeFrames(_ bytes: [UInt8]) {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder(maxDataBytes: 64 * 1024)))
        defer { _ = try? channel.finish() }
        let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        for piece in [bytes[..<split], bytes[split...]] {
            var buffer = channel.allocator.buffer(capacity: piece.count)
            buffer.writeBytes(piece)
            do {
                try channel.writeInbound(buffer)
            } catch {
                return  // a protocol error closes the connection
            }
            while let frame = try? channel.readInbound(as: TTRPCInboundFrame.self) {
                if case .frame(let frame) = frame { decodeEnvelope(Array(buffer: frame.data)) }
            }
        }
    }

    /// A Request envelope and, when it names one, the Machines request type of its method.
    static func decodeEnvelope(_ bytes: [UInt8]) {
        guard let request = try? Ttrpc_Request(serializedBytes: bytes) else { return }
        var visitor = RequestDecoder(payload: request.payload, method: request.method)
        MachinesRPC.visitAll(&visitor)
    }

    /// The JSON parser and every model's lossless mapping, as an upstream answer would be read.
    static func decodeJSON(_ bytes: [UInt8]) {
        guard let json = try? JSONValue(parsing: bytes) else { return }
        _ = json.serialized
        var visitor = ResponseDecoder(json: json)
        MachinesRPC.visitAll(&visitor)
    }

    private struct RequestDecoder: MachinesRPCVisitor {
        let payload: Data
        let method: String

        mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
            guard Request.rpc.rawValue == method || method.isEmpty,
                let request = try? Request(serializedBytes: payload)
            else { return }
            _ = request.restParts
            _ = try? request.serializedBytes() as [UInt8]
        }
    }

    private struct ResponseDecoder: MachinesRPCVisitor {
        let json: JSONValue

        mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
            guard let response = try? Request.Response(restBody: json) else { return }
            _ = response.restBody
            _ = try? Request.Response(serializedBytes: try response.serializedBytes() as [UInt8])
        }
    }
}
