import FlyGateJSON
import FlyGateWire

#if canImport(Glibc)
import Glibc
#endif

/// The chain head (latest sequence number and hash), kept in a small file beside the log so a
/// system outside the host can read and anchor it; `flygate audit verify --head` checks a log
/// against an anchored head.
package struct AuditHead: Sendable, Equatable {
    /// The sequence number of the newest record.
    package var seq: UInt64
    /// That record's hash.
    package var hash: String

    package init(seq: UInt64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// `audit.head` for `audit.log` (`X.head` for `X`, dropping a `.log` suffix).
    package static func path(forLog log: String) -> String {
        (log.hasSuffix(".log") ? String(log.dropLast(4)) : log) + ".head"
    }

    /// `SEQ:HASH` or a bare `HASH`, as given to `--head`.
    package static func parse(_ text: String) -> (seq: UInt64?, hash: String)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let hash = String(parts.last ?? "")
        guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        switch parts.count {
        case 1: return (nil, hash)
        case 2: return UInt64(parts[0]).map { ($0, hash) }
        default: return nil
        }
    }

    /// The head file's JSON: `{"seq":…,"hash":…,"event":…,"file":…,"time":…}`.
    func json(event: String, file: String) -> JSONValue {
        var object = JSONObject()
        object.append("seq", .int(seq))
        object.append("hash", .string(hash))
        object.append("event", .string(event))
        object.append("file", .string(file))
        object.append("time", .string(AuditTime.now()))
        return .object(object)
    }

    /// Reads a head file written by ``write(to:event:file:)``.
    package static func read(from path: String) -> AuditHead? {
        guard let tail = try? AuditTail.read(path: path), let line = tail.lastLine,
            let value = try? JSONValue(parsing: line), let seq = value["seq"]?.uint64Value, let hash = value["hash"]?.stringValue
        else { return nil }
        return AuditHead(seq: seq, hash: hash)
    }

    /// Replaces the head file atomically (temporary file, sync, rename, directory sync).
    func write(to path: String, event: String, file: String) throws(AuditError) {
        do {
            try PrivateFile.replace(path, with: Array((json(event: event, file: file).serialized + "\n").utf8))
        } catch {
            throw AuditError(.io, "cannot write \(path): \(error.message)")
        }
        AuditFile.syncDirectory(AuditFile.directory(of: path))
    }
}
