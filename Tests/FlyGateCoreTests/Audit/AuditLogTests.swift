import FlyGateCore
import FlyGateJSON
import FlyGateServer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(1)))
struct AuditLogTests {
    @Test func recordsChainFromGenesisAndTheHeadIsAnchored() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/state/audit.log"
        let log = try await writeAuditLog(path, count: 10)

        let records = try fileRecords(path)
        #expect(records.map { $0["stage"]?.stringValue } == ["start"] + Array(repeating: "completed", count: 10) + ["stop"])
        #expect(records.map { $0["seq"]?.int64Value } == (1...12).map { Int64($0) })
        #expect(records[0]["prev"]?.stringValue == AuditChain.genesis)
        #expect(records[1]["prev"] == records[0]["hash"])
        let time = try #require(records[0]["time"]?.stringValue)
        #expect(time.count == 27 && time.hasSuffix("Z") && time.split(separator: ".").last?.count == 7)

        let result = AuditVerifier.verify(files: [path])
        #expect(result.exitStatus == 0 && result.records == 12, "\(result.report)")
        #expect(AuditHead.read(from: directory.path + "/state/audit.head") == log.head)
        #expect(log.head.seq == 12)

        var info = stat()
        stat(directory.path + "/state", &info)
        #expect(info.st_mode & 0o777 == 0o700)
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func aRestartAfterATornLineCutsItRecordsItAndContinuesTheChain() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        _ = try await writeAuditLog(path, count: 3)  // start, 3, stop: 5 lines
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"v":1,"seq":6,"time":"20"#.utf8))
        try handle.close()

        let torn = AuditVerifier.verify(files: [path])
        #expect(torn.exitStatus == 2 && torn.torn?.line == 6 && torn.head?.seq == 5, "\(torn.report)")

