import FlyGateCore
import Foundation
import Testing

/// Tampering with a real log (written by ``AuditLog``) is caught at the right line and sequence.
@Suite(.timeLimit(.minutes(1)))
struct AuditVerifierTests {
    /// A log of 12 records (start, 10 completed, stop) and its lines.
    private func makeLog(_ directory: TestDirectory) async throws -> (path: String, lines: [String]) {
        let path = directory.path + "/audit.log"
        _ = try await writeAuditLog(path, count: 10)
        return (path, try fileLines(path))
    }

    private func verify(_ path: String, lines: [String], tail: String = "\n") throws -> AuditVerification {
        try (lines.joined(separator: "\n") + tail).write(toFile: path, atomically: false, encoding: .utf8)
        return AuditVerifier.verify(files: [path])
    }

    @Test func anEditedByteIsCaughtAtItsLine() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var (path, lines) = try await makeLog(directory)
        lines[4] = lines[4].replacingOccurrences(of: #""n":3"#, with: #""n":4"#)
        let result = try verify(path, lines: lines)
        #expect(result.exitStatus == 1)
        #expect(result.failure?.line == 5 && result.failure?.seq == 5 && result.failure?.reason.contains("changed") == true)
        #expect(result.head?.seq == 4)
    }

    @Test func aDeletedLineIsCaught() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var (path, lines) = try await makeLog(directory)
        lines.remove(at: 4)
        let result = try verify(path, lines: lines)
        #expect(result.exitStatus == 1 && result.failure?.line == 5 && result.failure?.seq == 6)
        #expect(result.failure?.reason.contains("removed") == true, "\(result.report)")
    }

    @Test func swappedLinesAreCaught() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var (path, lines) = try await makeLog(directory)
        lines.swapAt(4, 5)
        let result = try verify(path, lines: lines)
        #expect(result.exitStatus == 1 && result.failure?.line == 5 && result.failure?.seq == 6)
        #expect(result.failure?.reason.contains("reordered") == true, "\(result.report)")
    }

    @Test func anInsertedCopyIsCaught() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var (path, lines) = try await makeLog(directory)
        lines.insert(lines[4], at: 5)
        let result = try verify(path, lines: lines)
        #expect(result.exitStatus == 1 && result.failure?.line == 6 && result.failure?.seq == 5)
    }

    @Test func aCutTailIsATornWrite() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var (path, lines) = try await makeLog(directory)
        let last = lines.removeLast()
        let result = try verify(path, lines: lines + [String(last.prefix(40))], tail: "")
        #expect(result.exitStatus == 2 && result.torn?.line == 12 && result.torn?.bytes == 40 && result.head?.seq == 11)
    }

    @Test func wholeLinesRemovedFromTheEndAreCaughtByTheAnchoredHead() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let (path, lines) = try await makeLog(directory)
        let anchored = try #require(AuditHead.read(from: directory.path + "/audit.head"))
        #expect(AuditVerifier.verify(files: [path], anchor: (anchored.seq, anchored.hash)).exitStatus == 0)
        let cut = try verify(path, lines: Array(lines.dropLast(2)))
        #expect(cut.exitStatus == 0)  // without the anchor a clean cut at a line end looks intact
        let anchoredResult = AuditVerifier.verify(files: [path], anchor: (anchored.seq, anchored.hash))
        #expect(anchoredResult.exitStatus == 1 && anchoredResult.failure?.reason.contains("removed") == true)
    }
}
