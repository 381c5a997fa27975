#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the daemon's socket lives: the one rule the server, the CLI and the clients share.
package enum SocketPath {
    /// The longest path the kernel takes for a Unix socket (108 bytes with the terminating NUL).
    package static let maximumBytes = 107

    /// The default path for `environment` and `userID`.
    ///
    /// `$FLYGATE_SOCKET` if set, else `$XDG_RUNTIME_DIR/flygate/flygate.sock`, else
    /// `/run/flygate/flygate.sock` for root, else `/tmp/flygate-$UID/flygate.sock`. The daemon
    /// serves in a directory only when it passes ``PrivateDirectory``'s check, the `/tmp`
    /// fallback included: one another user made first is refused, not shared.
    package static func `default`(environment: [String: String], userID: UInt32 = UInt32(getuid())) -> String {
        if let explicit = environment["FLYGATE_SOCKET"], !explicit.isEmpty {
            return explicit
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime.hasSuffix("/") ? "\(runtime)flygate/flygate.sock" : "\(runtime)/flygate/flygate.sock"
        }
        if userID == 0 {
            return "/run/flygate/flygate.sock"
        }
        return "/tmp/flygate-\(userID)/flygate.sock"
    }

    /// Throws a clear error when `path` cannot be a Unix socket address.
    package static func validate(_ path: String) throws(RPCError) {
        let bytes = path.utf8.count
        guard bytes > 0 else {
            throw RPCError(code: .invalidArgument, message: "socket path is empty")
        }
        guard bytes <= Self.maximumBytes else {
            throw RPCError(
                code: .invalidArgument,
                message: "socket path is \(bytes) bytes, over the kernel's limit of \(Self.maximumBytes): \(path)"
            )
        }
        guard !path.utf8.contains(0) else {
            throw RPCError(code: .invalidArgument, message: "socket path contains a NUL byte")
        }
    }
}
