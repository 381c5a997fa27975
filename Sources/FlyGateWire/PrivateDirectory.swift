#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory only the daemon may change: the one check the socket directory, the state
/// directory and the audit log's directory share.
///
/// The directory itself must be owned by the daemon's user and not writable by group or
/// others (group read and search are fine: a `socket.group` makes the socket's directory
/// 0750). Each ancestor must be owned by the daemon's user or root and not writable by group
/// or others unless it is sticky (as `/tmp` is): otherwise whoever may write there could swap
/// the directory for their own. A symbolic link on the way is followed only when it belongs to
/// the daemon's user or root. A directory that is missing is made, with exactly `mode`.
package enum PrivateDirectory {
    /// Makes `path` (with `mode` and `groupID`) and any missing ancestors (with `ancestorMode`,
    /// filtered by the umask), then checks every component.
    ///
    /// Throws `failedPrecondition` naming the path when a component fails the check (an
    /// operator must fix it), `internalError` when a directory cannot be made or inspected.
    package static func prepare(
        _ path: String,
        mode: mode_t = 0o700,
        groupID: gid_t? = nil,
        ancestorMode: mode_t = 0o700,
        ownerID: uid_t = geteuid()
    ) throws(RPCError) {
        let components = Self.components(of: path)
        for (index, component) in components.enumerated() {
            let isLeaf = index == components.count - 1
            var status = stat()
            if lstat(component, &status) != 0 {
                guard errno == ENOENT else { throw Self.failure("cannot inspect \(component)") }
                if mkdir(component, isLeaf ? mode : ancestorMode) == 0 {
                    if isLeaf {
                        try Self.setMode(component, mode: mode, groupID: groupID)
                    }
                } else if errno != EEXIST {
                    throw Self.failure("cannot create \(component)")
                }
            }
            try Self.check(component, isLeaf: isLeaf, ownerID: ownerID)
        }
    }

    /// Checks `path` and its ancestors as ``prepare(_:mode:groupID:ancestorMode:ownerID:)`` does, making nothing.
    package static func check(_ path: String, ownerID: uid_t = geteuid()) throws(RPCError) {
        let components = Self.components(of: path)
        for (index, component) in components.enumerated() {
            try Self.check(component, isLeaf: index == components.count - 1, ownerID: ownerID)
        }
    }

    private static func check(_ path: String, isLeaf: Bool, ownerID: uid_t) throws(RPCError) {
        var link = stat()
        guard lstat(path, &link) == 0 else { throw Self.failure("cannot inspect \(path)") }
        if link.st_mode & S_IFMT == S_IFLNK, link.st_uid != ownerID, link.st_uid != 0 {
            throw Self.refusal("\(path) is a symbolic link owned by uid \(link.st_uid), not by uid \(ownerID) or root")
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw Self.failure("cannot inspect \(path)") }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw Self.refusal("\(path) is not a directory")
        }
        let mode = "mode " + String(status.st_mode & 0o7777, radix: 8)
        if isLeaf {
            guard status.st_uid == ownerID else {
                throw Self.refusal("\(path) is owned by uid \(status.st_uid), not by the daemon's uid \(ownerID)")
            }
            guard status.st_mode & 0o022 == 0 else {
                throw Self.refusal("\(path) is writable by group or others (\(mode)); chmod go-w it")
            }
        } else {
            guard status.st_uid == ownerID || status.st_uid == 0 else {
                throw Self.refusal("\(path) is owned by uid \(status.st_uid), not by uid \(ownerID) or root")
            }
            guard status.st_mode & 0o022 == 0 || status.st_mode & S_ISVTX != 0 else {
                throw Self.refusal("\(path) is writable by group or others and not sticky (\(mode))")
            }
        }
    }

    /// mkdir's mode is filtered by the umask: set it exactly, and the group when there is one.
    private static func setMode(_ path: String, mode: mode_t, groupID: gid_t?) throws(RPCError) {
        if let groupID {
            guard chown(path, uid_t.max, groupID) == 0 else { throw Self.failure("cannot set the group of \(path)") }
        }
        guard chmod(path, mode) == 0 else { throw Self.failure("cannot set the mode of \(path)") }
    }

    /// The directory part of `path` (`.` when it has none).
    package static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `/a/b/c` -> `/`, `/a`, `/a/b`, `/a/b/c`; a relative path's components start at the working directory.
    static func components(of path: String) -> [String] {
        let absolute = path.hasPrefix("/")
        var components: [String] = absolute ? ["/"] : []
        var current = absolute ? "" : "."
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            current += "/" + part
            components.append(absolute ? current : String(current.dropFirst(2)))
        }
        return components.isEmpty ? [absolute ? "/" : "."] : components
    }

    private static func refusal(_ message: String) -> RPCError {
        RPCError(code: .failedPrecondition, message: message)
    }

    private static func failure(_ what: String) -> RPCError {
        RPCError(code: .internalError, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
