import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who is on the other end of a connection, as the kernel saw it at `connect` (SO_PEERCRED).
package struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer's effective user id.
    package var uid: UInt32
    /// The peer's effective group id.
    package var gid: UInt32
    /// The peer's process id.
    package var pid: Int32

    /// Creates credentials from their parts.
    package init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }

    /// `uid=… gid=… pid=…`.
    package var description: String {
        "uid=\(self.uid) gid=\(self.gid) pid=\(self.pid)"
    }
}

extension PeerCredentials {
    /// Reads the credentials of a connected Unix-domain socket channel, once, on its event loop.
    static func read(from channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(
                ServerError(code: .peerCredentials, message: "channel has no socket to read SO_PEERCRED from")
            )
        }
        let credentials: EventLoopFuture<KernelPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        )
        return credentials.map { PeerCredentials(uid: $0.uid, gid: $0.gid, pid: $0.pid) }
        #else
        return channel.eventLoop.makeFailedFuture(
            ServerError(code: .peerCredentials, message: "SO_PEERCRED is only available on Linux")
        )
        #endif
    }
}

/// The kernel's `struct ucred`, which Swift's Glibc module does not export.
private struct KernelPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
