import FlyGateWire

#if canImport(Glibc)
import Glibc
#endif

/// One open audit log file: appends, syncs, and knows whether its path still names it.
///
/// The descriptor closes when the last reference goes, so a sync in progress on another
/// thread never sees it closed (or reused) under it.
package final class AuditFile: Sendable {
    /// The path it was opened at.
    package let path: String
    let descriptor: Int32
    private let device: UInt64
    private let inode: UInt64

    /// Opens (creating with mode 0600 if missing) `path` for appending; it must be a regular file.
    package init(path: String) throws(AuditError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw AuditError(.io, "cannot open \(path): \(AuditFile.errorText())") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & 0o170000) == 0o100000 else {
            close(descriptor)
            throw AuditError(.io, "\(path) is not a regular file")
        }
        if info.st_mode & 0o077 != 0 { _ = fchmod(descriptor, 0o600) }
        self.path = path
        self.descriptor = descriptor
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
    }

    deinit { close(descriptor) }

    /// The file's size now.
    package func size() throws(AuditError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw AuditError(.io, "cannot stat \(path): \(Self.errorText())") }
        return Int(info.st_size)
    }

    /// nil while `path` still names this file; else what happened to it.
    package func replacement() -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path) was removed (\(Self.errorText()))" }
        guard UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return "\(path) was replaced by another file" }
        return nil
    }

    /// Appends all of `bytes`; on failure cuts the file back to `restoringSize` and throws.
    package func append(_ bytes: [UInt8], restoringSize: Int) throws(AuditError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = Self.errorText()
                let restored = ftruncate(descriptor, off_t(restoringSize)) == 0
                throw AuditError(
                    restored ? .io : .unavailable,
                    "cannot write to \(path): \(reason)" + (restored ? "" : "; the partial line could not be cut off")
                )
            }
            written += result
        }
    }

    /// Makes everything written so far durable.
    package func sync() throws(AuditError) {
        guard fdatasync(descriptor) == 0 else { throw AuditError(.unavailable, "cannot sync \(path): \(Self.errorText())") }
    }

    /// Cuts the file to `size` bytes (a torn last line at recovery).
    package func truncate(to size: Int) throws(AuditError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw AuditError(.io, "cannot truncate \(path): \(Self.errorText())") }
    }

    /// `strerror(errno)`.
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Makes a directory entry change in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Creates `directory` and missing parents with mode 0700, and refuses one another user could
    /// change (``PrivateDirectory``).
    static func makeDirectory(_ directory: String) throws(AuditError) {
        do {
            try PrivateDirectory.prepare(directory)
        } catch {
            throw AuditError(.io, error.message)
        }
    }

    /// The directory part of `path`.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
