import ArgumentParser
import FlyGateCore
import Foundation

/// `flygate audit verify [FILE...] [--head SEQ:HASH]`: checks the hash chain.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit log's hash chain across its files.",
        discussion: """
            With no FILE, checks the configured log and its rotated files (audit.log.NNNNNNNNNNNN), \
            oldest first. Given files are put in chain order (rotated files by number, then the rest). \
            Reports the first record that was changed, removed, inserted or reordered, with its file, \
            line and sequence number. --head checks that an anchored head (from audit.head or the \
            daemon's log, as SEQ:HASH or HASH) is in the chain, which also catches records removed \
            from the end.

            Exit status: 0 intact; 1 broken (or the anchored head is missing); 2 intact up to a torn \
            last line (a crash mid-write, or a cut file); 64 no log found.
            """
    )

    @Argument(help: "Audit log files (default: the configured log and its rotated files).")
    var files: [String] = []

    @Option(help: "An anchored chain head, SEQ:HASH or HASH, that must be in the chain.")
    var head: String?

    @Option(help: "A head file (audit.head) whose head must be in the chain.")
    var headFile: String?

    func run() throws {
        var anchor: (seq: UInt64?, hash: String)?
        if let head {
            guard let parsed = AuditHead.parse(head) else { throw ValidationError("--head must be SEQ:HASH or a 64-digit hex HASH") }
            anchor = parsed
        } else if let headFile {
            guard let read = AuditHead.read(from: headFile) else { throw ValidationError("\(headFile) is not a head file") }
            anchor = (read.seq, read.hash)
        }
        let ordered = files.isEmpty ? AuditFileSet.allFiles(of: try AuditCommand.configuredPath()) : AuditFileSet.ordered(files)
        guard !ordered.isEmpty else {
            FileHandle.standardError.write(Data("flygate: no audit log found\n".utf8))
            throw ExitCode(64)
        }
        let result = AuditVerifier.verify(files: ordered, anchor: anchor)
        print(result.report)
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }
}
