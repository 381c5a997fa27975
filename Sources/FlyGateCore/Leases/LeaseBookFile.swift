import FlyGateWire
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The lease book on disk: `leases.json` in the state directory (0700, the daemon's own), mode
/// 0600, replaced atomically (a fresh temporary file, fsync, rename, fsync of the directory) on
/// every change.
package final class LeaseBookFile: Sendable {
    /// The file's contents.
    struct Contents: Codable {
        var version = 1
        var leases: [LeaseRecord]
    }

    /// The file's name in the state directory.
    package static let fileName = "leases.json"

    /// The state directory.
    package let directory: String
    /// The lease file's full path.
    package var path: String { directory + "/" + Self.fileName }
    // The generation last written: writes are serialized and a stale snapshot is skipped.
    private let written = Mutex<UInt64>(0)

    /// The file in `directory` (created 0700 when missing on the first write).
    package init(directory: String) {
        self.directory = directory
    }

    /// The leases written last, or none when there is no file.
    package func read() throws -> [LeaseRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(Contents.self, from: data).leases
    }

    /// Replaces the file with `leases`, unless a newer `generation` was written already.
    package func save(_ leases: [LeaseRecord], generation: UInt64) throws {
        try written.withLock { last in
            guard generation > last else { return }
            try writeAtomically(try JSONEncoder().encode(Contents(leases: leases)))
            last = generation
        }
    }

    private func writeAtomically(_ data: Data) throws {
        try makeDirectory()
        let temporary = path + ".tmp"
        // A fresh file, never one that was there (a crash's leftover, or a link planted to
        // send the nonces elsewhere): remove whatever the name is, then create exclusively.
        guard unlink(temporary) == 0 || errno == ENOENT else { throw Self.error("cannot remove \(temporary)") }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.error("cannot create \(temporary)") }
        do {
            defer { close(descriptor) }
            // The umask may have taken bits away; 0600 exactly.
            guard fchmod(descriptor, 0o600) == 0 else { throw Self.error("cannot chmod \(temporary)") }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw Self.error("cannot write \(temporary)")
                    }
                    offset += count
                }
            }
            guard fsync(descriptor) == 0 else { throw Self.error("cannot fsync \(temporary)") }
        }
        guard rename(temporary, path) == 0 else { throw Self.error("cannot rename \(temporary)") }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw Self.error("cannot open \(directory)") }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw Self.error("cannot fsync \(directory)") }
    }

    /// Makes the directory (0700, and missing ancestors 0700) and refuses one another user
    /// could change (``PrivateDirectory``), before every write.
    private func makeDirectory() throws {
        do {
            try PrivateDirectory.prepare(directory)
        } catch {
            throw LeaseBookFileError(message: error.message)
        }
    }

    private static func error(_ message: String) -> LeaseBookFileError {
        LeaseBookFileError(message: message + ": " + String(cString: strerror(errno)))
    }
}

/// A lease file could not be read or written.
package struct LeaseBookFileError: Error, CustomStringConvertible {
    /// What failed, with the system's reason.
    package var message: String
    /// The message.
    package var description: String { message }
}
