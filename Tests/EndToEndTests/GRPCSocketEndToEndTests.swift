import FlyGateClient
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A daemon with a gRPC-only socket beside its socket (`socket.grpc_path`), on a real process:
/// gRPC calls from Python's grpcio on either socket, ttrpc on the socket only, a ttrpc client on
/// the gRPC-only socket closed while the daemon goes on, both files removed on SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct GRPCSocketEndToEndTests {
    static let app = "grpc-socket-e2e"

    /// One unary gRPC call with grpcio, the request and answer as hex: prints `OK <answer>`, or
    /// the status code's name and the details. Usage: SCRIPT SOCKET /service/method REQUEST.
    static let grpcCallScript = #"""
        import sys
        import grpc

        path, method, request = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
        with grpc.insecure_channel("unix://" + path) as channel:
            try:
                answer = channel.unary_unary(method)(request, timeout=10)
                print("OK", answer.hex())
            except grpc.RpcError as error:
                print(error.code().name, error.details())
        """#

    /// The Python the test command installed grpcio for.
    static var python: String { ProcessInfo.processInfo.environment["PYTHON"] ?? "python3" }

    /// Whether that Python has grpcio. Required under CI; elsewhere its calls are skipped, and
    /// the raw HTTP/2 preface check still shows the socket speaks HTTP/2.
    static func grpcioAvailable() async -> Bool {
        let found = (try? await runCommand("/usr/bin/env", [python, "-c", "import grpc"]))?.status == 0
        if !found {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI is set but \(python) has no grpcio")
            print("skipping the grpcio calls: \(python) has no grpcio (pip install grpcio)")
        }
        return found
    }

    /// Calls `method` (`/service/method`) with grpcio on `socket`; returns the status code's
    /// name and the answer decoded as `Answer` when it is OK.
    static func grpcCall<Answer: SwiftProtobuf.Message>(
        in daemon: DaemonProcess, socket: String, _ method: String, _ request: some SwiftProtobuf.Message, as: Answer.Type
    ) async throws -> (code: String, answer: Answer?) {
        let script = daemon.directory + "/grpc_call.py"
        try grpcCallScript.write(toFile: script, atomically: true, encoding: .utf8)
        let requestBytes: [UInt8] = try request.serializedBytes()
        let hex = requestBytes.map { String(format: "%02x", $0) }.joined()
        let (status, output) = try await runCommand("/usr/bin/env", [python, script, socket, method, hex], timeout: .seconds(30))
        let words = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1).map(String.init)
        guard status == 0, let code = words.first else { throw TestFailure("the grpcio client failed (\(status)): \(output)") }
        guard code == "OK" else { return (code, nil) }
        let digits = Array((words.count > 1 ? words[1] : "").utf8)
        let bytes = try stride(from: 0, to: digits.count, by: 2).map { offset in
            guard let byte = UInt8(String(decoding: digits[offset..<min(offset + 2, digits.count)], as: UTF8.self), radix: 16) else {
                throw TestFailure("the grpcio client printed no hex: \(output)")
            }
            return byte
        }
        return (code, try Answer(serializedBytes: bytes))
    }

    /// A ttrpc Gateway/Health request frame on stream 1, as any ttrpc client sends first.
    static func ttrpcHealthFrame() throws -> [UInt8] {
        var request = Ttrpc_Request()
        request.service = "flygate.gateway.v1.Gateway"
        request.method = "Health"
        request.timeoutNano = 5_000_000_000
        var frame = ByteBuffer()
        try TTRPCFrameEncoder().encode(data: TTRPCFrame(streamID: 1, type: .request, data: try request.serializedByteBuffer()), out: &frame)
        return Array(frame.readableBytesView)
    }

    static func mode(_ path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return status.st_mode & 0o7777
    }

    @Test("gRPC on the gRPC-only socket and the socket, ttrpc on the socket; a ttrpc client on the gRPC-only socket is closed and the daemon goes on; SIGTERM removes both files")
    func bothSockets() async throws {
        let folder = try DaemonProcess.makeDirectory()
        let grpcSocket = folder + "/grpc/flygate-grpc.sock"
        let config = #"{"socket": {"grpc_path": "\#(grpcSocket)"}, "simulator": {"rate_limits": false}}"#
        try await DaemonProcess.with(config: config, directory: folder) { daemon in
            #expect(daemon.log.contains("ready, serving on \(daemon.socketPath), gRPC only on \(grpcSocket)"), "\(daemon.log)")
            #expect(Self.mode(daemon.socketPath) == 0o600 && Self.mode(grpcSocket) == 0o600)
            let grpcio = await Self.grpcioAvailable()

            // ttrpc on the socket.
            let machine = try await daemon.withClient { client in
                try await client.create(Machines.create(Self.app, skipLaunch: true)).body.id
            }

            // gRPC on both sockets, in the same run: the same daemon, the same state.
            var list = Flygate_Machines_V1_ListRequest()
            list.appName = Self.app
            for socket in [grpcSocket, daemon.socketPath] where grpcio {
                let listed = try await Self.grpcCall(
                    in: daemon, socket: socket, "/flygate.machines.v1.Machines/List", list, as: Flygate_Machines_V1_ListResponse.self)
                #expect(listed.code == "OK" && listed.answer?.body.map(\.id) == [machine], "\(socket): \(listed)")
                let health = try await Self.grpcCall(
                    in: daemon, socket: socket, "/flygate.gateway.v1.Gateway/Health", Flygate_Gateway_V1_HealthRequest(),
                    as: Flygate_Gateway_V1_HealthResponse.self)
                #expect(health.answer?.status == "serving", "\(socket): \(health)")
            }
            let preface = try await RawByteExchange.run(grpcSocket, sending: RawByteExchange.http2Preface, atLeast: 9)
            #expect(!preface.closedByServer && preface.received.dropFirst(3).first == 0x04, "no SETTINGS frame: \(preface)")

            // A ttrpc client on the gRPC-only socket: closed, with not a byte of answer.
            let refused = try await RawByteExchange.run(grpcSocket, sending: try Self.ttrpcHealthFrame(), atLeast: 1)
            #expect(refused.closedByServer && refused.received.isEmpty, "answered \(refused.received)")
            let client = try await RPCClient.connect(path: grpcSocket)
            let error = await #expect(throws: RPCError.self) { _ = try await client.health(timeout: .seconds(10)) }
            await client.close()
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            try await daemon.waitForLog(containing: "did not open with the HTTP/2 preface")

            // The daemon goes on, on both sockets.
            try await daemon.withClient { client async throws in
                #expect(try await client.health(timeout: .seconds(10)).status == "serving")
            }
            if grpcio {
                let again = try await Self.grpcCall(
                    in: daemon, socket: grpcSocket, "/flygate.machines.v1.Machines/List", list, as: Flygate_Machines_V1_ListResponse.self)
                #expect(again.code == "OK", "\(again)")
            }

            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit() == 0)
            #expect(access(daemon.socketPath, F_OK) != 0, "the socket file is left")
            #expect(access(grpcSocket, F_OK) != 0, "the gRPC-only socket file is left")
        }
    }

    @Test("--grpc-socket reaches the configuration; the socket's own path or a group-writable directory is refused at start, exit 78")
    func refusedAtStart() async throws {
        let folder = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["HOME": folder, "PATH": "/usr/bin:/bin"]
        let base = ["serve", "--socket", folder + "/run/flygate.sock", "--state-directory", folder + "/state"]

        let printed = try await runCommand(
            DaemonProcess.binary, base + ["--grpc-socket", folder + "/grpc/g.sock", "--print-config"], environment: environment)
        #expect(printed.status == 0 && printed.output.contains(#""grpc_path": "\#(folder)/grpc/g.sock""#), "\(printed.output)")

        let same = try await runCommand(DaemonProcess.binary, base + ["--grpc-socket", folder + "/run//flygate.sock"], environment: environment)
        #expect(same.status == 78, "\(same.output)")
        #expect(same.output.contains("socket.grpc_path (from --grpc-socket)") && same.output.contains("must differ from socket.path"), "\(same.output)")

        let open = folder + "/open"
        #expect(mkdir(open, 0o700) == 0 && chmod(open, 0o770) == 0)
        let unsafe = try await runCommand(DaemonProcess.binary, base + ["--grpc-socket", open + "/g.sock"], environment: environment)
        #expect(unsafe.status == 78, "\(unsafe.output)")
        #expect(unsafe.output.contains("\(open) is writable by group or others"), "\(unsafe.output)")
        #expect(access(folder + "/state/audit.log", F_OK) != 0, "the refused daemon started its audit log")
        #expect(access(folder + "/run/flygate.sock", F_OK) != 0)
    }

    @Test("a second daemon whose gRPC-only socket a live daemon answers on exits 69 and leaves no socket; the first goes on")
    func grpcSocketInUse() async throws {
        let folder = try DaemonProcess.makeDirectory()
        let grpcSocket = folder + "/grpc/flygate-grpc.sock"
        try await DaemonProcess.with(config: #"{"socket": {"grpc_path": "\#(grpcSocket)"}}"#, directory: folder) { first in
            let other = first.directory + "/other"
            let (status, output) = try await runCommand(
                DaemonProcess.binary,
                ["serve", "--socket", other + "/flygate.sock", "--grpc-socket", grpcSocket, "--state-directory", other + "/state"],
                environment: ["HOME": first.directory, "PATH": "/usr/bin:/bin"]
            )
            #expect(status == 69, "\(output)")
            #expect(output.contains("another process is listening on \(grpcSocket)"), "\(output)")
            #expect(access(other + "/flygate.sock", F_OK) != 0, "the refused daemon left its socket")
            let preface = try await RawByteExchange.run(grpcSocket, sending: RawByteExchange.http2Preface, atLeast: 9)
            #expect(!preface.closedByServer && preface.received.dropFirst(3).first == 0x04)
        }
    }
}
