#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard streams, written unbuffered so stdout and stderr never interleave oddly.
package enum Terminal {
    /// Standard output.
    package static let standardOutput: Int32 = 1
    /// Standard error.
    package static let standardError: Int32 = 2

    /// Writes `text` whole to `descriptor`, retrying short writes and EINTR.
    package static func write(_ text: String, to descriptor: Int32) {
        write(bytes: Array(text.utf8), to: descriptor)
    }

    /// Writes `bytes` whole to `descriptor`, retrying short writes and EINTR.
    package static func write(bytes all: [UInt8], to descriptor: Int32) {
        var bytes = all[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Darwin)
                Darwin.write(descriptor, buffer.baseAddress, buffer.count)
                #elseif canImport(Musl)
                Musl.write(descriptor, buffer.baseAddress, buffer.count)
                #else
                Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Writes an output's stdout (text, then bytes) and stderr.
    package static func write(_ output: CLIOutput) {
        if !output.stdout.isEmpty { write(output.stdout, to: standardOutput) }
        if !output.stdoutBytes.isEmpty { write(bytes: output.stdoutBytes, to: standardOutput) }
        if !output.stderr.isEmpty { write(output.stderr, to: standardError) }
    }

    /// True when standard error is a terminal, so progress lines make sense there.
    package static var standardErrorIsTerminal: Bool { isatty(standardError) != 0 }

    /// True when standard input is a terminal, so a person would be typing (and seeing) it.
    package static var standardInputIsTerminal: Bool { isatty(0) != 0 }
}
