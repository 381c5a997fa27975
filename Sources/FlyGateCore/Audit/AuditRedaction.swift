/// Keeps secrets out of the one free-text field an audit record has: the status message.
///
/// The message comes from Fly's error text (the upstream client already withholds text that
/// quotes its token). Here, the caller's lease nonce and anything shaped like a Fly token or an
/// authorization header are replaced, and the message is cut to 512 characters.
package enum AuditRedaction {
    /// `message` with `nonce` and token-like words replaced.
    package static func message(_ message: String, nonce: String?) -> String {
        var text = message
        if let nonce, nonce.count >= 4 {
            text = text.replacing(nonce, with: "[lease nonce]")
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        var redactNext = false
        var out: [Substring] = []
        for word in words {
            if redactNext, !word.isEmpty {
                out.append("[redacted]")
                redactNext = false
                continue
            }
            if word == "FlyV1" || word == "Bearer" || word.lowercased() == "authorization:" {
                redactNext = true
                out.append(word)
            } else if word.contains("fm1r_") || word.contains("fm1a_") || word.contains("fm2_") || word.contains("fo1_") {
                out.append("[redacted]")
            } else {
                out.append(word)
            }
        }
        text = out.joined(separator: " ")
        return text.count > 512 ? String(text.prefix(512)) + "…" : text
    }
}
