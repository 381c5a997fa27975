import Foundation

/// A verb's standard input: its bytes, and whether a person is typing it. The context carries it
/// so that tests give verbs their input without a process.
package struct StandardInput: Sendable {
    /// True when standard input is a terminal.
    package var isTerminal: Bool
    private let readAll: @Sendable () -> [UInt8]

    /// Input that `read` gives whole.
    package init(isTerminal: Bool, read: @escaping @Sendable () -> [UInt8]) {
        self.isTerminal = isTerminal
        self.readAll = read
    }

    /// Everything up to end of file.
    package func read() -> [UInt8] { readAll() }

    /// This process's standard input.
    package static var process: StandardInput {
        StandardInput(isTerminal: Terminal.standardInputIsTerminal) {
            Array(FileHandle.standardInput.readDataToEndOfFile())
        }
    }

    /// Fixed bytes, not a terminal.
    package static func bytes(_ bytes: [UInt8]) -> StandardInput {
        StandardInput(isTerminal: false) { bytes }
    }

    /// Fixed text, not a terminal.
    package static func text(_ text: String) -> StandardInput { bytes(Array(text.utf8)) }
}

/// Reads what a verb sends from a file a flag names, or from standard input.
package enum InputFile {
    /// The bytes of `path`, or of standard input when `path` is nil or `-`. `option` names the
    /// flag in messages; the bytes themselves never appear in one. With `sensitive`, standard
    /// input that is a terminal is refused: a secret typed there would be echoed on the screen.
    package static func read(_ path: String?, option: String, from input: StandardInput, sensitive: Bool = false) throws -> [UInt8] {
        guard let path, path != "-" else {
            if sensitive, input.isTerminal {
                throw CLIFailure.badInput("not reading a secret from the terminal (it would be echoed): pipe it in, or give \(option) FILE")
            }
            return input.read()
        }
        // A file handle rather than FileManager.contents: it also reads pipes and process
        // substitutions (`--value-file <(pass show db)`) and devices.
        guard let file = FileHandle(forReadingAtPath: path), let contents = try? file.readToEnd() ?? Data() else {
            throw CLIFailure.badInput("cannot read \(option) \(TableFormatter.sanitized(path))")
        }
        try? file.close()
        return Array(contents)
    }
}
