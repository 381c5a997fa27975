/// What `flygate audit verify` found: how much of the chain checks, a torn tail, or the first break.
package struct AuditVerification: Sendable {
    /// Where the chain breaks: file, 1-based line, the record's sequence number when readable, and why.
    package struct Break: Sendable, Equatable {
        package var file: String
        package var line: Int?
        package var seq: UInt64?
        package var reason: String
    }

    /// An incomplete last line (a crash mid-write, or a cut file).
    package struct Torn: Sendable, Equatable {
        package var file: String
        package var line: Int
        package var bytes: Int
    }

    /// Records that checked.
    package var records = 0
    /// The files walked, in order.
    package var files: [String] = []
    package var firstSeq: UInt64?
    /// The last intact record.
    package var head: AuditHead?
    package var torn: Torn?
    package var failure: Break?
    /// Notes that are not failures (e.g. the walk starts after a rotation).
    package var notes: [String] = []

    /// 0 intact; 1 changed, removed, inserted or reordered records (or an anchor not matched); 2 intact up to a torn last line.
    package var exitStatus: Int32 { failure != nil ? 1 : torn != nil ? 2 : 0 }

    /// The verdict for people.
    package var report: String {
        var lines = notes
        let span = head.map { "seq \(firstSeq ?? 1)–\($0.seq)" } ?? "no records"
        if let failure {
            let place = failure.file + (failure.line.map { ":\($0)" } ?? "") + (failure.seq.map { " (seq \($0))" } ?? "")
            lines.append("audit chain BROKEN at \(place): \(failure.reason)")
            if let head { lines.append("intact before it: \(records) records, \(span), last hash \(head.hash)") }
        } else if let torn {
            lines.append("audit chain intact through \(span) (\(records) records in \(files.count) file(s)), head \(head?.hash ?? "-")")
            lines.append("\(torn.file):\(torn.line): torn write: the last line is incomplete (\(torn.bytes) bytes)")
        } else {
            lines.append("audit chain intact: \(records) records, \(span), in \(files.count) file(s)")
            if let head { lines.append("head \(head.seq):\(head.hash)") }
        }
        return lines.joined(separator: "\n")
    }
}
