import FlyGateJSON
import FlyGateServer
import Logging
import Metrics
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The audit log: one writer appending hash-chained JSON Lines records to a file, rotating it
/// by size, recovering after a crash, and anchoring the chain head at start, stop and rotation.
///
/// Appends take a short lock (sequence number, previous hash, file); a caller that needs its
/// record durable then waits for a group commit (``AuditSync``) outside the lock. A call's
/// `completed` record may instead be sealed and left to be written with the others sealed in
/// the same turn of the event loop, in one write: the server runs ``writePending()`` before any
/// answer leaves (its ``AnswerBarrier``), so a caller never holds an answer whose record is not
/// in the file.
package final class AuditLog: Sendable {
    /// Where the log lives and when it rotates.
    package struct Configuration: Sendable, Equatable {
        /// The active file; rotated files are `<path>.<last seq, 12 digits>`.
        package var path: String
        /// Rotate once the active file reaches this size.
        package var maxBytes: Int
        /// Rotated files kept; the oldest beyond this many are removed after a rotation, so the
        /// log holds at most `(maxRotatedFiles + 1) * maxBytes` bytes.
        package var maxRotatedFiles: Int

        package init(path: String, maxBytes: Int, maxRotatedFiles: Int = Configuration.defaultMaxRotatedFiles) {
            self.path = path
            self.maxBytes = maxBytes
            self.maxRotatedFiles = maxRotatedFiles
        }

        /// The default rotation size, 64 MiB.
        package static let defaultMaxBytes = 64 * 1024 * 1024
        /// The default number of rotated files kept, 10.
        package static let defaultMaxRotatedFiles = 10
    }

    struct State {
        var file: AuditFile?
        /// The chain's head, pending records included.
        var seq: UInt64
        var prev: String
        /// Bytes in the file, pending records not included.
        var size: Int
        var broken: String?
        /// Records sealed but not yet written, their lines one after the other.
        var pending: [UInt8] = []
        var pendingRecords = 0
        /// The methods of the pending `completed` records, to log and count if they are lost.
        var pendingMethods: [String] = []
        /// The hash of the last record written: the head again if the pending ones cannot be written.
        var writtenPrev: String
    }

    /// Pending `completed` records a failed write dropped: logged and counted once the lock is released.
    private struct LostRecords {
        var error: AuditError
        var methods: [String]
    }

    package let configuration: Configuration
    private let state: Mutex<State>
    private let sync: AuditSync
    private let failures = Atomic<Int>(0)
    /// Whether records are pending: the barrier's check, without the lock.
    private let hasPending = Atomic<Bool>(false)
    private let logger: Logger

    private init(configuration: Configuration, file: AuditFile, seq: UInt64, prev: String, size: Int, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State(file: file, seq: seq, prev: prev, size: size, writtenPrev: prev))
        self.sync = AuditSync()
    }

    /// Opens the log, continuing the chain after its last complete record (cutting off and
    /// recording a torn line), writes a `start` record and anchors the head.
    package static func open(configuration: Configuration, daemonVersion: String, logger: Logger) async throws -> AuditLog {
        let path = configuration.path
        try AuditFile.makeDirectory(AuditFile.directory(of: path))
        let tail = try AuditTail.read(path: path)
        var head = AuditHead(seq: 0, hash: AuditChain.genesis)
        if let line = tail?.lastLine {
            head = try lastHead(of: line, in: path)
        } else if let rotated = AuditFileSet.rotatedFiles(of: path).last, let line = try AuditTail.read(path: rotated)?.lastLine {
            head = try lastHead(of: line, in: rotated)
        }
        let file = try AuditFile(path: path)
        AuditFile.syncDirectory(AuditFile.directory(of: path))
        var size = try file.size()
        if let tail, tail.tornBytes > 0 {
            try file.truncate(to: tail.completeEnd)
            size = tail.completeEnd
        }
        let log = AuditLog(configuration: configuration, file: file, seq: head.seq, prev: head.hash, size: size, logger: logger)
        if let tail, tail.tornBytes > 0 {
            var fields = JSONObject()
            fields.append("torn_bytes", .int(tail.tornBytes))
            fields.append("torn_sha256", .string(tail.tornSHA256))
            fields.append("after_seq", .int(head.seq))
            try await log.append(.recovered, fields, durable: false)
            logger.warning("audit log ended in a torn record; cut it off and recorded it", metadata: ["flygate.audit.torn_bytes": "\(tail.tornBytes)"])
        }
        var fields = JSONObject()
        fields.append("daemon_pid", .int(getpid()))
        fields.append("version", .string(daemonVersion))
        try await log.append(.start, fields, durable: true)
        log.anchor(event: "start")
        return log
    }

    private static func lastHead(of line: [UInt8], in path: String) throws(AuditError) -> AuditHead {
        guard let checked = AuditChain.check(line[...]), checked.hashMatches, let seq = checked.seq else {
            throw AuditError(.invalidLog, "the last record of \(path) does not check; run `flygate audit verify` and move the file aside")
        }
        return AuditHead(seq: seq, hash: checked.claimedHash)
    }

    /// Appends a record; with `durable`, returns only once it is on disk. Returns its sequence number.
    @discardableResult
    package func append(_ stage: AuditRecordStage, _ fields: JSONObject, durable: Bool) async throws -> UInt64 {
        try await append(stage, JSONMembersWriter(fields, terminalSafe: true), durable: durable)
    }

    /// Appends a record whose members after the log's own are `fields` (written terminal-safe);
    /// with `durable`, returns only once it is on disk. Returns its sequence number.
    @discardableResult
    package func append(_ stage: AuditRecordStage, _ fields: JSONMembersWriter, durable: Bool) async throws -> UInt64 {
        let seq = try appendNow(stage, fields)
        // The sync covers the records written (a pending one may yet be dropped, its seq reused).
        if durable { try await sync.waitDurable(seq: seq) { self.state.withLock { ($0.file, $0.seq - UInt64($0.pendingRecords)) } } }
        return seq
    }

    /// Seals a call's `completed` record (for a call to `method`) and leaves it to be written
    /// with the others sealed in this turn of the event loop, before any answer leaves: the
    /// server calls ``writePending()`` before each flush, and the turn's end writes what no flush
    /// did. Off an event loop it is written at once. Throws what an append would, except that
    /// a record lost in a later write is logged and counted (``writeFailures``) then.
    package func appendCompleted(_ fields: JSONMembersWriter, method: String) throws(AuditError) {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            _ = try appendNow(.completed, fields)
            return
        }
        let first = try state.withLock { state throws(AuditError) -> Bool in
            try seal(.completed, fields, &state)
            state.pendingMethods.append(method)
            hasPending.store(true, ordering: .releasing)
            return state.pendingRecords == 1
        }
        if first { loop.execute { self.writePending() } }
    }

    /// Writes the records sealed and not yet written, if any, in one write. Records it cannot
    /// write are logged and counted; a lost or replaced file stops the log, as in an append.
    package func writePending() {
        guard hasPending.load(ordering: .acquiring) else { return }
        var lost: LostRecords?
        state.withLock { state in
            do throws(AuditError) { try commit(&state, mayRotate: true, lost: &lost) } catch {}
        }
        noteLost(lost)
    }

    /// Seals a record and writes it with those pending before it.
    private func appendNow(_ stage: AuditRecordStage, _ fields: JSONMembersWriter) throws(AuditError) -> UInt64 {
        var lost: LostRecords?
        let result = state.withLock { state in
            Result { () throws(AuditError) -> UInt64 in try write(stage, fields, &state, lost: &lost) }
        }
        noteLost(lost)
        return try result.get()
    }

    /// Writes a `stop` record, makes it durable and anchors the head; later appends fail.
    package func close() async {
        do {
            try await append(.stop, JSONObject(), durable: true)
        } catch {
            logger.error("audit log: cannot write the stop record", metadata: ["error": "\(error)"])
        }
        anchor(event: "stop")
        state.withLock { $0.broken = "the audit log is closed" }
    }

    /// The newest record's sequence number and hash.
    package var head: AuditHead {
        writePending()
        return state.withLock { AuditHead(seq: $0.seq, hash: $0.prev) }
    }

    /// Records that could not be written (each also logged and counted in metrics).
    package var writeFailures: Int { failures.load(ordering: .relaxed) }

    /// Group commits done so far.
    package var syncs: Int { sync.syncs }

    private func noteLost(_ lost: LostRecords?) {
        guard let lost else { return }
        for method in lost.methods { noteFailure(lost.error, stage: .completed, method: method) }
    }

    /// Counts and logs a record that could not be written.
    func noteFailure(_ error: any Error, stage: AuditRecordStage, method: String) {
        failures.add(1, ordering: .relaxed)
        Counter(label: "flygate_audit_write_failures_total", dimensions: [("stage", stage.rawValue)]).increment()
        logger.error(
            "audit record not written",
            metadata: ["flygate.audit.stage": "\(stage.rawValue)", "flygate.rpc.method": "\(method)", "error": "\(error)"]
        )
    }

    /// Seals a record and writes it with those pending before it; on failure none of them is
    /// in the file, and `lost` names the error and the methods of the pending `completed` ones.
    private func write(
        _ stage: AuditRecordStage, _ fields: JSONMembersWriter, _ state: inout State, lost: inout LostRecords?
    ) throws(AuditError) -> UInt64 {
        let seq = try seal(stage, fields, &state)
        try commit(&state, mayRotate: stage != .rotated, lost: &lost)
        return seq
    }

    /// Chains a record after the head and adds its line to the pending ones; returns its sequence number.
    @discardableResult
    private func seal(_ stage: AuditRecordStage, _ fields: JSONMembersWriter, _ state: inout State) throws(AuditError) -> UInt64 {
        if let broken = state.broken { throw AuditError(.unavailable, broken) }
        guard state.file != nil else { throw AuditError(.unavailable, "the audit log is closed") }
        var record = JSONMembersWriter(terminalSafe: true)
        record.append("v", int: 1)
        record.append("seq", int: state.seq + 1)
        record.append("time", string: AuditTime.now())
        record.append("stage", string: stage.rawValue)
        record.append(contentsOf: fields)
        let (line, hash) = AuditChain.seal(record, prev: state.prev)
        state.pending.append(contentsOf: line)
        state.pendingRecords += 1
        state.seq += 1
        state.prev = hash
        return state.seq
    }

    /// Writes the pending records in one write, checking first that the path still names the
    /// file. On failure none is in the file and the head goes back to the last record written.
    private func commit(_ state: inout State, mayRotate: Bool, lost: inout LostRecords?) throws(AuditError) {
        guard state.pendingRecords > 0 else { return }
        let failure: AuditError?
        if let file = state.file {
            if let gone = file.replacement() {
                state.broken = gone + "; no audit record can be written until flygate restarts"
                logger.critical("audit log lost", metadata: ["error": "\(gone)"])
                failure = AuditError(.unavailable, state.broken!)
            } else {
                do {
                    try file.append(state.pending, restoringSize: state.size)
                    failure = nil
                } catch {
                    if error.code == .unavailable { state.broken = error.message }
                    failure = error
                }
            }
        } else {
            failure = AuditError(.unavailable, "the audit log is closed")
        }
        if let failure {
            state.seq -= UInt64(state.pendingRecords)
            state.prev = state.writtenPrev
            if !state.pendingMethods.isEmpty { lost = LostRecords(error: failure, methods: state.pendingMethods) }
        } else {
            state.size += state.pending.count
            state.writtenPrev = state.prev
        }
        state.pending.removeAll(keepingCapacity: true)
        state.pendingRecords = 0
        state.pendingMethods.removeAll(keepingCapacity: true)
        hasPending.store(false, ordering: .releasing)
        if let failure { throw failure }
        if mayRotate, state.size >= configuration.maxBytes { rotate(&state) }
    }

    /// Closes the active file under a numbered name and chains a new one to it.
    private func rotate(_ state: inout State) {
        guard let old = state.file else { return }
        let path = configuration.path
        let rotated = AuditFileSet.rotatedName(of: path, lastSeq: state.seq)
        do {
            try old.sync()
        } catch {
            state.broken = error.message
            return
        }
        sync.markSynced(upTo: state.seq)
        guard rename(path, rotated) == 0 else {
            logger.error("audit log: cannot rotate", metadata: ["error": "\(AuditFile.errorText())"])
            return
        }
        do {
            state.file = try AuditFile(path: path)
        } catch {
            state.broken = error.message
            logger.critical("audit log: cannot open a new file after rotation", metadata: ["error": "\(error)"])
            return
        }
        AuditFile.syncDirectory(AuditFile.directory(of: path))
        state.size = 0
        var fields = JSONMembersWriter(terminalSafe: true)
        fields.append("previous_file", string: String(rotated.split(separator: "/").last ?? ""))
        var lost: LostRecords?
        _ = try? write(.rotated, fields, &state, lost: &lost)
        anchor(event: "rotate", state: state)
        removeOldRotatedFiles()
    }

    /// Removes the oldest rotated files beyond ``Configuration/maxRotatedFiles``. The chain
    /// still verifies: it then starts at the `rotated` record of the oldest file kept.
    private func removeOldRotatedFiles() {
        let rotated = AuditFileSet.rotatedFiles(of: configuration.path)
        guard rotated.count > configuration.maxRotatedFiles else { return }
        for file in rotated.prefix(rotated.count - configuration.maxRotatedFiles) {
            if unlink(file) == 0 {
                logger.notice("audit log: removed the oldest rotated file", metadata: ["flygate.audit.file": "\(file)"])
            } else {
                logger.error("audit log: cannot remove an old rotated file", metadata: ["flygate.audit.file": "\(file)", "error": "\(AuditFile.errorText())"])
            }
        }
    }

    private func anchor(event: String) {
        let current = state.withLock { $0 }
        anchor(event: event, state: current)
    }

    /// Writes the head file and logs the head, for an outside system to anchor.
    private func anchor(event: String, state: State) {
        let head = AuditHead(seq: state.seq, hash: state.prev)
        do {
            try head.write(to: AuditHead.path(forLog: configuration.path), event: event, file: configuration.path)
        } catch {
            logger.error("audit log: cannot write the head file", metadata: ["error": "\(error)"])
        }
        logger.notice(
            "audit chain head",
            metadata: ["flygate.audit.event": "\(event)", "flygate.audit.seq": "\(head.seq)", "flygate.audit.hash": "\(head.hash)"]
        )
    }
}

extension AuditLog: AnswerBarrier {
    /// The records of calls whose answers are about to leave go to the file first.
    package func answersWillLeave() { writePending() }
}