        let reopened = try await writeAuditLog(path, count: 1)
        let records = try fileRecords(path)
        #expect(records.count == 9)
        #expect(records[5]["stage"]?.stringValue == "recovered" && records[5]["torn_bytes"]?.int64Value == 25)
        #expect(records[5]["prev"] == records[4]["hash"])
        #expect(records[6]["stage"]?.stringValue == "start")
        #expect(AuditVerifier.verify(files: [path]).exitStatus == 0)
        #expect(reopened.head.seq == 9)
    }

    @Test func rotationKeepsTheChainAcrossFiles() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        _ = try await writeAuditLog(path, count: 60, maxBytes: 4096, padding: 200)
        let files = AuditFileSet.allFiles(of: path)
        #expect(files.count >= 3 && files.last == path)
        #expect(AuditVerifier.verify(files: files).exitStatus == 0, "\(AuditVerifier.verify(files: files).report)")
        // Shell-glob order (active file first) is put right.
        #expect(AuditFileSet.ordered([path] + files.dropLast()) == files)

        let second = try fileRecords(files[1])
        #expect(second[0]["stage"]?.stringValue == "rotated")
        #expect(second[0]["prev"] == (try fileRecords(files[0])).last?["hash"])
        #expect(second[0]["previous_file"]?.stringValue == files[0].split(separator: "/").last.map(String.init))

        let tailOnly = AuditVerifier.verify(files: Array(files.dropFirst()))
        #expect(tailOnly.exitStatus == 0 && tailOnly.notes.count == 1)
        let missingMiddle = AuditVerifier.verify(files: [files[0]] + files.dropFirst(2))
        #expect(missingMiddle.exitStatus == 1 && missingMiddle.failure?.line == 1)
        #expect(missingMiddle.failure?.reason.contains("removed") == true)

        _ = try await writeAuditLog(path, count: 2, maxBytes: 4096)
        #expect(AuditVerifier.verify(files: AuditFileSet.allFiles(of: path)).exitStatus == 0)
    }

    @Test("rotated files beyond the configured count are removed, oldest first, and the chain still verifies")
    func rotatedFilesAreKeptWithinTheCount() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        _ = try await writeAuditLog(path, count: 120, maxBytes: 4096, maxRotatedFiles: 2, padding: 200)
        let rotated = AuditFileSet.rotatedFiles(of: path)
        #expect(rotated.count == 2)
        // The files kept are the newest: the first record of the oldest kept is a `rotated` one.
        #expect(try fileRecords(rotated[0]).first?["stage"]?.stringValue == "rotated")
        #expect(try fileRecords(rotated[0]).first?["seq"]?.int64Value ?? 0 > 20)
        let verified = AuditVerifier.verify(files: AuditFileSet.allFiles(of: path))
        #expect(verified.exitStatus == 0, "\(verified.report)")
    }

    @Test("refusals are summarized: one denied record per uid per interval, with the count and methods, never synced")
    func denialsAreSummarized() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        let log = try await AuditLog.open(
            configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        let syncsBefore = log.syncs
        let recorder = DenialRecorder(log: log, interval: .seconds(3600))
        let nobody = PeerCredentials(uid: 65534, gid: 65534, pid: 4242)
        for index in 0..<1000 {
            recorder.note(peer: nobody, method: index % 2 == 0 ? "Stop" : "List", reason: "uid 65534 may not call it")
        }
        recorder.note(peer: PeerCredentials(uid: 1001, gid: 1001, pid: 7), method: "Exec", reason: "no rule")
        #expect(try fileRecords(path).filter { $0["stage"]?.stringValue == "denied" }.isEmpty, "nothing written at refusal time")
        await recorder.flush()
        let denied = try fileRecords(path).filter { $0["stage"]?.stringValue == "denied" }
        #expect(denied.count == 2)
        #expect(denied.first?["peer"]?["uid"]?.int64Value == 1001 && denied.first?["count"]?.int64Value == 1)
        #expect(denied.last?["count"]?.int64Value == 1000)
        #expect(denied.last?["methods"] == ["List", "Stop"])
        #expect(log.syncs == syncsBefore, "denials are never synced")
        await recorder.flush()
        #expect(try fileRecords(path).filter { $0["stage"]?.stringValue == "denied" }.count == 2, "nothing pending, nothing written")
        await log.close()
        #expect(AuditVerifier.verify(files: [path]).exitStatus == 0)
    }

    @Test func aLogReplacedByADirectoryRefusesFurtherRecords() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        let log = try await AuditLog.open(
            configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        try await log.append(.received, auditFields(1), durable: true)
        #expect(unlink(path) == 0 && mkdir(path, 0o700) == 0)
        let error = await #expect(throws: AuditError.self) { try await log.append(.received, auditFields(2), durable: true) }
        #expect(error?.code == .unavailable && error?.message.contains("replaced") == true)
        // It stays refused: the chain must not continue in a file nobody can see.
        await #expect(throws: AuditError.self) { try await log.append(.completed, auditFields(3), durable: false) }
        #expect(log.head.seq == 2)
    }

    @Test func aLogThatIsASymbolicLinkIsNotOpenedAndAPlantedHeadTemporaryIsNotFollowed() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let elsewhere = directory.path + "/elsewhere"
        #expect(FileManager.default.createFile(atPath: elsewhere, contents: Data("keep".utf8)))
        let linked = directory.path + "/linked.log"
        #expect(symlink(elsewhere, linked) == 0)
        await #expect(throws: AuditError.self) {
            _ = try await AuditLog.open(
                configuration: AuditLog.Configuration(path: linked, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        }

        let path = directory.path + "/audit.log"
        #expect(symlink(elsewhere, AuditHead.path(forLog: path) + ".tmp") == 0)
        _ = try await writeAuditLog(path, count: 1)
        #expect(FileManager.default.contents(atPath: elsewhere) == Data("keep".utf8), "a record went through a link")
        #expect(AuditHead.read(from: AuditHead.path(forLog: path))?.seq == 3)
    }

    @Test func aDirectoryOthersCanWriteInIsRefused() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        #expect(chmod(directory.path, 0o775) == 0)
        let path = directory.path + "/audit.log"
        let error = await #expect(throws: AuditError.self) {
            _ = try await AuditLog.open(
                configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        }
        #expect(error?.message.contains("\(directory.path) is writable by group or others") == true)
        #expect(access(path, F_OK) != 0)
    }

    @Test func aRemovedLogRefusesFurtherRecords() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        let log = try await AuditLog.open(
            configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        #expect(unlink(path) == 0)
        let error = await #expect(throws: AuditError.self) { try await log.append(.received, auditFields(1), durable: true) }
        #expect(error?.code == .unavailable && error?.message.contains("removed") == true)
        #expect(access(path, F_OK) != 0)  // not silently recreated
    }

    @Test func concurrentDurableAppendsShareSyncs() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        let log = try await AuditLog.open(
            configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 30), daemonVersion: "test", logger: quietLogger)
        let before = log.syncs
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<200 {
                group.addTask { try await log.append(.received, auditFields(number), durable: true) }
            }
            try await group.waitForAll()
        }
        await log.close()
        #expect(log.syncs - before < 200)
        #expect(AuditVerifier.verify(files: [path]).records == 202)
    }

    @Test func aLogWhoseLastRecordWasChangedIsNotContinued() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        _ = try await writeAuditLog(path, count: 2)
        var lines = try fileLines(path)
        lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: "stop", with: "stoP")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let error = await #expect(throws: AuditError.self) {
            _ = try await AuditLog.open(
                configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        }
        #expect(error?.code == .invalidLog)
    }
}
