import FlyGateClient
import FlyGateCore
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The answers TTRPC.md and the issue require, each on a real socket.
@Suite("server answers", .timeLimit(.minutes(1)))
struct ServerAnswerTests {
    let service = TestService.name

    @Test("a successful call answers with the payload and no status")
    func success() async throws {
        try await withTestServer(router: TestService.router()) { path in
            let client = try await RPCClient.connect(path: path)
            let answer = try await client.call(
                service: self.service, method: "Echo", request: keyValue("k", "v"), as: Ttrpc_KeyValue.self
            )
            #expect(answer == keyValue("k", "v"))
            await client.close()

            try await RawConnection.with(path) { raw in
                try await raw.sendRequest(streamID: 1, service: self.service, method: "Echo", payload: try keyValue("a").serializedBytes())
                let (streamID, response) = try await raw.nextResponse()
                #expect(streamID == 1)
                #expect(!response.hasStatus)
                #expect(try Ttrpc_KeyValue(serializedBytes: response.payload) == keyValue("a"))
            }
        }
    }

    @Test("an empty answer is a zero-length Response frame")
    func zeroLengthResponse() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawConnection.with(path) { raw in
                try await raw.sendRequest(streamID: 5, service: self.service, method: "Empty", payload: [])
                let frame = try #require(try await raw.nextFrame())
                #expect(frame.streamID == 5)
                #expect(frame.type == .response)
                #expect(frame.data.readableBytes == 0)
            }
        }
    }

    @Test("unknown service and unknown method are UNIMPLEMENTED, and the connection stays up")
    func unimplemented() async throws {
        try await withTestServer(router: TestService.router()) { path in
            let client = try await RPCClient.connect(path: path)
            let noService = await #expect(throws: RPCError.self) {
                _ = try await client.call(service: "nope.v1.Nope", method: "Echo", request: keyValue("x"), as: Ttrpc_KeyValue.self)
            }
            #expect(noService?.code == .unimplemented)
            #expect(noService?.message == "service nope.v1.Nope")
            let noMethod = await #expect(throws: RPCError.self) {
                _ = try await client.call(service: self.service, method: "Nope", request: keyValue("x"), as: Ttrpc_KeyValue.self)
            }
            #expect(noMethod?.code == .unimplemented)
            #expect(noMethod?.message == "method Nope")
            let after = try await client.call(service: self.service, method: "Echo", request: keyValue("still"), as: Ttrpc_KeyValue.self)
            #expect(after.key == "still")
            await client.close()
        }
    }

    @Test("an envelope that does not parse, an even stream id and a wrong payload are INVALID_ARGUMENT; the connection stays up")
    func invalidArgument() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawConnection.with(path) { raw in
                // Not a Request: a field 1 with a length running past the end.
                try await raw.sendFrame(streamID: 1, data: ByteBuffer(bytes: [0x0A, 0x7F, 0x01]))
                let (first, garbled) = try await raw.nextResponse()
                #expect(first == 1)
                #expect(garbled.rpcError?.code == .invalidArgument)

                try await raw.sendRequest(streamID: 4, service: self.service, method: "Echo", payload: [])
                let (even, evenAnswer) = try await raw.nextResponse()
                #expect(even == 4)
                #expect(evenAnswer.rpcError?.code == .invalidArgument)

                // A KeyValue whose key claims 5 bytes but carries 1.
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Echo", payload: [0x0A, 0x05, 0x61])
                let (third, wrongPayload) = try await raw.nextResponse()
                #expect(third == 3)
                #expect(wrongPayload.rpcError?.code == .invalidArgument)
                #expect(wrongPayload.rpcError?.message.contains("ttrpc.KeyValue") == true)

                // Reusing an old stream id is refused too (ttrpc 1.2 rule).
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Echo", payload: [])
                let (reused, reusedAnswer) = try await raw.nextResponse()
                #expect(reused == 3)
                #expect(reusedAnswer.rpcError?.code == .invalidArgument)

                try await raw.sendRequest(streamID: 7, service: self.service, method: "Echo", payload: try keyValue("ok").serializedBytes())
                let (last, ok) = try await raw.nextResponse()
                #expect(last == 7)
                #expect(ok.rpcError == nil)
                #expect(try Ttrpc_KeyValue(serializedBytes: ok.payload).key == "ok")
            }
        }
    }

    @Test("a non-zero reserved byte closes the connection; other connections carry on")
    func reservedByteCloses() async throws {
        try await withTestServer(router: TestService.router()) { path in
            let bystander = try await RPCClient.connect(path: path)
            try await RawConnection.with(path) { raw in
                try await raw.send(Array("GET / HTTP/1.1\r\nHost: flygate\r\n\r\n".utf8))
                #expect(try await raw.waitForClose() == 0)
            }
            let answer = try await bystander.call(service: self.service, method: "Echo", request: keyValue("fine"), as: Ttrpc_KeyValue.self)
            #expect(answer.key == "fine")
            await bystander.close()
        }
    }

    @Test("an oversized frame gets RESOURCE_EXHAUSTED from its header alone; its data is skipped and the connection goes on")
    func oversizedFrame() async throws {
        try await withTestServer(router: TestService.router(), configure: { $0.maxFrameBytes = 1024 }) { path in
            try await RawConnection.with(path) { raw in
                // Only the header: 8 MiB announced on stream 1. The answer must come before any data.
                try await raw.send([0x00, 0x80, 0x00, 0x00, 0, 0, 0, 1, 1, 0])
                let (streamID, response) = try await raw.nextResponse()
                #expect(streamID == 1)
                #expect(response.rpcError?.code == .resourceExhausted)

                // Now the 8 MiB stream past, then a good call on the same connection.
                let chunk = ByteBuffer(repeating: 0x5A, count: 64 * 1024)
                for _ in 0..<128 {
                    try await raw.send(chunk)
                }
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Echo", payload: try keyValue("after").serializedBytes())
                let (next, answer) = try await raw.nextResponse()
                #expect(next == 3)
                #expect(try Ttrpc_KeyValue(serializedBytes: answer.payload).key == "after")
            }
        }
    }

    @Test("an answer over the frame maximum becomes RESOURCE_EXHAUSTED")
    func oversizedAnswer() async throws {
        try await withTestServer(router: TestService.router(), configure: { $0.maxFrameBytes = 4096 }) { path in
            let client = try await RPCClient.connect(path: path)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(service: self.service, method: "Big", request: keyValue("b", "5000"), as: Ttrpc_KeyValue.self)
            }
            #expect(error?.code == .resourceExhausted)
            let small = try await client.call(service: self.service, method: "Big", request: keyValue("b", "100"), as: Ttrpc_KeyValue.self)
            #expect(small.value.count == 100)
            await client.close()
        }
    }

    @Test("more metadata entries than the bound get RESOURCE_EXHAUSTED")
    func metadataLimit() async throws {
        try await withTestServer(router: TestService.router(), configure: { $0.maxMetadataEntries = 2 }) { path in
            let client = try await RPCClient.connect(path: path)
            let two = [("flygate-a", "1"), ("flygate-b", "2")]
            let answer = try await client.call(service: self.service, method: "Echo", request: keyValue("ok"), as: Ttrpc_KeyValue.self, metadata: two)
            #expect(answer.key == "ok")
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    service: self.service, method: "Echo", request: keyValue("no"), as: Ttrpc_KeyValue.self, metadata: two + [("flygate-c", "3")]
                )
            }
            #expect(error?.code == .resourceExhausted)
            await client.close()
        }
    }

    @Test("an immediate method answers on the read loop, past a call still in flight, with the same statuses as any other")
    func immediateMethods() async throws {
        let logs = CapturedLogs()
        let gates = Gates()
        try await withTestServer(router: TestService.router(gates: gates), logger: logs.logger) { path in
            try await RawConnection.with(path) { raw in
                try await raw.sendRequest(streamID: 1, service: self.service, method: "Hold", payload: try keyValue("held").serializedBytes())
                try await raw.sendRequest(streamID: 3, service: self.service, method: "EchoNow", payload: try keyValue("now").serializedBytes())
                try await raw.sendRequest(streamID: 5, service: self.service, method: "EchoNow", payload: [0xFF, 0xFF])
                try await raw.sendRequest(streamID: 7, service: self.service, method: "FailKnownNow", payload: [])
                try await raw.sendRequest(streamID: 9, service: self.service, method: "FailUnknownNow", payload: [])
                // The held call is still waiting: the immediate ones are answered, in order, first.
                let (echoID, echo) = try await raw.nextResponse()
                #expect(echoID == 3 && !echo.hasStatus)
                #expect(try Ttrpc_KeyValue(serializedBytes: echo.payload) == keyValue("now"))
                let (badID, bad) = try await raw.nextResponse()
                #expect(badID == 5 && bad.status.code == RPCStatusCode.invalidArgument.rawValue)
                let (knownID, known) = try await raw.nextResponse()
                #expect(knownID == 7 && known.status.code == RPCStatusCode.failedPrecondition.rawValue && known.status.message == "lease held")
                let (unknownID, unknown) = try await raw.nextResponse()
                #expect(unknownID == 9 && unknown.status.code == RPCStatusCode.internalError.rawValue)
                #expect(!unknown.status.message.contains("disk on fire"))
                await gates.open("held")
                let (heldID, held) = try await raw.nextResponse()
                #expect(heldID == 1 && !held.hasStatus)
            }
        }
        #expect(logs.metadata(of: "call failed with an unexpected error").first?.contains("flygate.rpc.method=FailUnknownNow") == true)
    }

    @Test("handler errors: a convertible error keeps its status, any other is INTERNAL with its cause only in the log")
    func handlerErrors() async throws {
        let logs = CapturedLogs()
        try await withTestServer(router: TestService.router(), logger: logs.logger) { path in
            let client = try await RPCClient.connect(path: path)
            let known = await #expect(throws: RPCError.self) {
                _ = try await client.call(service: self.service, method: "FailKnown", request: keyValue("x"), as: Ttrpc_KeyValue.self)
            }
            #expect(known?.code == .failedPrecondition)
            #expect(known?.message == "lease held")
            let unknown = await #expect(throws: RPCError.self) {
                _ = try await client.call(service: self.service, method: "FailUnknown", request: keyValue("x"), as: Ttrpc_KeyValue.self)
            }
            #expect(unknown?.code == .internalError)
            #expect(unknown?.message == "internal error")
            #expect(unknown?.message.contains("disk on fire") == false)
            await client.close()
        }
        let logged = logs.metadata(of: "call failed with an unexpected error")
        #expect(logged.count == 1)
        #expect(logged.first?.contains("disk on fire") == true)
        #expect(logged.first?.contains("flygate.rpc.method=FailUnknown") == true)
    }

    @Test("the handler sees the peer's uid, gid and pid, lower-cased metadata and the deadline")
    func callContext() async throws {
        let observer = RecordingObserver()
        try await withTestServer(router: TestService.router(), observer: observer) { path in
            let client = try await RPCClient.connect(path: path)
            let answer = try await client.call(
                service: self.service,
                method: "Context",
                request: keyValue("x"),
                as: Ttrpc_KeyValue.self,
                timeout: .seconds(20),
                metadata: [("Flygate-Request-ID", "abc"), ("flygate-no-coalesce", "true")]
            )
            #expect(answer.key == "\(getuid()) \(getgid()) \(getpid())")
            #expect(answer.value == "flygate-request-id=abc,flygate-no-coalesce=true;deadline=true;request-id=abc")
            await client.close()
        }
        // SO_PEERGROUPS gives this process's own supplementary groups, sorted.
        var groups = [gid_t](repeating: 0, count: Int(getgroups(0, nil)))
        groups = Array(groups.prefix(Int(getgroups(Int32(groups.count), &groups))))
        let expected = PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid(), groups: Array(Set(groups)).sorted())
        #expect(observer.seenPeers == [expected])
    }

    @Test("Gateway's Health, Stats and ListLeases are callable through the generic call")
    func gatewayMethods() async throws {
        try await withTestServer(router: TestService.router()) { path in
            let client = try await RPCClient.connect(path: path)
            let gateway = "flygate.gateway.v1.Gateway"
            let health = try await client.call(service: gateway, method: "Health", request: Google_Protobuf_Empty(), as: Ttrpc_KeyValue.self)
            #expect(health.key == "serving")
            _ = try await client.call(service: gateway, method: "Stats", request: Google_Protobuf_Empty(), as: Google_Protobuf_Empty.self)
            _ = try await client.call(service: gateway, method: "ListLeases", request: Google_Protobuf_Empty(), as: Google_Protobuf_Empty.self)
            await client.close()
        }
    }
}
