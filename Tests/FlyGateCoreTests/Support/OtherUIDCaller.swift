import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Calls the in-process daemon as another uid: the peer credentials a policy decides on are the
/// connecting process's, so the call is made by a child Python process that util-linux's
/// setpriv starts as nobody (uid and gid 65534, no supplementary groups).
enum OtherUIDCaller {
    /// The uid (and gid) the calls come from.
    static let uid: UInt32 = 65534
    /// The group a daemon's socket must name (`DaemonConfiguration.socketGroup`) for it to connect.
    static let socketGroup = "nogroup"

    /// Another uid can be had only as root, with setpriv and the system Python.
    static var isAvailable: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    /// Makes `directory` (the socket's parent's parent, where the script goes) passable for the
    /// caller; the daemon's own socket directory lets the group in.
    static func prepare(_ directory: String) throws {
        guard chmod(directory, 0o711) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EPERM) }
        let script = directory + "/call.py"
        try RawTTRPC.pythonCall.write(toFile: script, atomically: true, encoding: .utf8)
        guard chmod(script, 0o644) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EPERM) }
    }

    /// Sends `request` to the daemon at `socket` as ``uid`` (``prepare(_:)`` ran on `directory`)
    /// and returns the daemon's Response: its status, and its payload when it answered.
    static func call<Request: MachinesRPCRequest>(_ request: Request, socket: String, directory: String) async throws -> Ttrpc_Response {
        let payload = try request.serializedBytes() as [UInt8]
        let hex = payload.map { String(format: "%02x", $0) }.joined()
        let (status, output) = try await ChildProcess.run(
            "/usr/bin/setpriv",
            ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "/usr/bin/python3", directory + "/call.py",
             socket, Request.rpc.serviceName, Request.rpc.rawValue, hex],
            timeout: .seconds(30))
        guard status == 0, let line = output.split(separator: "\n").first(where: { $0.hasPrefix("RESPONSE ") }) else {
            throw ChildProcessError("the call as uid \(uid) failed (\(status)): \(output)")
        }
        let text = Array(line.dropFirst("RESPONSE ".count).utf8)
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: text.count - 1, by: 2) {
            guard let byte = UInt8(String(decoding: text[index...index + 1], as: UTF8.self), radix: 16) else {
                throw ChildProcessError("not hex: \(line)")
            }
            bytes.append(byte)
        }
        return try Ttrpc_Response(serializedBytes: bytes)
    }
}
