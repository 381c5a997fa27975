import FlyGateJSON
import FlyGateServer
import Synchronization

/// Keeps the audit record of calls the access policy refused, summarized: at most one `denied`
/// record per uid per ``interval``, never synced, written by ``run()``'s task.
///
/// A peer that no rule covers may send as many frames as it likes; each refusal costs it a
/// counter here, not a durable write, and nothing is written on the thread that refused the
/// call (the read loop, for an immediate method). The tracked uids are bounded; past the bound
/// the pending summaries are written at the next tick and the table starts again.
package final class DenialRecorder: Sendable {
    /// The longest a refusal waits before it is on record.
    package let interval: Duration
    private let log: AuditLog?
    private let maxUIDs: Int
    private let pending = Mutex([UInt32: Summary]())
    private let stopped: AsyncStream<Never>
    private let stop: AsyncStream<Never>.Continuation

    /// One uid's refusals since the last record.
    struct Summary: Sendable {
        var gid: UInt32
        var pid: Int32
        var count: Int64 = 0
        var methods: Set<String> = []
        var lastReason = ""
    }

    /// Most method names one summary lists.
    static let maxMethods = 16

    /// Records into `log` (nil: nothing is recorded) every `interval`.
    package init(log: AuditLog?, interval: Duration = .seconds(1), maxUIDs: Int = 4096) {
        self.log = log
        self.interval = interval
        self.maxUIDs = maxUIDs
        (self.stopped, self.stop) = AsyncStream.makeStream(of: Never.self)
    }

    /// Counts one refusal of `method` for `peer`. Cheap and synchronous: no I/O.
    package func note(peer: PeerCredentials, method: String, reason: String) {
        guard self.log != nil else { return }
        self.pending.withLock { pending in
            if pending[peer.uid] == nil, pending.count >= self.maxUIDs { return }
            var summary = pending[peer.uid] ?? Summary(gid: peer.gid, pid: peer.pid)
            summary.count += 1
            summary.pid = peer.pid
            if summary.methods.count < Self.maxMethods { summary.methods.insert(method) }
            summary.lastReason = reason
            pending[peer.uid] = summary
        }
    }

    /// Writes the summaries every ``interval`` until ``finish()`` (or cancellation), then once more.
    package func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in self.stopped {}
            }
            group.addTask {
                while (try? await Task.sleep(for: self.interval)) != nil {
                    await self.flush()
                }
            }
            _ = await group.next()
            group.cancelAll()
        }
        await self.flush()
    }

    /// Ends ``run()``, which writes what is pending first.
    package func finish() {
        self.stop.finish()
    }

    /// Writes one `denied` record per uid with refusals pending.
    package func flush() async {
        guard let log = self.log else { return }
        let summaries = self.pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        for (uid, summary) in summaries.sorted(by: { $0.key < $1.key }) {
            var peer = JSONObject()
            peer.append("uid", .int(uid))
            peer.append("gid", .int(summary.gid))
            peer.append("pid", .int(summary.pid))
            var fields = JSONObject()
            fields.append("peer", .object(peer))
            fields.append("count", .int(summary.count))
            fields.append("methods", .array(summary.methods.sorted().map { .string($0) }))
            fields.append("reason", .string(AuditArguments.clipped(summary.lastReason)))
            do {
                try await log.append(.denied, fields, durable: false)
            } catch {
                log.noteFailure(error, stage: .denied, method: summary.methods.sorted().first ?? "")
            }
        }
    }
}
