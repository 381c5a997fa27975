/// What a verb has to say: text for stdout and stderr, and the process's exit code.
package struct CLIOutput: Sendable, Equatable {
    /// Written to standard output as is.
    package var stdout: String
    /// Written to standard output after `stdout`, byte for byte (a ciphertext, a signature).
    package var stdoutBytes: [UInt8]
    /// Written to standard error as is.
    package var stderr: String
    /// The process's exit code.
    package var exitCode: Int32

    /// Output that ends the process with `exitCode`.
    package init(stdout: String = "", stdoutBytes: [UInt8] = [], stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stdoutBytes = stdoutBytes
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// Lines for stdout, each ended by a newline.
    package static func lines(_ lines: [String]) -> CLIOutput {
        CLIOutput(stdout: lines.map { $0 + "\n" }.joined())
    }

    /// One line for stdout.
    package static func line(_ line: String) -> CLIOutput { .lines([line]) }
}
