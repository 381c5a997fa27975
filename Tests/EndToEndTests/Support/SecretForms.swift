import Foundation

/// The shapes a secret's bytes can take in a log line or an audit record, for searching those
/// texts for a leak: the bytes as text, base64 (standard and URL-safe, at each of the three
/// offsets the secret can have inside a longer base64 text), hex in either case, and the decimal
/// byte list a JSON array or a Swift array prints (`1,2,3` and `1, 2, 3`).
struct SecretForms {
    let name: String
    let bytes: [UInt8]

    init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    init(_ name: String, _ text: String) {
        self.init(name, Array(text.utf8))
    }

    /// Every form, each labelled for a failure message.
    var forms: [(label: String, text: String)] {
        var forms: [(String, String)] = []
        if let text = String(validating: bytes, as: UTF8.self) { forms.append(("text", text)) }
        for offset in 0..<3 {
            let standard = Self.base64(of: bytes, offset: offset)
            forms.append(("base64 at offset \(offset)", standard))
            forms.append((
                "URL-safe base64 at offset \(offset)",
                standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            ))
        }
        let hex = bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        forms.append(("hex", hex))
        forms.append(("upper-case hex", hex.uppercased()))
        forms.append(("byte list with \",\"", bytes.map(String.init).joined(separator: ",")))
        forms.append(("byte list with \", \"", bytes.map(String.init).joined(separator: ", ")))
        return forms
    }

    /// The forms of this secret that `text` contains, as "NAME as FORM".
    func leaks(in text: String) -> [String] {
        forms.filter { !$0.text.isEmpty && text.contains($0.text) }.map { "\(name) as \($0.label)" }
    }

    /// The base64 characters that stand for `bytes` alone when they follow `offset` other bytes
    /// in a longer text: the whole 4-character groups made only of their bits.
    static func base64(of bytes: [UInt8], offset: Int) -> String {
        let encoded = Array(Data(Array(repeating: 0, count: offset) + bytes).base64EncodedString().utf8)
        let firstGroup = (offset + 2) / 3
        let endGroup = (offset + bytes.count) / 3
        guard endGroup > firstGroup else { return "" }
        return String(decoding: encoded[(firstGroup * 4)..<(endGroup * 4)], as: UTF8.self)
    }
}

extension Sequence<SecretForms> {
    /// Every form of every secret that `text` contains.
    func leaks(in text: String) -> [String] {
        flatMap { $0.leaks(in: text) }
    }
}
