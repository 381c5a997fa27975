import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who is on the other end of a connection, as the kernel saw it at `connect`: SO_PEERCRED
/// (uid, gid, pid) and SO_PEERGROUPS (the supplementary groups).
package struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer's effective user id.
    package var uid: UInt32
    /// The peer's effective group id.
    package var gid: UInt32
    /// The peer's process id.
    package var pid: Int32
    /// The peer's supplementary groups, ascending (empty when it has none or the kernel cannot say).
    package var groups: [UInt32]

    /// Creates credentials from their parts.
    package init(uid: UInt32, gid: UInt32, pid: Int32, groups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups
    }

    /// `uid=… gid=… pid=…` (and `groups=a,b` when there are any).
    package var description: String {
        let base = "uid=\(self.uid) gid=\(self.gid) pid=\(self.pid)"
        return self.groups.isEmpty ? base : base + " groups=" + self.groups.map(String.init).joined(separator: ",")
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
        return credentials.flatMap { kernel in
            Self.supplementaryGroups(of: provider, on: channel.eventLoop).map { groups in
                PeerCredentials(uid: kernel.uid, gid: kernel.gid, pid: kernel.pid, groups: groups)
            }
        }
        #else
        return channel.eventLoop.makeFailedFuture(
            ServerError(code: .peerCredentials, message: "SO_PEERCRED is only available on Linux")
        )
        #endif
    }

    #if os(Linux)
    /// Linux's SO_PEERGROUPS (asm-generic socket.h; since 4.13), which Glibc's module does not export.
    private static let peerGroupsOption = SocketOptionName(59)

    /// The peer's supplementary groups, as the kernel recorded them at `connect`.
    ///
    /// getsockopt fills an array of gid_t and fails with ERANGE when the buffer is too small.
    /// NIO's getter zeroes a fixed-size buffer and does not hand back the length, so: a probe
    /// with no room says whether there are any groups at all; then buffers of 32, 1024 and
    /// 65536 (NGROUPS_MAX) gids are tried in turn. The kernel keeps groups sorted, so trailing
    /// zeros are padding and a leading zero (the probe having said there are groups) is gid 0.
    /// A kernel without the option yields no groups: rules then match only uid and primary gid.
    private static func supplementaryGroups(
        of provider: any SocketOptionProvider, on eventLoop: any EventLoop
    ) -> EventLoopFuture<[UInt32]> {
        let level = SocketOptionLevel(SOL_SOCKET)
        let probe: EventLoopFuture<NoRoom> = provider.unsafeGetSocketOption(level: level, name: Self.peerGroupsOption)
        return probe.map { _ in false }.flatMapErrorThrowing { error in
            guard Self.isRange(error) else { throw error }
            return true
        }.flatMap { hasGroups -> EventLoopFuture<[UInt32]> in
            guard hasGroups else { return eventLoop.makeSucceededFuture([]) }
            let small: EventLoopFuture<InlineArray<32, UInt32>> = provider.unsafeGetSocketOption(level: level, name: Self.peerGroupsOption)
            return small.map { Self.trimmed($0) }.flatMapError { error in
                guard Self.isRange(error) else { return eventLoop.makeFailedFuture(error) }
                let medium: EventLoopFuture<InlineArray<1024, UInt32>> = provider.unsafeGetSocketOption(level: level, name: Self.peerGroupsOption)
                return medium.map { Self.trimmed($0) }.flatMapError { error in
                    guard Self.isRange(error) else { return eventLoop.makeFailedFuture(error) }
                    let large: EventLoopFuture<InlineArray<65536, UInt32>> = provider.unsafeGetSocketOption(level: level, name: Self.peerGroupsOption)
                    return large.map { Self.trimmed($0) }
                }
            }
        }.flatMapErrorThrowing { _ in
            // ENOPROTOOPT: a kernel older than 4.13. Anything else is not ours to fail the accept on.
            []
        }
    }

    private static func isRange(_ error: any Error) -> Bool {
        (error as? IOError)?.errnoCode == ERANGE
    }

    /// The groups in a zero-padded, sorted buffer the kernel filled (at least one group in it).
    private static func trimmed<let count: Int>(_ buffer: InlineArray<count, UInt32>) -> [UInt32] {
        var groups: [UInt32] = []
        for index in buffer.indices where buffer[index] != 0 || index == 0 {
            if groups.last != buffer[index] { groups.append(buffer[index]) }
        }
        return groups
    }
    #endif
}

/// An option buffer of no bytes: getsockopt succeeds only when there is nothing to write.
private struct NoRoom: Sendable {}

/// The kernel's `struct ucred`, which Swift's Glibc module does not export.
private struct KernelPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
