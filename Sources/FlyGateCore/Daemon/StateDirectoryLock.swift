import FlyGateWire

#if canImport(Glibc)
import Glibc
#endif

/// One daemon per state directory: an exclusive `flock` on `<state directory>/flygate.lock`,
/// held for the life of the process (the kernel drops it when the process ends, however it
/// ends) and holding the holder's pid as text, for the next daemon's message.
///
/// Taken before the audit log, the lease book or the socket is touched: a second daemon on the
/// same state directory, whatever its socket, stops here and writes nothing.
package final class StateDirectoryLock: Sendable {
    /// The lock file's name in the state directory.
    package static let fileName = "flygate.lock"

    /// The lock file's path.
    package let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    // Closing the only descriptor releases the lock; the file stays (removing it would race a
    // daemon that has just opened it).
    deinit { close(descriptor) }

    /// Makes and checks the state directory (``PrivateDirectory``), then takes its lock and
    /// writes this process's pid into it.
    package static func acquire(directory: String) throws(StateDirectoryLockError) -> StateDirectoryLock {
        do {
            try PrivateDirectory.prepare(directory)
        } catch {
            throw StateDirectoryLockError(
                code: error.code == .failedPrecondition ? .unsafe : .io, message: "state directory: \(error.message)")
        }
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + fileName
        // No O_TRUNC: until the lock is ours, the file (and the holder's pid in it) is not ours to change.
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .init(code: .io, message: "cannot open \(path): \(errorText())") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else {
            close(descriptor)
            throw .init(code: .unsafe, message: "\(path) is not a regular file owned by uid \(geteuid())")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let reason = errno
            let holder = Self.holderPID(descriptor)
            close(descriptor)
            guard reason == EWOULDBLOCK else {
                throw .init(code: .io, message: "cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            let who = holder.map { "flygate pid \($0)" } ?? "another flygate process (its pid is not written yet)"
            throw .init(
                code: .held, holderPID: holder,
                message: "the state directory \(directory) is in use by \(who) (lock \(path)); not starting a second daemon on it")
        }
        let text = Array("\(getpid())\n".utf8)
        let written = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard fchmod(descriptor, 0o600) == 0, ftruncate(descriptor, off_t(text.count)) == 0, written == text.count else {
            close(descriptor)
            throw .init(code: .io, message: "cannot write \(path): \(errorText())")
        }
        return StateDirectoryLock(path: path, descriptor: descriptor)
    }

    /// What `flygate serve` does before anything else touches the state: takes the state
    /// directory's lock, then makes and checks the audit log's directory and checks the sockets'
    /// directories when they exist (the server makes a missing one when it binds, with the
    /// socket group), so that an unsafe one is refused before the audit log records a `start`.
    /// An inherited socket's directory is not the daemon's; the gRPC-only socket's always is.
    package static func claim(
        _ configuration: DaemonConfiguration, socketInherited: Bool
    ) throws(StateDirectoryLockError) -> StateDirectoryLock {
        let lock = try acquire(directory: configuration.stateDirectory)
        do {
            if configuration.auditEnabled {
                try PrivateDirectory.prepare(PrivateDirectory.parent(of: configuration.auditLogPath))
            }
            var socketPaths = socketInherited ? [] : [configuration.socketPath]
            socketPaths += configuration.grpcSocketPath.map { [$0] } ?? []
            for socketDirectory in socketPaths.map(PrivateDirectory.parent(of:)) where access(socketDirectory, F_OK) == 0 {
                try PrivateDirectory.check(socketDirectory)
            }
        } catch {
            throw StateDirectoryLockError(code: error.code == .failedPrecondition ? .unsafe : .io, message: error.message)
        }
        return lock
    }

    /// The pid the holder wrote, if it has.
    private static func holderPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int32(text.split(separator: "\n").first ?? "")
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// The state directory's lock could not be taken.
package struct StateDirectoryLockError: Error, Sendable, CustomStringConvertible {
    /// Why.
    package enum Code: Sendable, Hashable {
        /// Another live process holds it.
        case held
        /// The directory or the lock file is not the daemon's own.
        case unsafe
        /// A system call failed.
        case io
    }

    /// Why.
    package var code: Code
    /// The holder's pid, when it is held and the holder wrote it.
    package var holderPID: Int32?
    /// What happened, for an operator.
    package var message: String

    /// An error from its parts.
    package init(code: Code, holderPID: Int32? = nil, message: String) {
        self.code = code
        self.holderPID = holderPID
        self.message = message
    }

    /// The message.
    package var description: String { message }
}
