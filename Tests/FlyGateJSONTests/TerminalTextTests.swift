import FlyGateJSON
import Testing

/// Escaping what a terminal acts on: in text (`\u{…}`) and in JSON (`\uXXXX`, the same value).
@Suite struct TerminalTextTests {
    @Test(
        "every character a terminal acts on is escaped as \\u{…}, and only those",
        arguments: [
            ("\u{1b}[2J", #"\u{1b}[2J"#),  // ESC, CSI clear screen
            ("\u{1b}]0;title\u{07}", #"\u{1b}]0;title\u{7}"#),  // OSC with BEL
            ("a\r\nb\tc\u{0}", #"a\u{d}\u{a}b\u{9}c\u{0}"#),
            ("\u{7f}\u{80}\u{9b}31m\u{9f}", #"\u{7f}\u{80}\u{9b}31m\u{9f}"#),  // DEL, C1 (CSI as one character)
            ("abc\u{202e}gnp.exe", #"abc\u{202e}gnp.exe"#),  // bidi override
            ("\u{2066}x\u{2069}\u{200b}\u{feff}\u{2028}", #"\u{2066}x\u{2069}\u{200b}\u{feff}\u{2028}"#),
            ("plain ünïcödé 中文 🙂 \\u{1b}", "plain ünïcödé 中文 🙂 \\u{1b}"),  // left alone, backslashes too
        ])
    func escapes(raw: String, shown: String) {
        #expect(TerminalText.escaped(raw) == shown)
        #expect(!TerminalText.escaped(raw).unicodeScalars.contains(where: TerminalText.isUnsafe))
    }

    @Test("terminal-safe JSON escapes C1, DEL, bidi and beyond-BMP format characters and means the same value")
    func terminalSafeJSON() throws {
        let value: JSONValue = ["name\u{9b}": "a\u{1b}[31m\u{9b}\u{7f}\u{202e}\u{e0001}\"\\\n", "n": 1, "plain": "héllo"]
        let text = value.terminalSafeSerialized
        #expect(!text.unicodeScalars.contains(where: TerminalText.isUnsafe), "\(text.debugDescription)")
        #expect(text.contains(#"\u009b"#) && text.contains(#"\u202e"#) && text.contains(#"\udb40\udc01"#) && text.contains(#"\u001b"#))
        #expect(try JSONValue(parsing: Array(text.utf8)) == value)
        // Without anything to escape beyond JSON's own, it is the plain serialization.
        let plain: JSONValue = ["a": "b\n\u{1}", "c": ["héllo", 2]]
        #expect(plain.terminalSafeSerialized == plain.serialized)
    }
}
