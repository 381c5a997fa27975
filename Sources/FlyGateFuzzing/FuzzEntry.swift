import FlyGateJSON
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import Foundation
import NIOCore
import NIOEmbedded
import SwiftProtobuf

/// What the fuzzer feeds with arbitrary bytes: everything the daemon decodes from a client
/// or from upstream. Any crash, hang or trap here is a bug; thrown errors are expected.
package enum FuzzEntry {
    /// Runs one input through the frame decoder, the envelope, every request type, the JSON
    /// mapping, the upstream HTTP/1.1 answer reader, and on the gRPC side the stream codec and
    /// request-head parsing.
    package static func run(_ bytes: [UInt8]) {
        _ = readHTTPAnswer(bytes)
        decodeFrames(bytes)
        decodeEnvelope(bytes)
        decodeJSON(bytes)
        _ = decodeGRPCStream(bytes)
        parseGRPCHead(bytes)
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

    /// The upstream client's HTTP/1.1 answer reader, fed the input in two pieces (split as in
    /// `decodeFrames`), then told the server closed: what it read, or why it refused.
    static func readHTTPAnswer(_ bytes: [UInt8]) -> String {
        let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        return readHTTPAnswer([Array(bytes[..<split]), Array(bytes[split...])])
    }

    static func readHTTPAnswer(_ pieces: [[UInt8]]) -> String {
        var reader = HTTP1ResponseReader(maxBodyBytes: 64 * 1024)
        var buffer = ByteBuffer()
        do {
            for (index, piece) in pieces.enumerated() {
                buffer.writeBytes(piece)
                if let answer = try reader.read(&buffer) {
                    let unread = pieces[(index + 1)...].reduce(buffer.readableBytes) { $0 + $1.count }
                    return describe(answer, rest: unread)
                }
            }
        } catch {
            return "refused: \(error)"
        }
        return reader.finish().map { describe($0, rest: 0) } ?? "incomplete"
    }

    private static func describe(_ answer: HTTP1ResponseReader.Answer, rest: Int) -> String {
        "\(answer) rest \(rest)"
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

    /// Where a decoder has an inverse, parse → serialize → parse must give the same value:
    /// the JSON parser and serializer, the Request envelope and every request type's protobuf
    /// form (for the input as an envelope and for each envelope in the input's frames), and every
    /// model's lossless JSON mapping and protobuf form; and the gRPC side's checks
    /// (``grpcRoundTripFailures(_:)``). Returns what did not round-trip, by target.
    package static func roundTripFailures(_ bytes: [UInt8]) -> [String] {
        var failures: [String] = []
        if let json = try? JSONValue(parsing: bytes) {
            let text: String = json.serialized
            if (try? JSONValue(parsing: Array(text.utf8))) != json { failures.append("JSON: serialized form parses to another value") }
            var visitor = ResponseRoundTrip(json: json)
            MachinesRPC.visitAll(&visitor)
            failures += visitor.failures
        }
        failures += envelopeRoundTripFailures(bytes, in: "envelope")
        for (index, frame) in framePayloads(bytes).enumerated() {
            failures += envelopeRoundTripFailures(frame, in: "frame \(index) envelope")
        }
        if readHTTPAnswer([bytes]) != readHTTPAnswer(bytes.map { [$0] }) {
            failures.append("HTTP answer: read whole and read a byte at a time differ")
        }
        return failures + grpcRoundTripFailures(bytes)
    }

    /// The envelope in `bytes`, if it is one, and each request type read from its payload.
    static func envelopeRoundTripFailures(_ bytes: [UInt8], in place: String) -> [String] {
        guard let request = try? Ttrpc_Request(serializedBytes: bytes) else { return [] }
        var failures: [String] = []
        if let again: [UInt8] = try? request.serializedBytes(), (try? Ttrpc_Request(serializedBytes: again)) != request {
            failures.append("\(place): protobuf form does not decode to the same value")
        }
        var visitor = RequestRoundTrip(payload: request.payload, place: place)
        MachinesRPC.visitAll(&visitor)
        return failures + visitor.failures
    }

    /// The data of every frame the ttrpc decoder reads from `bytes` (fed at once), until a
    /// protocol error; at most 64 frames.
    static func framePayloads(_ bytes: [UInt8]) -> [[UInt8]] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder(maxDataBytes: 64 * 1024)))
        defer { _ = try? channel.finish() }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        var payloads: [[UInt8]] = []
        do { try channel.writeInbound(buffer) } catch { return payloads }
        while payloads.count < 64, let frame = try? channel.readInbound(as: TTRPCInboundFrame.self) {
            if case .frame(let frame) = frame { payloads.append(Array(buffer: frame.data)) }
        }
        return payloads
    }

    private struct RequestRoundTrip: MachinesRPCVisitor {
        let payload: Data
        let place: String
        var failures: [String] = []

        mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
            guard let request = try? Request(serializedBytes: payload) else { return }
            guard let bytes: [UInt8] = try? request.serializedBytes(), let again = try? Request(serializedBytes: bytes), again.isEqualTo(message: request) else {
                failures.append("\(place): \(Request.rpc.rawValue) request: protobuf form does not decode to the same value")
                return
            }
        }
    }

    private struct ResponseRoundTrip: MachinesRPCVisitor {
        let json: JSONValue
        var failures: [String] = []

        mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
            guard let response = try? Request.Response(restBody: json) else { return }
            let name = "\(Request.rpc.rawValue) response"
            // The model's JSON form maps to a model with the same JSON form. (Not compared with the
            // input: an answer may take one member of it, or none, by design.)
            let first = response.restBody
            guard let second = try? Request.Response(restBody: first) else {
                failures.append("\(name): its JSON form does not map back to a model")
                return
            }
            if second.restBody != first {
                failures.append("\(name): its JSON form maps to another value")
            }
            // And from there the model is a fixed point: mapped to JSON and back it is equal.
            // (The first model is not compared with `second` as a model: `unknown_json` keeps
            // members in the order they were met, and the JSON form writes a kept original in its
            // field's place, so one pass can reorder the kept text without changing the JSON value.)
            if (try? Request.Response(restBody: second.restBody))?.isEqualTo(message: second) != true {
                failures.append("\(name): mapping its JSON form again gives another model")
            }
            guard let bytes: [UInt8] = try? response.serializedBytes(), let again = try? Request.Response(serializedBytes: bytes),
                again.isEqualTo(message: response)
            else {
                failures.append("\(name): protobuf form does not decode to the same value")
                return
            }
        }
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
