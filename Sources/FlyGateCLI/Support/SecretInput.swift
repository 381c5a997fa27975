/// Secret values as the `secrets` verbs read them: from standard input or a file, never from the
/// command line, and never repeated in a message.
package enum SecretInput {
    /// One value: the bytes read, less one trailing newline unless `keepNewline`; UTF-8 text
    /// (Fly takes values as JSON strings), not empty.
    package static func value(_ bytes: [UInt8], keepNewline: Bool) throws -> String {
        var bytes = bytes[...]
        if !keepNewline, bytes.last == UInt8(ascii: "\n") {
            bytes = bytes.dropLast()
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIFailure.badInput("the value is not UTF-8 text (Fly takes secret values as strings)")
        }
        guard !text.isEmpty else { throw CLIFailure.badInput("the value is empty: nothing was read") }
        return text
    }

    /// `NAME=VALUE` lines: the name is everything before the first `=`, the value everything
    /// after it, taken literally (no quotes or escapes). Blank lines and lines starting with `#`
    /// are skipped; lines end with LF or CRLF. Errors name the line by number only: a bad
    /// line may hold a value.
    package static func lines(_ bytes: [UInt8]) throws -> [(name: String, value: String)] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIFailure.badInput("the input is not UTF-8 text (Fly takes secret values as strings)")
        }
        var pairs: [(name: String, value: String)] = []
        var seen: Set<String> = []
        // "\r\n" is one Character, so it is a separator of its own.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.first == "#" { continue }
            let number = index + 1
            guard let equals = line.firstIndex(of: "=") else {
                throw CLIFailure.badInput("line \(number): expected NAME=VALUE")
            }
            let name = String(line[..<equals])
            do {
                try ResourceName.validate(name, as: "NAME")
            } catch {
                throw CLIFailure.badInput("line \(number): the name before `=` is empty or holds blanks, control characters or one of / ? # %")
            }
            guard seen.insert(name).inserted else { throw CLIFailure.badInput("line \(number): the name was given on an earlier line too") }
            pairs.append((name, String(line[line.index(after: equals)...])))
        }
        return pairs
    }
}
