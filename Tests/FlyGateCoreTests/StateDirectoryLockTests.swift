import FlyGateCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One daemon per state directory: the lock, what it holds, and what a refused second taker does.
@Suite(.timeLimit(.minutes(1))) struct StateDirectoryLockTests {
    @Test("the lock is 0600, holds the pid, refuses a second taker naming it, and is free again once released")
    func exclusive() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let state = root.path + "/state"
        var first: StateDirectoryLock? = try StateDirectoryLock.acquire(directory: state)
        let path = try #require(first?.path)
        #expect(path == state + "/flygate.lock")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(getpid())\n")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)

        // flock conflicts between open file descriptions, so a second taker in this process is refused too.
        let error = #expect(throws: StateDirectoryLockError.self) { try StateDirectoryLock.acquire(directory: state) }
        #expect(error?.code == .held && error?.holderPID == getpid())
        #expect(error?.message.contains("pid \(getpid())") == true, "\(error?.message ?? "")")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(getpid())\n", "the refused taker changed the lock file")

        withExtendedLifetime(first) {}
        first = nil
        _ = try StateDirectoryLock.acquire(directory: state)
    }

    @Test("a group-writable state directory is refused before the lock file is made")
    func unsafeDirectory() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        #expect(chmod(root.path, 0o770) == 0)
        let error = #expect(throws: StateDirectoryLockError.self) { try StateDirectoryLock.acquire(directory: root.path) }
        #expect(error?.code == .unsafe && error?.message.contains(root.path) == true)
        #expect(access(root.path + "/flygate.lock", F_OK) != 0)
    }

    @Test("a lock file that is a symbolic link is not followed")
    func symlinkedLockFile() throws {
        let root = try TestDirectory()
        defer { root.remove() }
        let elsewhere = root.path + "/elsewhere"
        #expect(FileManager.default.createFile(atPath: elsewhere, contents: Data("keep".utf8)))
        let state = root.path + "/state"
        #expect(mkdir(state, 0o700) == 0 && symlink(elsewhere, state + "/flygate.lock") == 0)
        #expect(throws: StateDirectoryLockError.self) { try StateDirectoryLock.acquire(directory: state) }
        #expect(FileManager.default.contents(atPath: elsewhere) == Data("keep".utf8))
    }
}
