#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file only the daemon may read, replaced whole: the one way the lease book and the audit
/// head write their files.
package enum PrivateFile {
    /// Replaces `path` with `bytes` atomically: a fresh `<path>.tmp` (whatever had that name —
    /// a crash's leftover, or a link planted to send the contents elsewhere — is removed first,
    /// then the file is created exclusively, never following a link), mode exactly 0600, every
    /// byte written, synced, then renamed over `path`. The directory is the caller's to sync.
    ///
    /// Throws `internalError` naming the step and the system's reason; the temporary file is
    /// removed on failure.
    package static func replace(_ path: String, with bytes: [UInt8]) throws(RPCError) {
        let temporary = path + ".tmp"
        guard unlink(temporary) == 0 || errno == ENOENT else { throw Self.failure("cannot remove \(temporary)") }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("cannot create \(temporary)") }
        do throws(RPCError) {
            defer { close(descriptor) }
            // The umask may have taken bits away; 0600 exactly.
            guard fchmod(descriptor, 0o600) == 0 else { throw Self.failure("cannot chmod \(temporary)") }
            try Self.writeAll(bytes, to: descriptor, naming: temporary)
            guard fsync(descriptor) == 0 else { throw Self.failure("cannot fsync \(temporary)") }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let failure = Self.failure("cannot rename \(temporary)")
            unlink(temporary)
            throw failure
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, naming path: String) throws(RPCError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure("cannot write \(path)")
            }
            offset += count
        }
    }

    private static func failure(_ what: String) -> RPCError {
        RPCError(code: .internalError, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
