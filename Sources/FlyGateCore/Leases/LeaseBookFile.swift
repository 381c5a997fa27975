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
        do {
            try PrivateFile.replace(path, with: Array(data))
        } catch {
            throw LeaseBookFileError(message: error.message)
        }
    }

    private func makeDirectory() throws {
        do {
            try PrivateDirectory.prepare(directory)
        } catch {
            throw LeaseBookFileError(message: error.message)
        }
    }
}

/// A lease file could not be read or written.
package struct LeaseBookFileError: Error, CustomStringConvertible {
    /// What failed, with the system's reason.
    package var message: String
    /// The message.
    package var description: String { message }
}
