import FlyGateWire
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The one check every directory the daemon writes in passes: its own, and nobody else's to change.
@Suite("private directory", .timeLimit(.minutes(1)))
struct PrivateDirectoryTests {
    /// Another uid exists only for root (chown); the tests run as root.
    static var isRoot: Bool { geteuid() == 0 }

    /// A fresh directory under /tmp (0700), removed by `body`'s end.
    func withScratch(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/fgw-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        let path = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test("a missing directory is made with exactly its mode, ancestors too, and then passes")
    func makesMissing() throws {
        try withScratch { root in
            let previous = umask(0o022)
            defer { umask(previous) }
            try PrivateDirectory.prepare(root + "/a/b/state", ancestorMode: 0o755)
            #expect(mode(root + "/a") == 0o755 && mode(root + "/a/b") == 0o755)
            #expect(mode(root + "/a/b/state") == 0o700)
            try PrivateDirectory.prepare(root + "/run", mode: 0o750, groupID: getgid())
            #expect(mode(root + "/run") == 0o750)
            try PrivateDirectory.check(root + "/run")
        }
    }

    @Test("a group- or world-writable directory is refused, naming it", arguments: [mode_t(0o770), 0o702, 0o1777])
    func writableRefused(mode: mode_t) throws {
        try withScratch { root in
            let state = root + "/state"
            #expect(mkdir(state, 0o700) == 0 && chmod(state, mode) == 0)
            let error = #expect(throws: RPCError.self) { try PrivateDirectory.prepare(state) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("\(state) is writable by group or others") == true, "\(error?.message ?? "")")
            #expect(self.mode(state) == mode, "the check changed the mode")
        }
    }

    @Test("group read and search are allowed (a socket group's 0750 directory)")
    func groupReadable() throws {
        try withScratch { root in
            #expect(chmod(root, 0o750) == 0)
            try PrivateDirectory.check(root)
        }
    }

    @Test("a directory owned by another uid is refused, naming it", .enabled(if: isRoot, "needs root to chown"))
    func otherOwnerRefused() throws {
        try withScratch { root in
            let state = root + "/state"
            #expect(mkdir(state, 0o700) == 0 && chown(state, 65534, 65534) == 0)
            let error = #expect(throws: RPCError.self) { try PrivateDirectory.prepare(state) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("\(state) is owned by uid 65534") == true, "\(error?.message ?? "")")
        }
    }

    @Test(
        "the /tmp/flygate-$UID case: a parent another uid made first is refused, a sticky /tmp is not",
        .enabled(if: isRoot, "needs root to chown"))
    func foreignParentRefused() throws {
        try withScratch { root in
            // Another user's directory, and our state directory inside it (as if made before they swapped it).
            let theirs = root + "/flygate-1000"
            #expect(mkdir(theirs, 0o755) == 0 && chown(theirs, 65534, 65534) == 0)
            let error = #expect(throws: RPCError.self) { try PrivateDirectory.prepare(theirs + "/state") }
            #expect(error?.message.contains("\(theirs) is owned by uid 65534") == true, "\(error?.message ?? "")")
            #expect(access(theirs + "/state", F_OK) != 0, "made a directory inside another user's")

            // A world-writable sticky parent (like /tmp) owned by root is fine.
            let shared = root + "/tmp"
            #expect(mkdir(shared, 0o700) == 0 && chmod(shared, 0o1777) == 0)
            try PrivateDirectory.prepare(shared + "/flygate-0")
            // Without the sticky bit anyone could rename our directory away: refused.
            #expect(chmod(shared, 0o777) == 0)
            #expect(throws: RPCError.self) { try PrivateDirectory.check(shared + "/flygate-0") }
        }
    }

    @Test("a symbolic link is followed only when it is ours or root's", .enabled(if: isRoot, "needs root to lchown"))
    func symlinks() throws {
        try withScratch { root in
            let target = root + "/real"
            #expect(mkdir(target, 0o700) == 0)
            let ours = root + "/ours"
            #expect(symlink(target, ours) == 0)
            try PrivateDirectory.prepare(ours)

            let planted = root + "/planted"
            #expect(symlink(target, planted) == 0 && lchown(planted, 65534, 65534) == 0)
            let error = #expect(throws: RPCError.self) { try PrivateDirectory.prepare(planted) }
            #expect(error?.message.contains("\(planted) is a symbolic link owned by uid 65534") == true, "\(error?.message ?? "")")
        }
    }

    @Test("a path that names a file is refused")
    func notADirectory() throws {
        try withScratch { root in
            let file = root + "/file"
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
            let error = #expect(throws: RPCError.self) { try PrivateDirectory.prepare(file) }
            #expect(error?.message == "\(file) is not a directory")
        }
    }

    @Test("a path's parent", arguments: [("/a/b/s.sock", "/a/b"), ("/s.sock", "/"), ("s.sock", "."), ("run/s.sock", "run")])
    func parent(path: String, parent: String) {
        #expect(PrivateDirectory.parent(of: path) == parent)
    }
}
