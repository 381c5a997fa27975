/// Text that is safe to print on an operator's terminal: every character that a terminal
/// acts on rather than shows — C0 controls (ESC, BEL, CR, LF, TAB…), DEL, C1 controls
/// (U+0080–U+009F, CSI among them), format characters (bidi overrides and isolates such as
/// U+202E, zero-width characters) and the line and paragraph separators — is written as
/// `\u{…}` with its code point in lower-case hex (`\u{1b}`, `\u{9b}`, `\u{202e}`).
///
/// One form for all of them, so a reader (or a grep) finds every escaped character the same
/// way. Backslashes are left as they are: the goal is that nothing caller-supplied acts on the
/// terminal, not that the text can be parsed back.
package enum TerminalText {
    /// `text` with every character a terminal would act on escaped as `\u{…}`.
    package static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return String(text) }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                output += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// True for a character a terminal acts on rather than shows: Unicode's Cc (C0, DEL, C1),
    /// Cf (format: bidi controls, zero-width characters), Zl and Zp.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return false }  // printable ASCII: the common case
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
