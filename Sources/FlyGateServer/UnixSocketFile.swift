import FlyGateWire
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The socket file on disk: its directory, its modes, a stale or live predecessor, its removal.
struct UnixSocketFile: Sendable {
    /// Which file a path named when we bound it, so we never unlink a successor's socket.
    struct Identity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    let path: String
    /// The group that may connect too; `nil` keeps the socket to its owner.
    let groupID: gid_t?

    /// The socket's parent directory.
    var directory: String {
        guard let slash = self.path.lastIndex(of: "/") else { return "." }
        return slash == self.path.startIndex ? "/" : String(self.path[..<slash])
    }

    /// Makes the directory if missing, refuses a path a live process answers on, and removes a stale socket.
    func prepareForBind(eventLoopGroup: any EventLoopGroup) async throws {
        do {
            try SocketPath.validate(self.path)
        } catch {
            throw ServerError(code: .invalidConfiguration, message: error.message)
        }
        try self.makeDirectory()

        var status = stat()
        guard lstat(self.path, &status) == 0 else {
            guard errno == ENOENT else { throw self.failure("cannot inspect socket path", errno) }
            return
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw ServerError(code: .socketFile, message: "\(self.path) exists and is not a socket; not replacing it")
        }
        if try await Self.answers(self.path, eventLoopGroup: eventLoopGroup) {
            throw ServerError(code: .socketInUse, message: "another process is listening on \(self.path); not taking it over")
        }
        guard unlink(self.path) == 0 || errno == ENOENT else {
            throw self.failure("cannot remove stale socket", errno)
        }
    }

    /// Sets the bound socket's mode (0600, or 0660 with a group) and group; returns its identity.
    func secureBoundSocket() throws -> Identity {
        if let groupID = self.groupID {
            guard chown(self.path, uid_t.max, groupID) == 0 else { throw self.failure("cannot set socket group", errno) }
        }
        guard chmod(self.path, self.groupID == nil ? 0o600 : 0o660) == 0 else {
            throw self.failure("cannot set socket mode", errno)
        }
        guard let identity = Self.identity(of: self.path) else {
            throw self.failure("socket vanished after bind", errno)
        }
        return identity
    }

    /// Unlinks the socket if the path still names the file we bound.
    func remove(ifStill identity: Identity) {
        guard Self.identity(of: self.path) == identity else { return }
        unlink(self.path)
    }

    /// Whether a process accepts connections on `path`: the only safe test of a socket file.
    static func answers(_ path: String, eventLoopGroup: any EventLoopGroup) async throws -> Bool {
        do {
            let channel = try await ClientBootstrap(group: eventLoopGroup).connect(unixDomainSocketPath: path).get()
            try? await channel.close()
            return true
        } catch let error as IOError where error.errnoCode == EAGAIN {
            // Refused for a full queue of connections not yet accepted: someone is listening.
            return true
        } catch let error as IOError where error.errnoCode == ECONNREFUSED || error.errnoCode == ENOENT {
            return false
        } catch {
            throw ServerError(
                code: .socketInUse,
                message: "cannot tell whether a process is listening on \(path); not taking it over",
                cause: error
            )
        }
    }

    /// The identity of the file at `path` itself (not what a link there points to); nil when there is none.
    static func identity(of path: String) -> Identity? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// Creates the socket's directory (0700, or 0750 with a group) and any missing ancestors
    /// (0755), and refuses one another user could change (``PrivateDirectory``).
    private func makeDirectory() throws {
        do {
            try PrivateDirectory.prepare(
                self.directory, mode: self.groupID == nil ? 0o700 : 0o750, groupID: self.groupID, ancestorMode: 0o755)
        } catch {
            // An unsafe directory is the operator's to fix (exit 78); a failed mkdir is not.
            throw ServerError(code: error.code == .failedPrecondition ? .invalidConfiguration : .socketFile, message: error.message)
        }
    }

    private func failure(_ what: String, _ code: Int32) -> ServerError {
        ServerError(code: .socketFile, message: "\(what): \(self.path): \(String(cString: strerror(code)))")
    }

    /// The group id for a group name or number.
    static func groupID(named name: String) throws -> gid_t {
        if let number = gid_t(name) {
            return number
        }
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let code = getgrnam_r(name, &entry, &buffer, buffer.count, &result)
        guard code == 0, let found = result else {
            throw ServerError(code: .invalidConfiguration, message: "socket group \(name) does not exist")
        }
        return found.pointee.gr_gid
    }
}
