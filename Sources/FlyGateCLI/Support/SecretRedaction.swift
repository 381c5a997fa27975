import ArgumentParser
import FlyGateJSON
import FlyGateWire
import FlyMachinesProto

/// Keeps secret values, key material and private keys out of what the CLI prints: error lines
/// and `--json` answers. Tables never show them in the first place.
package enum SecretRedaction {
    /// What stands in for a secret in an error message.
    package static let placeholder = "[redacted]"

    /// Runs `body`; an error it throws comes back with every one of `secrets` in its message
    /// replaced by ``placeholder`` (an upstream message may quote what it was sent).
    package static func scrubbing<Value>(_ secrets: [String], _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as RPCError {
            var scrubbed = error
            scrubbed.message = scrub(error.message, secrets)
            throw scrubbed
        } catch let error as CLIFailure {
            throw CLIFailure(scrub(error.message, secrets), exitCode: error.exitCode)
        } catch let error as ValidationError {
            throw ValidationError(scrub(error.message, secrets))
        } catch {
            throw CLIFailure(scrub(String(describing: error), secrets))
        }
    }

    /// The text forms bytes could take in a message: as UTF-8 text, base64, and the integer
    /// list the JSON body carries them in.
    package static func forms(of bytes: [UInt8]) -> [String] {
        guard !bytes.isEmpty else { return [] }
        var forms = [ByteString.base64(bytes), bytes.map(String.init).joined(separator: ",")]
        if let text = String(validating: bytes, as: UTF8.self) { forms.append(text) }
        return forms
    }

    /// A PEM private key whole, and each of its lines long enough to be key material (a message
    /// may quote one line).
    package static func forms(ofPEM key: String) -> [String] {
        [key] + key.split(whereSeparator: \.isNewline).map(String.init).filter { $0.count >= 16 && !$0.hasPrefix("-----") }
    }

    /// `text` with each non-empty secret replaced by ``placeholder``.
    package static func scrub(_ text: String, _ secrets: [String]) -> String {
        var text = text
        // Longest first, so a secret that contains another is replaced whole.
        for secret in secrets.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            text = text.replacing(secret, with: placeholder)
        }
        return text
    }

    /// `json` without any member named `value` or `private_key`, at any depth: secrets' values
    /// and private keys, should an answer ever carry one.
    package static func withoutSecretMembers(_ json: JSONValue?) -> JSONValue? {
        guard let json else { return nil }
        switch json {
        case .object(let object):
            var kept = JSONObject()
            for (key, value) in object.members where !hiddenMembers.contains(key) {
                kept.append(key, withoutSecretMembers(value) ?? .null)
            }
            return .object(kept)
        case .array(let elements):
            return .array(elements.map { withoutSecretMembers($0) ?? .null })
        default:
            return json
        }
    }

    private static let hiddenMembers: Set<String> = ["value", "private_key"]
}

extension MachinesCommandContext {
    /// Like `render`, with the answer's secret members dropped from `--json`.
    package func renderRedacted<Response: MachinesRPCResponse>(_ response: Response, text: () -> String) -> CLIOutput {
        json ? CLIOutput(stdout: PrettyJSON.render(SecretRedaction.withoutSecretMembers(response.restBody))) : CLIOutput(stdout: text())
    }
}
