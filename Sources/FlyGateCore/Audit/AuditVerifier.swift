#if canImport(Glibc)
import Glibc
#endif

/// Walks audit log files in chain order and reports the first record that was changed,
/// removed, inserted or reordered, a torn last line, and whether an anchored head is in the chain.
package enum AuditVerifier {
    /// Verifies `files` (already in chain order) against an optional anchored head.
    package static func verify(files: [String], anchor: (seq: UInt64?, hash: String)? = nil) -> AuditVerification {
        var result = AuditVerification()
        result.files = files
        var prev: String?
        var expected: UInt64 = 1
        var anchorFound = false
        var anchorMismatch: UInt64?
        fileLoop: for (fileIndex, file) in files.enumerated() {
            guard let bytes = readAll(file) else {
                result.failure = .init(file: file, line: nil, seq: nil, reason: "cannot read the file")
                break
            }
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let unterminated = lines.removeLast()
            for (index, line) in lines.enumerated() {
                let number = index + 1
                func fail(_ seq: UInt64?, _ reason: String) { result.failure = .init(file: file, line: number, seq: seq, reason: reason) }
                guard let checked = AuditChain.check(line) else {
                    fail(nil, "not an intact record (changed, or a line was inserted)")
                    break fileLoop
                }
                guard checked.hashMatches else {
                    fail(checked.seq, "record changed: its hash does not match its content")
                    break fileLoop
                }
                guard let seq = checked.seq else {
                    fail(nil, "record has no sequence number")
                    break fileLoop
                }
                if let prev {
                    if seq > expected {
                        let next = index + 1 < lines.count ? AuditChain.check(lines[index + 1])?.seq : nil
                        fail(seq, next == expected
                            ? "records reordered: expected seq \(expected), found \(seq) (it comes before seq \(expected))"
                            : "records removed: expected seq \(expected), found \(seq)")
                        break fileLoop
                    }
                    if seq < expected {
                        fail(seq, "record reordered or duplicated: expected seq \(expected), found \(seq)")
                        break fileLoop
                    }
                    if checked.prev != prev {
                        fail(seq, "record inserted or replaced: it does not chain to the record before it")
                        break fileLoop
                    }
                } else if seq == 1 {
                    guard checked.prev == AuditChain.genesis else {
                        fail(seq, "the first record does not start a chain")
                        break fileLoop
                    }
                } else if checked.record["stage"]?.stringValue == AuditRecordStage.rotated.rawValue {
                    result.notes.append("note: the walk starts at seq \(seq) after a rotation; earlier files were not given")
                } else {
                    fail(seq, "records removed: the log starts at seq \(seq), not at the start of the chain or of a rotated file")
                    break fileLoop
                }
                if let anchor, anchor.seq == nil || anchor.seq == seq {
                    if checked.claimedHash == anchor.hash { anchorFound = true } else if anchor.seq == seq { anchorMismatch = seq }
                }
                result.firstSeq = result.firstSeq ?? seq
                result.records += 1
                result.head = AuditHead(seq: seq, hash: checked.claimedHash)
                prev = checked.claimedHash
                expected = seq + 1
            }
            if !unterminated.isEmpty {
                if fileIndex == files.count - 1 {
                    result.torn = .init(file: file, line: lines.count + 1, bytes: unterminated.count)
                } else {
                    result.failure = .init(
                        file: file, line: lines.count + 1, seq: nil,
                        reason: "incomplete line in a file that is not the last (files removed or out of order?)")
                    break
                }
            }
        }
        if result.failure == nil, let anchor, !anchorFound {
            let text = (anchor.seq.map { "\($0):" } ?? "") + anchor.hash
            let reason: String
            if let anchorMismatch {
                reason = "the record at seq \(anchorMismatch) is not the anchored head \(text): the chain was rewritten"
            } else if let seq = anchor.seq, seq > (result.head?.seq ?? 0) {
                reason = "the log ends at seq \(result.head?.seq ?? 0), before the anchored head \(text): records were removed"
            } else {
                reason = "the anchored head \(text) is not in the chain: records were removed or rewritten"
            }
            result.failure = .init(file: files.last ?? "-", line: nil, seq: anchor.seq, reason: reason)
        }
        return result
    }

    /// The whole file, or nil when it cannot be read.
    static func readAll(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }
}
