import FlyGateCore
import FlyGateServer
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The lease file: atomic, private, read back after a restart; the book persists every change.
@Suite(.timeLimit(.minutes(1))) struct LeaseBookFileTests {
    func record(_ machine: String, nonce: String) -> LeaseRecord {
        LeaseRecord(
            app: "demo", machine: machine, nonce: nonce, ttlSeconds: 30, expiresAt: LeaseBook.unixNow() + 30,
            description: "", holder: LeaseHolder(connectionID: 7, uid: 1000, pid: 99), renew: true)
    }

    func mode(_ path: String) throws -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXError(.ENOENT) }
        return info.st_mode & 0o777
    }

    @Test("writes a 0600 file in a 0700 directory it creates, and reads it back")
    func roundTrip() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let file = LeaseBookFile(directory: root.path + "/state/flygate")
        #expect(try file.read().isEmpty)
        let leases = [record("m1", nonce: "secret-1"), record("m2", nonce: "secret-2")]
        try file.save(leases, generation: 1)
        #expect(try file.read() == leases)
        #expect(try mode(file.path) == 0o600)
        #expect(try mode(file.directory) == 0o700)
        #expect(!FileManager.default.fileExists(atPath: file.path + ".tmp"))
    }

    @Test("a temporary file planted as a symbolic link (or left over) is replaced, never written through")
    func plantedTemporaryFile() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let file = LeaseBookFile(directory: root.path)
        let elsewhere = root.path + "/elsewhere"
        #expect(FileManager.default.createFile(atPath: elsewhere, contents: Data("keep".utf8)))
        #expect(symlink(elsewhere, file.path + ".tmp") == 0)
        try file.save([record("m1", nonce: "secret-1")], generation: 1)
        #expect(FileManager.default.contents(atPath: elsewhere) == Data("keep".utf8), "the nonce went through the link")
        #expect(try file.read().map(\.nonce) == ["secret-1"])
        #expect(try mode(file.path) == 0o600)
    }

    @Test("a state directory another user could change is refused, and nothing is written in it")
    func unsafeDirectory() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        #expect(chmod(root.path, 0o777) == 0)
        let file = LeaseBookFile(directory: root.path)
        let error = #expect(throws: LeaseBookFileError.self) { try file.save([record("m1", nonce: "secret-1")], generation: 1) }
        #expect(error?.message.contains("\(root.path) is writable by group or others") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: file.path + ".tmp") && !FileManager.default.fileExists(atPath: file.path))
    }

    @Test("a stale snapshot never overwrites a newer one")
    func staleSnapshot() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let file = LeaseBookFile(directory: root.path)
        try file.save([record("m1", nonce: "new")], generation: 2)
        try file.save([record("m1", nonce: "old")], generation: 1)
        #expect(try file.read().map(\.nonce) == ["new"])
    }

    @Test("the book persists a lease when taken and forgets it when released; a new book restores it for release")
    func bookPersists() async throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let file = LeaseBookFile(directory: root.path)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let book = LeaseBook(file: file, logger: logger)
        book.connectionOpened(id: 7, peer: PeerCredentials(uid: 1000, gid: 1000, pid: 99))
        book.take(record("m1", nonce: "secret-1"))
        #expect(try file.read().map(\.nonce) == ["secret-1"])

        let restarted = LeaseBook(file: file, logger: logger)
        restarted.restore()
        restarted.shutDown()
        var work: [LeaseWork] = []
        for await item in restarted.work { work.append(item) }
        #expect(work.count == 1)
        guard case .release(let records) = work.first else {
            Issue.record("the restored lease was not queued for release")
            return
        }
        #expect(records.map(\.nonce) == ["secret-1"] && records.first?.holder.connectionID == nil)

        book.released(LeaseKey(app: "demo", machine: "m1"), nonce: "secret-1")
        #expect(try file.read().isEmpty)
    }

    @Test("reading the book (what ListLeases does on the read loop) writes nothing, even when a lease has lapsed")
    func readingWritesNothing() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let file = LeaseBookFile(directory: root.path)
        let clock = LeaseTestClock()
        let book = clock.book(file: file)
        book.connectionOpened(id: 7, peer: PeerCredentials(uid: 1000, gid: 1000, pid: 99))
        book.take(record("m1", nonce: "secret-1"))
        let path = file.path
        let written = try String(contentsOfFile: path, encoding: .utf8)
        // Remove the file: a read that wrote would make it again.
        try FileManager.default.removeItem(atPath: path)
        #expect(book.leases.map(\.nonce) == ["secret-1"])
        clock.advance(by: 60)
        #expect(book.leases.isEmpty, "a lapsed lease is not listed")
        #expect(!FileManager.default.fileExists(atPath: path), "listing the book wrote its file")
        // The next change sweeps the lapsed lease out of the file too.
        var later = record("m2", nonce: "secret-2")
        later.expiresAt = clock.wall + 30
        book.take(later)
        #expect(try file.read().map(\.nonce) == ["secret-2"])
        #expect(written.contains("secret-1"))
    }
}
