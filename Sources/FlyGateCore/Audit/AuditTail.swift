#if canImport(Glibc)
import Glibc
#endif

/// The end of an audit log file as found at start: the last complete line and any torn bytes after it.
package struct AuditTail: Sendable {
    /// The file's size.
    package var size: Int
    /// Where the complete lines end (just after the last newline).
    package var completeEnd: Int
    /// The last complete line, without its newline; nil when the file holds none.
    package var lastLine: [UInt8]?
    /// SHA-256 of the torn bytes (of nothing when there are none).
    package var tornSHA256: String

    /// Bytes after the last newline: a record the writer did not finish.
    package var tornBytes: Int { size - completeEnd }

    /// Reads the tail of `path`; nil when the file does not exist.
    package static func read(path: String) throws(AuditError) -> AuditTail? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw AuditError(.io, "cannot read \(path): \(AuditFile.errorText())")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw AuditError(.io, "cannot stat \(path): \(AuditFile.errorText())") }
        let size = Int(info.st_size)
        // Read ever larger windows from the end until two newlines (or the start) are in view.
        var window = min(size, 64 * 1024)
        while true {
            let start = size - window
            let bytes = try readRange(descriptor, path: path, from: start, count: window)
            let newlines = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
            if let last = newlines.last {
                let previous = newlines.dropLast().last
                if previous != nil || start == 0 {
                    let lineStart = previous.map { $0 + 1 } ?? 0
                    return AuditTail(
                        size: size, completeEnd: start + last + 1, lastLine: Array(bytes[lineStart..<last]),
                        tornSHA256: AuditChain.digest(bytes[(last + 1)...]))
                }
            } else if start == 0 {
                return AuditTail(size: size, completeEnd: 0, lastLine: nil, tornSHA256: AuditChain.digest(bytes))
            }
            window = min(size, window * 4)
        }
    }

    private static func readRange(_ descriptor: Int32, path: String, from offset: Int, count: Int) throws(AuditError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw AuditError(.io, "cannot read \(path): \(AuditFile.errorText())") }
            done += result
        }
        return bytes
    }
}
